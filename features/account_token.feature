@account_token @needs_account_token_client @needs_oauth
Feature: Account tokens identify the signer's account at the signing application
  A signing application with restricted access proves which of its accounts starts an
  authorization with a short-lived token signed with a key derived from its client secret.
  The authorization server refuses tokens that are forged, replayed, stale or issued for
  another client.

  @csc1_8_3_1 @browser @id_account_token_001
  Scenario: A correctly signed account token is accepted
    When the signer grants access to the service, started with a correctly signed account token
    Then the signer is returned to the signing application with an authorization code

  @csc1_8_3_1 @id_account_token_002
  Scenario Outline: A defective account token is refused
    When the signing application starts a service authorization with an account token <defect>
    Then the authorization is refused

    Examples:
      | defect                                 |
      | signed with the wrong key              |
      | issued long ago                        |
      | missing although the client needs one  |
      | for an account that does not exist     |
      | without a token identifier             |
      | with an empty token identifier         |

    @should
    Examples: A token issued for another client (azp; inferred, spec-notes §10 item 55)
      | defect                    |
      | issued for another client |

  @csc1_8_3_1 @browser @id_account_token_003
  Scenario: A replayed account token is refused
    Given the signer has granted access to the service, started with a correctly signed account token
    When the signing application starts a service authorization with the same account token again
    Then the authorization is refused

  @ps_seed @csc1_8_3_1 @id_account_token_004
  Scenario Outline: An unsigned account token is treated as the target declares
    When the signing application starts a service authorization with an unsigned account token for a client declared to <policy> them
    Then the unsigned account token is accepted or refused as the target declares

    @needs_alg_none_accepted
    Examples: A client allowed to send unsigned tokens
      | policy |
      | accept |

    @needs_alg_none_refused
    Examples: A client that must sign its tokens
      | policy |
      | refuse |
