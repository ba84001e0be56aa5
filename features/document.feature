@document
Feature: Signing real documents
  A hash signed by the service only matters if it becomes a valid signature in a real document.
  The signing application prepares a PDF for a PAdES baseline signature, the signer authorizes
  exactly the hash of that signature's signed attributes, the service signs it, and an independent
  validator checks the signed document against the target's trust anchors, asking the issuing
  CA's revocation services, as PrimeSign's guide does with the EU DSS validator and the RTR
  checker. Every signed document is kept with the scenario's evidence, so a person can open it or
  upload it to a validator by hand.

  Background:
    Given the signing application has a service access token

  @etsi319142_1 @rfc5652_5_4 @ps_web @browser @id_document_001
  Scenario Outline: A PDF signed with the signer's <role> credential validates
    Given the signer's <role> credential
    When the signer signs a PDF document with the credential
    Then the signed document is intact
    And the document's signing certificate is trusted and not revoked
    And the document's signing certificate allows non-repudiation signatures

    Examples:
      | role        |
      | signing     |
      | ECDSA P-256 |
      | ECDSA P-384 |

  @etsi319142_1 @browser @id_document_002
  Scenario: A signed document that is changed afterwards fails validation
    Given the signer's signing credential
    And the signer has signed a PDF document with the credential
    When someone changes one character of the signed document's text
    Then the validator reports the changed document as altered

  @rfc5280_6_3 @rfc6960_2_2 @browser @needs_revoked_credential @id_document_003
  Scenario: A revoked certificate never yields a document that validates
    Given the signer's revoked credential
    When the signer tries to sign a PDF document with the credential
    Then the service refuses to sign, or the validator reports the certificate as revoked

  # Long-term signatures (issue 17): a qualified signature has to validate for years, after its
  # certificate expired, which takes a trusted time-stamp, the validation data inside the
  # document and, for archival, a document time-stamp over it all. Each document is validated
  # trusting only the target's anchors with revocation data required: B-LT and B-LTA from what
  # the document carries alone, B-T with revocation data fetched from the target.
  @etsi319142_1_6_3 @etsi319102_1_5_5 @rfc3161_2_4_2 @browser @needs_timestamp @id_document_004
  Scenario Outline: A PDF signed as PAdES <level> validates offline at its level
    Given the signer's signing credential
    When the signer signs a PDF document as PAdES <level> with the credential
    Then every time-stamp token covers exactly the hash it was asked for
    And every time-stamp token echoes the nonce of its request
    And the time-stamping authority's certificate is fit for time-stamping and trusted
    And the document validates offline at level PAdES <level>

    Examples:
      | level |
      | B-T   |
      | B-LT  |
      | B-LTA |

  @csc2_11_13 @csc1_11_10 @rfc3161_2_4_2 @rfc3161_2_3 @needs_timestamp_method @id_document_005
  Scenario: The service time-stamps a hash
    When the signing application asks the service to time-stamp a hash with a nonce
    Then every time-stamp token covers exactly the hash it was asked for
    And every time-stamp token echoes the nonce of its request
    And the time-stamping authority's certificate is fit for time-stamping and trusted

  # The time-stamping authority's own RFC 3161 address: the one the profile names, else the one
  # its certificate publishes (subject information access, id-ad-timeStamping). PAdES signing
  # tools talk to a TSA there, not through the CSC API.
  @rfc3161_3_4 @rfc3161_2_4_2 @rfc5280_4_2_2_2 @needs_timestamp @id_document_006
  Scenario: The time-stamping authority answers a query sent over HTTP
    When the signing application sends a time-stamp query over HTTP to the time-stamping authority
    Then every time-stamp token covers exactly the hash it was asked for
    And every time-stamp token echoes the nonce of its request
    And the time-stamping authority's certificate is fit for time-stamping and trusted

  # A well-formed query first, so a TSA that refuses everything fails instead of passing.
  @rfc3161_2_4_1 @rfc3161_2_4_2 @needs_timestamp @id_document_007
  Scenario Outline: The time-stamping authority refuses a hash of the wrong length
    When the signing application sends a time-stamp query over HTTP to the time-stamping authority
    And the signing application sends the time-stamping authority a SHA-256 hash one byte <misfit>
    Then the time-stamping authority refuses to time-stamp it

    Examples:
      | misfit |
      | short  |
      | long   |
