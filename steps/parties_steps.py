"""Steps in which another party acts: the second signer (another user) and the second client."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from cscsuite import credential_auth, parties, service_auth
from cscsuite.checks import errors, refusal
from cscsuite.checks import parties as checks
from cscsuite.driver_signing import SigningDriver
from steps.credential_auth_steps import refused_or_cannot_sign

TOKENS = {"service access token": "access_token", "refresh token": "refresh_token"}
TOKEN_RE = r"(?P<token>service access token|refresh token|<token>)"


@given("the second signer acts with a service access token of their own")
@when("the second signer acts with a service access token of their own")
def second_signer_acts(flow: SigningDriver) -> None:
    parties.act_as(flow, parties.SECOND_SIGNER)


@when("the signer acts again")
def signer_acts(flow: SigningDriver) -> None:
    parties.act_as(flow, parties.SIGNER)


@given(parsers.parse("the second signer's {role} credential"))
def second_signer_credential(flow: SigningDriver, role: str) -> None:
    flow.use_credential(role, parties.SECOND_SIGNER)


@given(parsers.parse("the second signer has authorized signing the hashes with their own {role} "
                     "credential"))
def second_signer_authorized(flow: SigningDriver, role: str) -> None:
    parties.authorize_own(flow, role)


@when("the second signer tries to authorize signing the hashes with the signer's credential")
def second_signer_tries(flow: SigningDriver) -> None:
    parties.attempt_foreign_authorization(flow)


@then("the service refuses the authorization for another signer's credential")
def foreign_authorization_refused(flow: SigningDriver) -> None:
    if credential_auth.mechanism(flow.credential()) == "direct":
        refusal.check_refused(flow.answer(), 400, "invalid_request", evidence=flow.ev())
    else:
        refused_or_cannot_sign(flow)


@when("the signing application lists every page of the credentials")
def list_every_page(flow: SigningDriver) -> None:
    ids, pages = flow.api.list_all_credential_ids(flow.world.service_token)
    flow.world.notes["listed"], flow.world.response = ids, pages[-1]


@then("the second signer's credential is listed and the signer's is not")
def listed_apart(flow: SigningDriver) -> None:
    errors.check_success(flow.response(), evidence=flow.ev())
    checks.check_listed_apart(flow.world.notes["listed"], flow.credential().credential_id,
                              flow.credential_id("signing"), evidence=flow.ev())


@when("the signing application revokes the signer's service access token at the service")
def revoke_signers_token(flow: SigningDriver) -> None:
    token = parties.tokens_held(flow)[parties.SIGNER]
    service_auth.revoke(flow, str(flow.established("signer's service access token", token)),
                        "access_token")


@then("the service does not revoke it for another signer")
def foreign_signer_revocation(flow: SigningDriver) -> None:
    flow.world.evidence.fact("another signer's revocation", checks.check_foreign_revoke_answer(
        flow.response(), evidence=flow.ev()))


@when("another client revokes the activation token")
def other_client_revokes_sad(flow: SigningDriver) -> None:
    flow.revoke(str(flow.activation_token()), "access_token", client=parties.SECOND_CLIENT)


@when(parsers.re("another client revokes the " + TOKEN_RE))
def other_client_revokes(flow: SigningDriver, token: str) -> None:
    value = flow.world.service_token if token == "service access token" \
        else flow.authorization().refresh_token
    flow.revoke(str(flow.established(token, value)), TOKENS[token], client=parties.SECOND_CLIENT)


@when("another client refreshes the service access token")
def other_client_refreshes(flow: SigningDriver) -> None:
    flow.refresh(client=parties.SECOND_CLIENT)


@then("the service does not revoke it for another client")
def foreign_revocation(flow: SigningDriver) -> None:
    flow.world.evidence.fact("another client's revocation", checks.check_foreign_revocation_answer(
        flow.response(), evidence=flow.ev()))


@then(parsers.re("the " + TOKEN_RE + " still works for the signing application"))
def still_works(flow: SigningDriver, token: str) -> None:
    if token == "refresh token":
        checks.check_token_kept(flow.refresh(), "access_token", evidence=flow.ev())
        flow.world.service_token = flow.authorization().access_token
    checks.check_token_kept(flow.list_credentials(), "credentialIDs", evidence=flow.ev())
