@client_data
Feature: Client data travels with the requests
  The signing application may attach free text to its requests. PrimeSign reads it as JSON: a
  transaction identifier that makes a signing traceable end to end, and a hint that selects the
  eID login. Client data never breaks a call.

  Background:
    Given the signing application has a service access token

  @csc1_7_5 @ps_seed @needs_audit @browser @id_client_data_001
  Scenario: A transaction identifier is carried through authorization and signing
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    And the signing application tags its requests with a new transaction identifier
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the hashes with the credential's usual algorithm
    Then the service returns one signature per hash in the order of the hashes
    And the service's audit trail shows the transaction identifier for the authorization and the signing

  @ps_seed @needs_eid_login @needs_oauth2code_service @browser @id_client_data_002
  Scenario: An eID hint selects the eID login
    When the signer grants access to the service with client data asking for the eID login
    Then the signer was asked for an eID test identity
    And the signer is returned to the signing application with an authorization code

  @csc1_7_5 @id_client_data_003
  Scenario Outline: JSON client data never breaks a call
    When the signing application <call> with client data carrying a transaction identifier
    Then the service answers successfully

    Examples:
      | call                                    |
      | asks the service for its information    |
      | lists the credentials                   |
      | reads the signer's signing credential   |
