@revoke @needs_oauth
Feature: Revoking tokens
  The signing application revokes tokens it no longer needs. Revoking a refresh token ends the
  whole grant; revoking an access token leaves the refresh token usable; a revoked activation
  token signs nothing.

  @csc1_8_3_4 @rfc7009_2_1 @browser @id_revoke_001
  Scenario: A revoked service access token no longer works
    Given the signing application has a fresh service access token
    When the signing application revokes the service access token
    Then the revocation succeeds
    And the service access token no longer gives access to the signer's credentials

  @csc1_8_3_4 @rfc7009_2_1 @needs_refresh @browser @id_revoke_002
  Scenario: Revoking the refresh token ends the access tokens of the grant
    Given the signing application has a fresh service access token
    When the signing application revokes the refresh token
    Then the revocation succeeds
    And the service access token of the grant no longer gives access to the signer's credentials

  @csc1_8_3_4 @needs_refresh @browser @id_revoke_003
  Scenario: Revoking the access token leaves the refresh token usable
    Given the signing application has a fresh service access token
    When the signing application revokes the service access token
    And the signing application refreshes the service access token
    Then the refresh token still yields a service access token
    And the service access token gives access to the signer's credentials

  @rfc7009_2_2 @csc1_8_3_4 @id_revoke_004
  Scenario Outline: Revoking a token the service does not know is answered as documented
    When the signing application revokes an unknown token <hint>
    Then the revocation succeeds or is refused with error "invalid_request"

    Examples:
      | hint                                 |
      | without a hint                       |
      | with a hint the service does not know |

  @csc1_8_3_4 @rfc7009_2_1 @id_revoke_005
  Scenario Outline: A client that does not authenticate correctly cannot revoke
    When the signing application revokes an unknown token <client authentication>
    Then the service refuses the client

    Examples:
      | client authentication      |
      | with a wrong client secret |
      | without authenticating     |

  @csc1_8_3_4 @rfc7009_2 @browser @id_revoke_006
  Scenario: A credential token revoked before use signs nothing
    Given the signing application has a service access token
    And the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And the signing application revokes the activation token
    And the signing application signs the hashes with the credential's usual algorithm
    Then the service refuses the request with status 400 and error "invalid_request"

  @rfc7009_2_1 @csc1_8_3_4 @needs_second_client @browser @id_revoke_007
  Scenario Outline: Another client cannot revoke the signing application's tokens
    Given the signing application has a fresh service access token
    When another client revokes the <token>
    Then the service does not revoke it for another client
    And the <token> still works for the signing application

    Examples:
      | token                |
      | service access token |

    @needs_refresh
    Examples: Refresh tokens
      | token         |
      | refresh token |

  @rfc7009_2_1 @csc1_8_3_4 @needs_second_client @browser @id_revoke_008
  Scenario: Another client cannot revoke the signer's activation token
    Given the signing application has a service access token
    And the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signer authorizes signing the hashes with the credential
    And another client revokes the activation token
    Then the service does not revoke it for another client
    When the signing application signs the hashes with the credential's usual algorithm
    Then the service returns one signature per hash in the order of the hashes
