@login @needs_oauth @needs_oauth2code_service
Feature: The signer's login at the authorization server
  The signer logs in with a password and a one-time code sent by SMS, or with an eID test
  identity, and approves or denies the request on the consent page.

  @ps_web @rfc6749_4_1_2 @browser @id_login_001
  Scenario: Password and SMS code lead to an authorization code
    When the signer logs in with the password and the SMS code and approves
    Then the signer is returned to the signing application with an authorization code
    And the login pages opened again afterwards answer without a server error

  @ps_web @browser @id_login_002
  Scenario: A wrong password is not accepted
    When the signer logs in with a wrong password
    Then the login page shows an error
    And no authorization code is issued

  @ps_web @browser @id_login_003
  Scenario: A wrong SMS code is not accepted
    When the signer logs in with the password and a wrong SMS code
    Then the login page shows an error
    And no authorization code is issued

  @rfc6749_4_1_2_1 @csc1_8_3_2 @browser @id_login_004
  Scenario: Denying consent returns an access denied error
    When the signer logs in with the password and the SMS code and denies
    Then the signer is returned to the signing application with the error "access_denied"
    And the returned state is the one the signing application sent

  @ps_web @needs_eid_login @browser @id_login_005
  Scenario: An eID test identity logs in without a password
    When the signer logs in with an eID test identity and approves
    Then the signer is returned to the signing application with an authorization code
    When the signing application exchanges the authorization code
    Then the service issues a service access token

  @rfc6749_4_1_2_1 @needs_eid_login @browser @id_login_006
  Scenario: Cancelling the eID login returns an access denied error
    When the signer cancels the login with an eID test identity
    Then the login ended on the page where the signer cancelled
    And the signer is returned to the signing application with the error "access_denied"
    And the returned state is the one the signing application sent

  # The signer's second factor: a login that reaches the page after the SMS code page without
  # entering the code must not end in a code. The suite first logs in as the recipe says, to
  # learn which page follows the code page (the control), then goes there directly.
  @ps_web @browser @id_login_007
  Scenario: The SMS code page cannot be skipped
    When the signer logs in with the password and goes past the SMS code page without entering the code
    Then no authorization code is issued without the SMS code
