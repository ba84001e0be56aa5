@errors
Feature: Error answers
  Every refusal is a clear JSON error with the documented status; invalid or missing tokens are
  told apart from bad parameters, and no input makes the service fail with a server error.

  Background:
    Given the signing application has a service access token
    And the signer's signing credential

  @csc1_10 @csc1_10_1 @id_errors_001
  Scenario Outline: An invalid access token is answered with 401
    When the signing application <call> with an invalid access token
    Then the service answers with status 401
    And if the answer has a body, it names the error "invalid_token" or "expired_token"

    Examples:
      | call                                  |
      | lists the credentials                 |
      | reads the signer's signing credential |

  @csc1_10 @id_errors_002
  Scenario Outline: A call without an access token is refused
    When the signing application <call> without an access token
    Then the service refuses the missing authentication

    Examples:
      | call                                  |
      | lists the credentials                 |
      | reads the signer's signing credential |

  @csc1_10 @rfc6750_2_1 @id_errors_006
  Scenario Outline: An access token sent under another authorization scheme is refused
    When the signing application <call> with its access token under the Basic scheme instead of Bearer
    Then the service refuses the missing authentication
    And the same call with the access token as a bearer token succeeds

    Examples:
      | call                                  |
      | lists the credentials                 |
      | reads the signer's signing credential |

  @csc1_10_1 @id_errors_003
  Scenario Outline: Refusals carry a JSON error body
    When the signing application <call> with invalid input
    Then the answer is a client error with a JSON body naming the error

    Examples:
      | call                                  |
      | lists the credentials                 |
      | reads the signer's signing credential |
      | signs a hash                          |

  @csc1_7_1 @should @id_errors_004
  Scenario: A request that is not declared as JSON is refused
    When the signing application reads the signer's signing credential without declaring the body as JSON
    Then the service answers with status 400

  @csc1_10 @id_errors_005
  Scenario Outline: Malformed input never causes a server error
    When the signing application <call> with <malformed input>
    Then the service answers with status 400

    Examples:
      | call                                  | malformed input          |
      | lists the credentials                 | a body that is not JSON  |
      | reads the signer's signing credential | a body that is not JSON  |
      | reads the signer's signing credential | a list instead of an object |
      | signs a hash                          | a body that is not JSON  |
      | signs a hash                          | values of the wrong type |
