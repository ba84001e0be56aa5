"""Steps of client_data.feature and account_token.feature."""

from __future__ import annotations

import json
import secrets

import pytest
from pytest_bdd import given, parsers, then, when

from cscsuite import account_token
from cscsuite.checks import client_data as checks
from cscsuite.checks import oauth
from cscsuite.driver_signing import SigningDriver
from cscsuite.profile import expand


def _client_data(flow: SigningDriver) -> str:
    return flow.world.notes.get("client_data") or json.dumps(
        {"clientTransactionId": f"tx-{secrets.token_hex(6)}"})


@given("the signing application tags its requests with a new transaction identifier")
def tag_transaction(flow: SigningDriver) -> None:
    tx = f"tx-{secrets.token_hex(8)}"
    flow.world.notes.update(transaction_id=tx, client_data=json.dumps({"clientTransactionId": tx}))


@then("the service's audit trail shows the transaction identifier for the authorization and the "
      "signing")
def audit_trail(flow: SigningDriver) -> None:
    tx = flow.world.notes["transaction_id"]
    url = expand(flow.world.profile.test_endpoints["audit"], base_url=flow.target.base_url, id=tx)
    resp = flow.api.http.get(url)
    checks.check_audit_trail((resp.body or {}).get("events", []), tx, ("authoriz", "sign"),
                             evidence=flow.ev(resp))


CALLS = {
    "asks the service for its information": lambda f, cd: f.api.call(
        "info", {f.api.wire("client_data"): cd}, None),
    "lists the credentials": lambda f, cd: f.api.list_credentials(f.world.service_token,
                                                                  client_data=cd),
    "reads the signer's signing credential": lambda f, cd: f.api.credential_info(
        f.world.service_token, f.credential_id("signing"), client_data=cd),
}


@when(parsers.re(r"the signing application (?P<call>" + "|".join(CALLS) + r"|<call>) with client "
                 r"data carrying a transaction identifier"))
def call_with_client_data(flow: SigningDriver, call: str) -> None:
    flow.world.response = CALLS[call](flow, _client_data(flow))


@when("the signer grants access to the service with client data asking for the eID login")
def grant_with_eid_hint(flow: SigningDriver) -> None:
    flow.login(flow.request("service", client_data=json.dumps({"amr_hint": "eid"})),
               identity="eid")


@then("the signer was asked for an eID test identity")
def eid_page_seen(flow: SigningDriver) -> None:
    checks.check_eid_login_offered(flow.world.notes["login"].pages_seen, "/eid",
                                   evidence=flow.ev())


# --- account tokens ----------------------------------------------------------------------------

def _account_token(flow: SigningDriver, variant: account_token.Variant,
                   client_name: str = "account_token", jti: str | None = None) -> str:
    client = flow.client(client_name)
    policy = client.account_token
    token = account_token.make(variant, client_id=client.client_id,
                               client_secret=str(client.secret), sub=policy.subject or "",
                               iss=policy.issuer, jti=jti,
                               stale_age_s=10 * (policy.lifetime_s or 8_640))
    flow.world.notes["account_token_jti"] = account_token.decode(token).claims.get("jti")
    return token


@given("the signer has granted access to the service, started with a correctly signed account "
       "token")
@when("the signer grants access to the service, started with a correctly signed account token")
def grant_with_account_token(flow: SigningDriver) -> None:
    token = _account_token(flow, account_token.Variant.VALID)
    flow.login(flow.request("service", client="account_token", account_token=token),
               client="account_token")


VARIANTS = {
    "signed with the wrong key": account_token.Variant.WRONG_KEY,
    "issued long ago": account_token.Variant.STALE_IAT,
    "issued for another client": account_token.Variant.FOREIGN_AZP,
    "for an account that does not exist": account_token.Variant.FOREIGN_SUB,
    "without a token identifier": account_token.Variant.NO_JTI,
    "with an empty token identifier": account_token.Variant.EMPTY_JTI,
}


@when(parsers.re(r"the signing application starts a service authorization with an account "
                 r"token (?P<defect>" + "|".join(VARIANTS) + "|<defect>)"))
def start_with_bad_account_token(flow: SigningDriver, defect: str) -> None:
    token = _account_token(flow, VARIANTS[defect])
    flow.attempt(flow.request("service", client="account_token", account_token=token),
                 client="account_token")


@when("the signing application starts a service authorization with an account token missing "
      "although the client needs one")
def start_without_account_token(flow: SigningDriver) -> None:
    if not flow.client("account_token").account_token.required:
        pytest.skip("the account-token client does not require an account token")
    flow.attempt(flow.request("service", client="account_token"), client="account_token")


@when("the signing application starts a service authorization with the same account token again")
def replay_account_token(flow: SigningDriver) -> None:
    token = _account_token(flow, account_token.Variant.REPLAYED_JTI,
                           jti=flow.world.notes["account_token_jti"])
    flow.attempt(flow.request("service", client="account_token", account_token=token),
                 client="account_token")


@when(parsers.parse("the signing application starts a service authorization with an unsigned "
                    "account token for a client declared to {policy} them"))
def start_alg_none(flow: SigningDriver, policy: str) -> None:
    name = next(n for n, c in flow.world.profile.clients.items()
                if c.account_token.alg_none == {"accept": "accepted", "refuse": "refused"}[policy])
    flow.world.notes["alg_none_client"] = name
    token = _account_token(flow, account_token.Variant.ALG_NONE, client_name=name)
    flow.attempt(flow.request("service", client=name, account_token=token), client=name)


@then("the unsigned account token is accepted or refused as the target declares")
def alg_none_as_declared(flow: SigningDriver) -> None:
    declared = flow.client(flow.world.notes["alg_none_client"]).account_token.alg_none
    oauth.check_alg_none_as_declared(flow.authorization(), declared, evidence=flow.ev())
