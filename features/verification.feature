@verification
Feature: Verifying the signer's certificate and signatures
  A signature is only useful if a relying party can verify it: the certificate chain leads to a
  trusted root, the certificate allows non-repudiation signatures, its details match what the
  service reports, and each signature value verifies at signing time.

  Background:
    Given the signing application has a service access token

  @csc1_11_5 @rfc5280_6 @id_verification_001
  Scenario: The certificate chain validates up to a trust anchor
    When the signing application reads the signer's signing credential asking for the certificate chain
    Then the certificate chain validates against the target's trust anchors

  @rfc5280_4_2_1_3 @id_verification_002
  Scenario Outline: The certificate allows non-repudiation signatures
    When the signing application reads the signer's <role> credential
    Then the certificate allows non-repudiation signatures

    Examples:
      | role        |
      | signing     |
      | ECDSA P-256 |

  @csc1_11_5 @id_verification_003
  Scenario: The certificate details agree with the certificate
    When the signing application reads the signer's signing credential asking for certificate details
    Then the certificate details agree with the certificate

  @etsi319412_5 @should @needs_qualified_certificate @id_verification_004
  Scenario: A qualified certificate carries its qualified statements
    When the signing application reads the signer's signing credential
    Then the certificate carries the qualified certificate statements

  @csc1_11_5 @rfc5280_4_1_2_5 @id_verification_005
  Scenario: A valid credential's certificate is valid now
    When the signing application reads the signer's signing credential
    Then the certificate is valid at this moment

  @csc1_11_9 @browser @id_verification_006
  Scenario: A signature validates with the certificate chain at signing time
    Given the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the signing application signs the hashes with the credential's usual algorithm
    Then each signature verifies with the signer's certificate
    And the certificate chain was valid at signing time

  @rfc5280_4_2_1_2 @id_verification_007
  Scenario: No certificate marks its key identifiers critical
    When the signing application reads every credential of the signer with its certificate chain
    Then no certificate marks its key identifiers critical

  @rfc5280_4_2_1_3 @should @id_verification_008
  Scenario: The certificate authorities mark their key usage critical
    When the signing application reads every credential of the signer with its certificate chain
    Then each certificate authority marks its key usage critical

  @etsi319412_2_4_3_2 @needs_qualified_certificate @id_verification_009
  Scenario: The signer's certificates mark their key usage critical
    When the signing application reads every credential of the signer with its certificate chain
    Then each signer certificate marks its key usage critical

  @etsi319412_2_4_4_1 @needs_qualified_certificate @id_verification_014
  Scenario: The signer's certificates say where their issuer's certificate is
    When the signing application reads every credential of the signer with its certificate chain
    Then each signer certificate names where its issuer's certificate is, which serves it

  @rfc5280_5_1_2_6 @rfc5280_5_2_3 @needs_revoked_credential @id_verification_010
  Scenario: The revocation list knows which certificates are revoked
    When the signing application reads every credential of the signer with its certificate chain
    Then the revocation list each certificate names lists it exactly when it is revoked

  @rfc6960_2_2 @needs_revoked_credential @id_verification_011
  Scenario: The status responder knows which certificates are revoked
    When the signing application reads every credential of the signer with its certificate chain
    Then the status responder each certificate names answers revoked exactly when it is revoked

  @rfc5019_5 @id_verification_012
  Scenario: The status responder answers a request sent with GET as it answers one sent with POST
    When the signing application reads every credential of the signer with its certificate chain
    Then the status responder each certificate names answers a GET request as it answers a POST

  @rfc6960_2_2 @rfc6960_2_3 @id_verification_013
  Scenario: The status responder does not vouch for a certificate its issuer never issued
    When the signing application reads every credential of the signer with its certificate chain
    Then the status responder each certificate names does not vouch for a certificate never issued
