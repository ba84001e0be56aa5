@par @v2_only @needs_par @needs_oauth
Feature: Pushed authorization requests
  The signing application pushes its authorization request to the authorization server first
  and then sends the signer to the server with only a short reference to it.

  Background:
    Given the signing application has a service access token
    And the signer's signing credential
    And the signing application has computed 1 SHA-256 document hash

  @rfc9126_2_2 @csc2_8_4_3 @id_par_001
  Scenario: A pushed request is answered with a reference and its lifetime
    When the signing application pushes a credential authorization request
    Then the service answers with status 201
    And the answer carries a request reference and a positive lifetime

  @rfc9126_2_2 @ps_kc @should @id_par_002
  Scenario: The request reference is a URN in the IETF request namespace
    When the signing application pushes a credential authorization request
    Then the request reference is a URN in the IETF request namespace

  @rfc9126_2 @rfc6749_2_3_1 @id_par_003
  Scenario Outline: Pushing works with every client authentication method
    When the signing application pushes a credential authorization request authenticating with <method>
    Then the service answers with status 201

    Examples:
      | method           |
      | the basic scheme |
      | form fields      |

  @rfc9126_2 @id_par_004
  Scenario: A push without client authentication is refused
    When the signing application pushes a credential authorization request without authenticating
    Then the service refuses the client

  @rfc9126_2_1 @id_par_005
  Scenario: A push may not itself contain a request reference
    When the signing application pushes a credential authorization request that contains a request reference
    Then the service refuses the push for naming a request reference

  @rfc9126_2_3 @id_par_006
  Scenario: The push endpoint accepts only POST
    When the signing application reads the push endpoint with GET
    Then the service refuses the method

  @rfc9126_4 @should @browser @id_par_007
  Scenario: A request reference works only once
    Given the signing application has pushed a credential authorization request
    When the signer authorizes the pushed request
    Then the signer is returned to the signing application with an authorization code
    When the signing application sends the signer to the same pushed request again
    Then the authorization is refused

  @rfc9126_4 @waits @id_par_008
  Scenario: An expired request reference is refused
    Given the signing application has pushed a credential authorization request
    When the request reference has expired
    And the signing application sends the signer to the pushed request
    Then the authorization is refused

  @rfc9126_4 @should @needs_second_client @id_par_009
  Scenario: A request reference cannot be used by another client
    Given the signing application has pushed a credential authorization request
    When another client sends the signer to the pushed request
    Then the authorization is refused

  @rfc9126_2_3 @ps_kc @id_par_010
  Scenario: A push with an unregistered redirect address is refused
    When the signing application pushes a credential authorization request with an unregistered redirect address
    Then the service refuses the request with status 400 and error "invalid_request"

  @rfc9126_2_3 @rfc6749_4_1_2_1 @ps_kc @id_par_012
  Scenario: A push with an unsupported response type is refused
    When the signing application pushes a credential authorization request with an unsupported response type
    Then the service refuses the push for its response type

  @rfc9126_2 @rfc9396_7 @needs_rar @browser @id_par_011
  Scenario: Authorization details can be pushed
    Given the signing application has pushed the hashes as authorization details
    When the signer authorizes the pushed request
    And the signing application exchanges the authorization code
    Then the token response carries the granted credential details
    And the activation token signs exactly the authorized hashes
