@signhash
Feature: Signing hashes
  The signing application sends the hashes the signer authorized together with the activation
  token; the service answers with one signature value per hash, in the order of the hashes.
  Every signature verifies with the signer's certificate.

  Background:
    Given the signing application has a service access token

  @csc1_11_9 @csc2_11_10 @browser @id_signhash_001
  Scenario: Every advertised algorithm and hash pair produces verifiable signatures
    The pairs come from the target: each credential's advertised algorithms, with the hash an
    algorithm implies or else every hash the target supports; RSASSA-PSS with the smallest, the
    usual and the largest salt length. The report lists every pair signed.
    Given the signer's credentials with the algorithm and hash pairs each one advertises
    When the signer authorizes each credential and the signing application signs a document hash with each pair
    Then each signature verifies with its credential's certificate in the encoding of its algorithm

  @csc1_11_9 @csc1_9 @ps_web @needs_multisign_credential @browser @id_signhash_002
  Scenario: A batch up to the multi-signature limit is signed in one call, in order
    Given the signer's multi-signature credential
    And the signing application has computed as many SHA-256 document hashes as the credential may sign at once
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the hashes with an algorithm of the credential's key
    Then the service returns one signature per hash in the order of the hashes

  @csc1_11_9 @browser @id_signhash_003
  Scenario: A hash that was not authorized is refused
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the signing application asks for a signature of a hash that was not authorized
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_9 @csc1_11_9 @needs_multisign_credential @browser @id_signhash_004
  Scenario: More hashes than authorized are refused
    Given the signer's multi-signature credential
    And the signing application has computed 2 SHA-256 document hashes
    When the signer authorizes 1 signature with the credential without naming the hashes
    And the signing application signs all the hashes with the credential's usual algorithm
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_9 @csc1_11_9 @browser @id_signhash_005
  Scenario: A used-up authorization cannot sign again
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the hashes with the credential's usual algorithm
    And the signing application signs the hashes with the credential's usual algorithm again
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_9 @csc2_8_4_2 @browser @id_signhash_006
  Scenario: An authorization for one credential cannot sign with another
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the hashes using another credential of the signer
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_9 @needs_short_sad_lifetime @browser @waits @id_signhash_007
  Scenario: An expired authorization is refused
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the activation token has expired
    And the signing application signs the hashes with the credential's usual algorithm
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc2_11_10 @v2_only @needs_oauth @browser @id_signhash_008
  Scenario Outline: The credential token may be presented in either place
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the hashes with the credential's usual algorithm presenting the credential token <where>
    Then the service returns one signature per hash in the order of the hashes
    And each signature verifies with the signer's certificate

    Examples:
      | where                                           |
      | as the bearer token instead of the activation token |
      | as the activation token with the service token  |

  @csc1_11_9 @browser @id_signhash_009
  Scenario Outline: Invalid signing input is refused
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the hashes with <bad input>
    Then the service refuses the request with status 400 and error "invalid_request"

    Examples:
      | bad input                                        |
      | an algorithm the key does not support            |
      | an algorithm without the hash algorithm it needs |
      | an empty list of hashes                          |
      | hashes that are not a list                       |
      | a hash that is not base64                        |
      | a hash one byte too short                        |
      | client data that is not text                     |

    @needs_pss
    Examples: RSASSA-PSS
      | bad input                                          |
      | RSASSA-PSS without its parameters                  |
      | RSASSA-PSS parameters whose trailer field is not 1 |

  @csc1_11_9 @rfc8017_9_1_1 @needs_pss @needs_credentials_authorize @needs_explicit_credential @id_signhash_026
  Scenario: A PSS salt longer than the key allows is refused
    Given the signer's explicit credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application authorizes the credential directly with the signer's PIN and one-time code
    And the signing application signs the hashes with RSASSA-PSS and a salt one byte longer than the key allows
    Then the service refuses the request with status 400 and error "invalid_request"
    When the signing application authorizes the credential directly with the signer's PIN and one-time code
    And the signing application signs the hashes with RSASSA-PSS and the largest salt the key allows
    Then each signature verifies with the signer's certificate

  @csc1_11_9 @browser @id_signhash_013
  Scenario: A digest of the wrong length is refused even when the authorization names no hashes
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes 1 signature with the credential without naming the hashes
    And the signing application signs the hashes with a hash one byte too short
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_9 @id_signhash_010
  Scenario: An invented activation token is refused
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application signs the hashes with the credential's usual algorithm and an invented activation token
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_9 @v1_only @id_signhash_011
  Scenario: Signing without an activation token is refused
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application signs the hashes with the credential's usual algorithm without an activation token
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc2_11_10 @v2_only @browser @id_signhash_012
  Scenario: An unknown operation mode is refused
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the hashes with an unknown operation mode
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_9 @csc1_11_7 @csc1_11_9 @needs_multisign_credential @browser @id_signhash_021
  Scenario: A multi-signature authorization is spent over several calls, and not beyond
    Given the signer's multi-signature credential
    And the signing application has computed as many SHA-256 document hashes as the credential may sign at once
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the first half of the hashes
    Then the service signs those hashes
    When the signing application signs the rest of the hashes
    Then the service signs those hashes with what is left of the authorization
    When the signing application signs the first hash once more
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_9 @csc1_11_9 @needs_multisign_credential @browser @id_signhash_022
  Scenario: A batch bigger than what is left of an authorization is refused
    Given the signer's multi-signature credential
    And the signing application has computed one hash more than the credential may sign at once
    When the signer authorizes as many signatures as the credential may sign at once without naming the hashes
    And the signing application signs the first half of the hashes
    Then the service signs those hashes
    When the signing application signs the rest of the hashes
    Then the service refuses the request with status 400 and error "invalid_request"
    And the refusal carries no signature

  @csc1_11_9 @needs_scal2_credential @browser @id_signhash_023
  Scenario: A batch mixing authorized hashes with one that was not authorized is refused as a whole
    Given the signer's SCAL 2 credential
    And the signing application has computed 3 SHA-256 document hashes
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the first half of the hashes
    Then the service signs those hashes
    When the signing application signs the next hash together with a hash that was not authorized
    Then the service refuses the request with status 400 and error "invalid_request"
    And the refusal carries no signature

  @csc1_11_9 @needs_second_signer @browser @id_signhash_024
  Scenario: Another signer cannot sign with the signer's credential and authorization
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the second signer acts with a service access token of their own
    And the signing application signs the hashes with the credential's usual algorithm
    Then the service refuses the request with status 400 and error "invalid_request"
    When the signer acts again
    And the signing application signs the hashes with the credential's usual algorithm
    Then the service returns one signature per hash in the order of the hashes

  @csc1_11_9 @csc1_11_6 @needs_short_sad_lifetime @browser @waits @id_signhash_025
  Scenario: An authorization still signs at the end of its stated lifetime
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the activation token is about to expire
    And the signing application signs the hashes with the credential's usual algorithm
    Then the service returns one signature per hash in the order of the hashes
