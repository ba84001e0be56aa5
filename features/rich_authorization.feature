@rar @v2_only @needs_rar @needs_multisign_credential @needs_oauth
Feature: Rich authorization requests for credentials
  The signing application describes the signing transaction as structured authorization
  details: which credential or signature qualifier, which document digests with their labels,
  and the hash algorithm. The service refuses details it does not understand.

  Background:
    Given the signing application has a service access token
    And the signer's multi-signature credential
    And the signing application has computed 2 SHA-256 document hashes labelled "Contract" and "Annex"

  @rfc9396_7 @csc2_8_4_4 @browser @id_rar_001
  Scenario: Authorization details come back in the token response and the hashes are signed
    When the signer authorizes the document digests as authorization details with the qualifier "eu_eidas_qes"
    Then the token response carries the granted credential details
    And the activation token signs exactly the authorized hashes

  @rfc9396_7 @csc2_8_4_4 @browser @id_rar_004
  Scenario: Authorization details may name the credential without a signature qualifier
    When the signer authorizes the document digests as authorization details naming only the credential
    Then the token response carries the granted credential details
    And the activation token signs exactly the authorized hashes

  @rfc9396_5 @id_rar_002
  Scenario Outline: Details the service cannot understand are refused
    When the signing application starts a credential authorization with details <defect>
    Then the signer is returned to the signing application with the error "invalid_authorization_details"

    Examples:
      | defect                                          |
      | of an unknown type                              |
      | of an unknown type that sorts before credential |
      | without document digests                        |
      | without a hash algorithm                        |
      | with a digest that is no hash                   |
      | naming neither a credential nor a qualifier     |

  @rfc9396_5 @csc1_11_9 @browser @id_rar_003
  Scenario: Only the document digests in the details can be signed
    When the signer authorizes the document digests as authorization details with the qualifier "eu_eidas_qes"
    And the signing application asks for a signature of a hash that was not authorized
    Then the service refuses the request with status 400 and error "invalid_request"
