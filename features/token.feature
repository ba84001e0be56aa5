@token @needs_oauth
Feature: Exchanging authorization codes at the token endpoint
  An authorization code is single use, bound to its client, its redirect address and its PKCE
  verifier. The token endpoint refuses every exchange that breaks one of these bindings, and
  requests that do not name a grant it supports.

  @csc1_8_3_3 @rfc6749_4_1_2 @needs_oauth2code_service @browser @id_token_001
  Scenario: An authorization code works only once
    Given the signer has granted the signing application access to the service
    When the signing application exchanges the authorization code
    And the signing application exchanges the same authorization code again
    Then the token endpoint refuses with error "invalid_grant"
    And no token is issued

  @rfc6749_4_1_3 @csc1_8_3_3 @needs_second_client @needs_oauth2code_service @browser @id_token_007
  Scenario: An authorization code works only for the client it was issued to
    Given the signer has granted the signing application access to the service
    When another client exchanges the authorization code
    Then the token endpoint refuses with error "invalid_grant"
    And no token is issued

  @rfc6749_4_1_2 @rfc6749_5_2 @needs_oauth2code_service @browser @waits @id_token_010
  Scenario: An authorization code that has outlived its lifetime is refused
    Given the signer has granted the signing application access to the service
    When the authorization code has outlived the lifetime the target declares for codes
    And the signing application exchanges the authorization code
    Then the token endpoint refuses with error "invalid_grant"
    And no token is issued

  @csc1_8_3_3 @rfc6749_4_1_3 @needs_oauth2code_service @browser @id_token_002
  Scenario: The redirect address must be the one of the authorization request
    Given the signer has granted the signing application access to the service
    When the signing application exchanges the authorization code naming another redirect address
    Then the token endpoint refuses with error "invalid_grant"
    And no token is issued

  @csc2_8_4_4 @rfc7636_4_6 @needs_oauth2code_service @browser @id_token_003
  Scenario: A wrong code verifier is refused
    Given the signer has granted the signing application access to the service
    When the signing application exchanges the authorization code with a wrong code verifier
    Then the token endpoint refuses with error "invalid_grant"
    And no token is issued

  @csc1_8_3_3 @rfc6749_5_2 @needs_oauth2code_service @browser @id_token_004
  Scenario Outline: A client that does not authenticate correctly gets no token
    Given the signer has granted the signing application access to the service
    When the signing application exchanges the authorization code <client authentication>
    Then the token endpoint refuses the client
    And no token is issued

    Examples:
      | client authentication     |
      | with a wrong client secret |
      | without authenticating    |

  @csc1_8_3_3 @rfc6749_5_2 @id_token_005
  Scenario Outline: A request without a supported grant type is refused
    When the signing application calls the token endpoint <grant variation>
    Then the token endpoint refuses with status 400
    And no token is issued

    Examples:
      | grant variation             |
      | without a grant type        |
      | with the password grant     |

  @csc1_8_3_3 @rfc6749_5_2 @id_token_006
  Scenario: An invented authorization code is refused
    When the signing application exchanges an invented authorization code
    Then the token endpoint refuses with error "invalid_grant"
    And no token is issued

  @rfc6749_6 @rfc6749_5_2 @needs_second_client @needs_refresh @needs_oauth2code_service @browser @id_token_008
  Scenario: A refresh token works only for the client it was issued to
    Given the signing application has a fresh service access token
    When another client refreshes the service access token
    Then the token endpoint refuses with error "invalid_grant"
    And no token is issued
    And the refresh token still works for the signing application

  @rfc8414_2 @rfc6749_5_2 @id_token_009
  Scenario: Every grant type the authorization server advertises is supported
    When the signing application tries each grant type the authorization server advertises
    Then no advertised grant type is answered as unsupported
