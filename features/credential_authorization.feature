@credential_auth
Feature: Authorizing a credential for signing
  Before the service signs, the signer authorizes a number of signatures with one credential,
  usually bound to the hashes to sign. The outcome is a signature activation token that the
  signing application presents when it asks for the signatures.

  Background:
    Given the signing application has a service access token

  @csc1_8_3_2 @csc2_8_4_2 @csc1_8_3_3 @needs_oauth @browser @id_credential_auth_001
  Scenario: The signer authorizes the hashes and the application gets an activation token
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    Then the service issues an activation token of the type this API version documents
    And the activation token comes without a refresh token
    And the activation token signs exactly the authorized hashes

  @csc1_5_2 @csc1_8_3_2 @browser @id_credential_auth_002
  Scenario: Hashes are read in the URL-safe alphabet of the authorization request
    Given the signer's signing credential
    And the signing application has computed a SHA-256 document hash whose encodings differ between the two base64 alphabets
    When the signer authorizes signing the hashes with the credential
    Then the activation token signs exactly the authorized hashes

  @csc2_8_4_2 @v2_only @needs_oauth @browser @id_credential_auth_003
  Scenario: A signature qualifier lets the service choose the credential
    Given the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the qualifier "eu_eidas_qes" instead of a credential
    Then the token response names the credential the service chose
    And the activation token signs exactly the authorized hashes

  @csc1_11_5 @csc1_8_3_2 @browser @id_credential_auth_004
  Scenario: More signatures than the credential allows are refused
    Given the signer's signing credential
    And the signing application has computed one hash more than the credential may sign at once
    When the signer tries to authorize signing the hashes with the credential
    Then the authorization is refused

  @csc2_8_4_2 @csc1_11_5 @v2_only @needs_oauth @needs_multisign_credential @browser @id_credential_auth_024
  Scenario: A signature qualifier chooses a credential for several signatures without the hashes
    Given the signer's multisign credential
    And the credential has sole control level 1
    And the signing application has computed as many SHA-256 document hashes as the credential may sign at once
    When the signer authorizes that many signatures with the credential's signature qualifier instead of a credential, without naming the hashes
    Then the token response names the credential the service chose
    And the activation token signs exactly the authorized hashes

  @csc1_5_2 @should @needs_oauth @browser @id_credential_auth_005
  Scenario: Hashes in the standard base64 alphabet are refused or read identically
    Given the signer's signing credential
    And the signing application has computed a SHA-256 document hash whose encodings differ between the two base64 alphabets
    When the signer tries to authorize the hashes written in the standard base64 alphabet
    Then the authorization is refused or the activation token signs exactly the authorized hashes

  @csc1_11_5 @csc1_8_3_2 @needs_scal2_credential @browser @id_credential_auth_006
  Scenario: A sole-control level 2 credential needs the hashes at authorization
    Given the signer's SCAL 2 credential
    When the signer tries to authorize 1 signature with the credential without naming the hashes
    Then the authorization is refused

  @ps_kc @csc2_8_4_2 @should @needs_oauth @browser @id_credential_auth_007
  Scenario: A request carrying every optional detail keeps the authorized hashes
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential, adding a description, a language, client data and extra parameters
    Then the activation token signs exactly the authorized hashes

  @csc1_11_6 @ps_live @needs_oauth @id_credential_auth_008
  Scenario: Direct credential authorization is not used for an OAuth credential
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application authorizes the credential directly
    Then the service refuses the request or does not offer direct authorization

  @csc1_11_6 @needs_credentials_authorize @needs_implicit_credential @id_credential_auth_009
  Scenario Outline: A direct authorization with an invalid number of signatures is refused
    Given the signer's implicit credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application authorizes the credential directly for <count> signatures
    Then the service refuses the request with status 400 and error "invalid_request"

    Examples:
      | count |
      | 0     |
      | 99    |

  @csc1_11_6 @needs_credentials_authorize @needs_explicit_credential @id_credential_auth_010
  Scenario: An explicit credential is authorized with PIN and one-time code
    Given the signer's explicit credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application authorizes the credential directly with the signer's PIN and one-time code
    Then the service issues an activation token
    And the activation token signs exactly the authorized hashes

  @csc1_11_6 @csc2_11_6 @needs_credentials_authorize @needs_explicit_credential @id_credential_auth_011
  Scenario: A wrong PIN is refused
    Given the signer's explicit credential
    And the signing application has computed 1 SHA-256 document hash
    And the right factors have just authorized the credential
    When the signing application authorizes the credential directly with a wrong PIN
    Then the service refuses the PIN

  @csc1_11_5 @needs_disabled_credential @browser @id_credential_auth_012
  Scenario: A disabled credential cannot be authorized
    Given the signer's disabled credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer tries to authorize signing the hashes with the credential
    Then the authorization is refused or the activation token cannot sign

  @csc1_11_6 @csc2_11_6 @needs_explicit_credential @id_credential_auth_013
  Scenario: A wrong one-time code is refused
    Given the signer's explicit credential
    And the signing application has computed 1 SHA-256 document hash
    And the right factors have just authorized the credential
    When the signing application authorizes the credential directly with a wrong one-time code
    Then the service refuses the one-time code

  @csc1_11_8 @needs_online_otp_credential @needs_send_otp @id_credential_auth_014
  Scenario: The service sends an online one-time code that authorizes the credential
    Given the signer's online OTP credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application asks the service to send the signer a one-time code
    Then the service answers with status 204
    When the signing application authorizes the credential directly with the signer's PIN and one-time code
    Then the service issues an activation token
    And the activation token signs exactly the authorized hashes

  @csc1_11_6 @csc1_11_8 @needs_online_otp_credential @needs_send_otp @id_credential_auth_015
  Scenario: A wrong online one-time code is refused
    Given the signer's online OTP credential
    And the signing application has computed 1 SHA-256 document hash
    And the right factors have just authorized the credential
    When the signing application authorizes the credential directly with a wrong one-time code
    Then the service refuses the one-time code

  @csc1_11_6 @csc2_11_6 @needs_pin_only_credential @id_credential_auth_016
  Scenario: A PIN-only credential is authorized with the PIN alone
    Given the signer's PIN-only credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application authorizes the credential directly with the signer's PIN and one-time code
    Then the service issues an activation token
    And the activation token signs exactly the authorized hashes

  @csc1_11_6 @needs_implicit_credential @id_credential_auth_017
  Scenario: An implicit credential refuses more signatures than it may sign at once
    Given the signer's implicit credential
    And the signing application has computed one hash more than the credential may sign at once
    And the credential has just authorized as many signatures as it may sign at once
    When the signing application authorizes the credential directly for all the hashes
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_6 @needs_explicit_credential @id_credential_auth_018
  Scenario: An explicit credential refuses more signatures than it may sign at once
    Given the signer's explicit credential
    And the signing application has computed one hash more than the credential may sign at once
    And the credential has just authorized as many signatures as it may sign at once
    When the signing application authorizes the credential directly for all the hashes
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_6 @needs_implicit_credential @id_credential_auth_019
  Scenario: An implicit credential is authorized without factors
    Given the signer's implicit credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application authorizes the credential directly
    Then the service issues an activation token
    And the activation token signs exactly the authorized hashes

  @csc1_8_3_2 @csc1_11_6 @needs_second_signer @browser @id_credential_auth_020
  Scenario: Another signer cannot authorize the signer's credential
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    And the second signer acts with a service access token of their own
    And the second signer has authorized signing the hashes with their own signing credential
    When the second signer tries to authorize signing the hashes with the signer's credential
    Then the service refuses the authorization for another signer's credential

  @csc1_11_6 @needs_credentials_authorize @needs_direct_scal1_credential @id_credential_auth_021
  Scenario: A credential of sole control level 1 is authorized directly without naming the hashes
    Given the signer's direct SCAL 1 credential
    And the credential has sole control level 1
    And the signing application has computed 1 SHA-256 document hash
    When the signing application authorizes the credential directly for its hashes without naming them
    Then the service issues an activation token
    And the activation token signs exactly the authorized hashes

  @csc1_11_6 @needs_credentials_authorize @needs_direct_scal2_credential @id_credential_auth_022
  Scenario: A credential of sole control level 2 is not authorized directly without naming the hashes
    Given the signer's direct SCAL 2 credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application authorizes the credential directly for its hashes without naming them
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_6 @csc1_11_9 @needs_credentials_authorize @needs_direct_scal2_credential @id_credential_auth_023
  Scenario: A direct authorization of a SCAL 2 credential signs only the hashes it named
    Given the signer's direct SCAL 2 credential
    And the signing application has computed 1 SHA-256 document hash
    And the right factors have just authorized the credential
    When the signing application asks for a signature of a hash that was not authorized
    Then the service refuses the request with status 400 and error "invalid_request"
    And the activation token signs exactly the authorized hashes
