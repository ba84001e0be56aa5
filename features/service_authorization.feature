@service_auth @needs_oauth
Feature: Service authorization with the authorization code flow
  The signer lets the signing application use the service on their behalf. The signing
  application sends the signer to the authorization server, the signer logs in, and the
  application exchanges the returned code for a service access token.

  @csc1_8_3_2 @csc1_8_3_3 @rfc6749_4_1_2 @needs_oauth2code_service @browser @id_service_auth_001
  Scenario: The signer grants access and the application gets a service access token
    When the signer grants the signing application access to the service
    Then the signer is returned to the signing application with an authorization code
    And the returned state is the one the signing application sent
    When the signing application exchanges the authorization code
    Then the service issues a service access token
    And the service access token gives access to the signer's credentials

  @csc1_8_3_3 @rfc6749_2_3_1 @needs_oauth2code_service @browser @id_service_auth_002
  Scenario Outline: The code exchange works with every client authentication method
    When the signer grants the signing application access to the service
    And the signing application exchanges the authorization code authenticating with <method>
    Then the service issues a service access token

    Examples:
      | method           |
      | the basic scheme |
      | form fields      |

  @csc1_8_3_2 @rfc6749_3_1_2 @id_service_auth_003
  Scenario Outline: A redirect address that was not registered is never used
    When the signing application starts a service authorization returning to <address>
    Then the service does not send the signer to that address

    Examples:
      | address                                      |
      | an unregistered address                      |
      | the registered address with an extra path    |
      | the registered address with an extra query   |

  @csc1_8_3_2 @rfc6749_4_1_2_1 @id_service_auth_004
  Scenario: An implicit-grant request is refused
    When the signing application starts a service authorization asking for a token instead of a code
    Then the signer is returned to the signing application with an error instead of a token

  @csc1_8_3_2 @rfc6749_3_3 @rfc6749_4_1_2_1 @id_service_auth_005
  Scenario: An unknown scope is refused or ignored
    When the signing application starts an authorization for the scope "foo"
    Then the service refuses the scope "foo" or grants access without it

  @csc2_8_4_2 @rfc7636_4_4_1 @v2_only @id_service_auth_006
  Scenario: A credential request without a code challenge is refused
    Given the signing application has a service access token
    And the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash
    When the signing application starts a credential authorization without a code challenge
    Then the signer is returned to the signing application with the error "invalid_request"

  @csc1_8_3_3 @rfc6749_6 @needs_refresh @needs_oauth2code_service @browser @id_service_auth_007
  Scenario: A refresh token yields a new working access token
    Given the signing application has a fresh service access token
    When the signing application refreshes the service access token
    Then the service issues a service access token
    And the service access token gives access to the signer's credentials
