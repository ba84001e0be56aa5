@credentials
Feature: Listing and reading the signer's credentials
  With a service access token the signing application lists the signer's credentials and reads
  each credential's key, certificate and authorization details.

  Background:
    Given the signing application has a service access token

  @csc1_11_4 @id_credentials_001
  Scenario: The signer's credentials are listed
    When the signing application lists the credentials
    Then the service answers successfully
    And the answer lists the credential identifiers
    And the signer's signing credential is among them

  @csc1_11_4 @id_credentials_002
  Scenario: Naming a user is refused when the token already identifies the signer
    When the signing application lists the credentials of the user "someone-else"
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_4 @v1_only @id_credentials_003
  Scenario: Paging through the credentials one at a time yields every credential once
    When the signing application lists the credentials one per page until the last page
    Then every page holds at most one credential
    And the pages together hold every credential exactly once

  @csc1_11_4 @v1_only @id_credentials_004
  Scenario: An unreadable page marker is refused
    When the signing application lists the credentials from the page marker "not-a-page-marker"
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc2_11_4 @v2_only @id_credentials_005
  Scenario: Credential details come with the list when asked for
    When the signing application lists the credentials asking for details
    Then the service answers successfully
    And every listed credential comes with its details

  @csc2_11_4 @v2_only @id_credentials_006
  Scenario: Credential details are left out unless asked for
    When the signing application lists the credentials
    Then the answer carries no credential details

  @csc2_11_4 @v2_only @id_credentials_007
  Scenario: Asking for valid credentials only returns usable credentials
    When the signing application lists the credentials asking for details and only valid ones
    Then the service answers successfully
    And if the service confirms the filter, every listed credential is usable for signing

  @csc2_11_4 @v2_only @id_credentials_008
  Scenario: An unknown certificate choice in the list is refused
    When the signing application lists the credentials asking for details and the certificates "bogus"
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc2_11_4 @v2_only @id_credentials_009
  Scenario: The list carries certificate and authorization details when asked for
    When the signing application lists the credentials asking for details, certificate details and authorization details
    Then every listed credential comes with its details
    And every listed credential carries its certificate details and authorization mode

  @csc1_11_5 @id_credentials_010
  Scenario Outline: A missing or malformed credential identifier is refused
    When the signing application reads <which credential>
    Then the service refuses the request with status 400 and error "invalid_request"

    Examples:
      | which credential               |
      | a credential without naming it |
      | a credential named by a number |
      | an unknown credential          |

  @csc1_11_5 @id_credentials_011
  Scenario: Without certificates the answer carries no certificate
    When the signing application reads the signer's signing credential asking for no certificates
    Then the answer carries no certificate

  @csc1_11_5 @id_credentials_012
  Scenario Outline: By default one certificate comes back and it matches the key
    When the signing application reads the signer's <role> credential
    Then the answer carries exactly one certificate
    And the certificate's public key matches the declared key length and curve

    Examples:
      | role        |
      | signing     |
      | ECDSA P-256 |

  @csc1_11_5 @id_credentials_013
  Scenario: The certificate chain starts with the signer's certificate
    When the signing application reads the signer's signing credential asking for the certificate chain
    Then the first certificate is the end-entity certificate
    And each certificate is issued by the next one

  @csc1_11_5 @id_credentials_014
  Scenario: Certificate details describe the certificate
    When the signing application reads the signer's signing credential asking for certificate details
    Then the certificate details are all present
    And the serial number is hexadecimal
    And the validity dates are generalized times

  @csc1_11_5 @id_credentials_015
  Scenario: Certificate details are left out unless asked for
    When the signing application reads the signer's signing credential
    Then the answer carries no certificate details

  @csc1_11_5 @id_credentials_016
  Scenario Outline: Key and certificate facts use the documented values
    When the signing application reads the signer's <role> credential
    Then the key status and certificate status are documented values
    And the curve is given exactly when the key is an elliptic curve key
    And the sole control level and the multi-signature limit are well-formed

    Examples:
      | role        |
      | signing     |
      | ECDSA P-256 |
      | ECDSA P-384 |

  @csc1_11_5 @v1_only @id_credentials_017
  Scenario: The authorization mode is documented and PIN and OTP are described only for explicit credentials
    When the signing application reads the signer's signing credential asking for authorization details
    Then the authorization mode is one of implicit, explicit or OAuth
    And PIN and OTP details are present only when the mode is explicit

  @csc2_11_5 @v2_only @id_credentials_018
  Scenario: The authorization object is documented and lists objects only for explicit credentials
    When the signing application reads the signer's signing credential asking for authorization details
    Then the authorization mode is one of explicit or OAuth
    And authorization objects are present only when the mode is explicit

  @ps_live @csc2_11_5 @v2_only @id_credentials_019
  Scenario: The credential's key algorithms are among the advertised signature algorithms
    When the signing application reads the signer's signing credential
    Then every key algorithm of the credential is advertised by the service

  @csc1_11_5 @id_credentials_020
  Scenario: An unknown certificate choice is refused
    When the signing application reads the signer's signing credential asking for the certificates "all"
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_5 @needs_disabled_credential @id_credentials_021
  Scenario: A disabled key is reported as disabled
    When the signing application reads the signer's disabled credential
    Then the key is reported as "disabled"

  @csc1_11_5 @needs_expired_credential @id_credentials_022
  Scenario: An expired certificate is reported as expired
    When the signing application reads the signer's expired credential
    Then the certificate is reported as "expired"

  @csc1_11_5 @needs_revoked_credential @id_credentials_023
  Scenario: A revoked certificate is reported as revoked
    When the signing application reads the signer's revoked credential
    Then the certificate is reported as "revoked"

  @csc1_11_4 @csc1_11_5 @needs_second_signer @browser @id_credentials_024
  Scenario: Another signer neither lists nor reads the signer's credential
    Given the signer's signing credential
    And the second signer acts with a service access token of their own
    And the second signer's signing credential
    When the signing application lists every page of the credentials
    Then the second signer's credential is listed and the signer's is not
    When the signing application reads the signer's signing credential
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_11_5 @id_credentials_025
  Scenario: Every credential of the signer declares the key its certificate holds
    When the signing application reads every credential of the signer with its certificate chain
    Then each credential's declared key length and curve match its certificate

  @csc1_11_5 @csc1_8_1 @needs_external_service @id_credentials_026
  Scenario: Credentials reached with a service token from outside the service declare the keys their certificates hold
    A service whose tokens come from outside the API may hold other kinds of key: every
    credential it lists is read and compared with its certificate in the same way.
    When the signing application reads every credential of the signer with its certificate chain
    Then each credential's declared key length and curve match its certificate
