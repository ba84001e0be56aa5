@service_auth
Feature: Service authorization in every style the service offers
  A service says in its information how a signing application gets a service access token:
  a browser login (authorization code), the application's own client credentials, a login with
  the signer's user name and password, a token issued outside the API, or the application's TLS
  client certificate. The suite uses the style the service offers, and checks each one the
  service offers on its own terms.

  @csc1_8_1 @csc1_11_1 @browser @id_service_auth_008
  Scenario: The service access token of the offered style gives access to the signer's credentials
    Given the signing application has a fresh service access token
    Then the service access token gives access to the signer's credentials

  @csc1_8_1 @rfc6749_4_4 @needs_oauth @needs_oauth2client_service @id_service_auth_009
  Scenario: The client-credentials grant gives a service access token without a login
    When the signing application asks for a service token with its client credentials
    Then the grant gives the signing application a service access token without a refresh token
    And the service access token gives access to the signer's credentials

  @rfc6749_5_2 @needs_oauth @needs_oauth2client_service @id_service_auth_010
  Scenario: A client with a wrong secret gets no client-credentials token
    Given the signing application has a fresh service access token
    When the signing application asks for a service token with a wrong client secret
    Then the token endpoint refuses with error "invalid_client"

  @csc1_11_2 @needs_auth_login @id_service_auth_011
  Scenario: A login with the signer's password gives a service access token
    When the signing application logs in to the service with the signer's password
    Then the login gives the signing application a service access token
    And the service access token gives access to the signer's credentials

  @csc1_11_2 @needs_auth_login @id_service_auth_012
  Scenario: A login with a wrong password is refused
    Given the signing application has a fresh service access token
    When the signing application logs in to the service with a wrong password
    Then the service refuses the request with status 400 and error "authentication_error"

  @csc1_11_2 @needs_auth_login @needs_login_remember_me @id_service_auth_013
  Scenario: A remembered login gives a refresh token that logs in again
    When the signing application logs in to the service with the signer's password, asking to be remembered
    Then the login gives the signing application a service access token and a refresh token
    When the signing application logs in to the service with the refresh token
    Then the login gives the signing application a service access token
    And the service access token gives access to the signer's credentials

  @csc1_11_3 @needs_auth_login @needs_auth_revoke @id_service_auth_014
  Scenario: A service access token revoked at the service no longer works
    When the signing application logs in to the service with the signer's password
    Then the login gives the signing application a service access token
    When the signing application revokes the service access token at the service
    Then the service confirms the revocation
    And the service access token no longer gives access to the signer's credentials

  @csc1_11_3 @needs_auth_login @needs_auth_revoke @needs_login_remember_me @id_service_auth_015
  Scenario: Revoking the login's refresh token ends the grant
    When the signing application logs in to the service with the signer's password, asking to be remembered
    Then the login gives the signing application a service access token and a refresh token
    When the signing application revokes the refresh token at the service
    Then the service confirms the revocation
    And the service access token no longer gives access to the signer's credentials
    When the signing application logs in to the service with the refresh token
    Then the service refuses the request with status 400 and error "invalid_request"

  @csc1_8_1 @needs_external_service @needs_external_token @id_service_auth_016
  Scenario: A service token issued outside the API gives access to the signer's credentials
    When the signing application obtains a service token from outside the service
    Then the service access token gives access to the signer's credentials

  @csc1_11_3 @needs_auth_login @needs_auth_revoke @needs_second_signer @id_service_auth_017
  Scenario: Another signer cannot revoke the signer's service access token at the service
    When the signing application logs in to the service with the signer's password
    Then the login gives the signing application a service access token
    When the second signer acts with a service access token of their own
    And the signing application revokes the signer's service access token at the service
    Then the service does not revoke it for another signer
    When the signer acts again
    Then the service access token still works for the signing application
