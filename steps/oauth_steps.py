"""Steps of service_authorization, token and login features: authorization code flows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_bdd import given, parsers, then, when

from cscsuite.checks import errors, refusal, revocation
from cscsuite.checks import oauth as checks
from cscsuite.driver_login import page_for_value
from cscsuite.driver_signing import SigningDriver
from cscsuite.oauth import make_pkce

AUTH_METHODS = {"the basic scheme": "client_secret_basic", "form fields": "client_secret_post"}


@given("the signer has granted the signing application access to the service")
@when("the signer grants the signing application access to the service")
@when("the signer logs in with the password and the SMS code and approves")
def grant_service(flow: SigningDriver) -> None:
    flow.grant_service()


@then("the signer is returned to the signing application with an authorization code")
def code_returned(flow: SigningDriver) -> None:
    checks.check_code_returned(flow.authorization(), evidence=flow.ev())


@then("the returned state is the one the signing application sent")
def state_echoed(flow: SigningDriver) -> None:
    checks.check_state_echoed(flow.authorization(), evidence=flow.ev())


@then(parsers.parse('the signer is returned to the signing application with the error "{error}"'))
def callback_error(flow: SigningDriver, error: str) -> None:
    checks.check_callback_error(flow.authorization(), error, evidence=flow.ev())


@when("the signing application exchanges the authorization code")
def exchange(flow: SigningDriver) -> None:
    flow.exchange()


@when(parsers.parse("the signing application exchanges the authorization code authenticating "
                    "with {method}"))
def exchange_with_method(flow: SigningDriver, method: str) -> None:
    flow.exchange(client_auth=AUTH_METHODS[method])


@then("the signer is returned to the signing application with an error instead of a token")
def implicit_refused(flow: SigningDriver) -> None:
    said = checks.check_implicit_refused(flow.authorization(), evidence=flow.ev())
    flow.world.evidence.fact("implicit grant refusal", said)


@then(parsers.parse('the service refuses the scope "{scope}" or grants access without it'))
def unknown_scope(flow: SigningDriver, scope: str) -> None:
    said = checks.check_unknown_scope_answer(flow.authorization(), evidence=flow.ev())
    if said == "ignored":
        granted = checks.check_scope_ignored(flow.exchange(), scope, evidence=flow.ev())
        said = f"ignored (granted scope {granted!r})"
    flow.world.evidence.fact("unknown scope", said)


@then("the service issues a service access token")
def service_token_issued(flow: SigningDriver) -> None:
    checks.check_service_token(flow.response(), evidence=flow.ev())
    flow.world.service_token = flow.authorization().access_token


@then("the service access token gives access to the signer's credentials")
def token_gives_access(flow: SigningDriver) -> None:
    resp = flow.list_credentials()
    errors.check_success(resp, evidence=flow.ev(resp))


@then("the service access token no longer gives access to the signer's credentials")
def token_access_ended(flow: SigningDriver) -> None:
    resp = flow.list_credentials()
    revocation.check_access_ended(resp, evidence=flow.ev(resp))


@then("the service access token of the grant no longer gives access to the signer's credentials")
def grant_access_ended(flow: SigningDriver) -> None:
    resp = flow.list_credentials()
    revocation.check_grant_ended(resp, evidence=flow.ev(resp))


REDIRECTS: dict[str, Callable[[str], str]] = {
    "an unregistered address": lambda uri: "https://attacker.example/callback",
    "the registered address with an extra path": lambda uri: uri.rstrip("/") + "/extra",
    "the registered address with an extra query": lambda uri: uri + "?next=elsewhere",
}


@when(parsers.parse("the signing application starts a service authorization returning to "
                    "{address}"))
def start_with_redirect(flow: SigningDriver, address: str) -> None:
    req = flow.request("service")
    req.redirect_uri = flow.world.notes["redirect"] = REDIRECTS[address](req.redirect_uri)
    flow.world.response = flow.api.http.get(flow.url(req))


@then("the service does not send the signer to that address")
def not_redirected(flow: SigningDriver) -> None:
    checks.check_not_redirected_to(flow.response(), flow.world.notes["redirect"],
                                   evidence=flow.ev())
    checks.check_redirect_refused_before_login(flow.response(), evidence=flow.ev())


@when("the signing application starts a service authorization asking for a token instead of "
      "a code")
def start_implicit(flow: SigningDriver) -> None:
    flow.attempt(flow.request("service", response_type="token"))


@when(parsers.parse('the signing application starts an authorization for the scope "{scope}"'))
def start_scope(flow: SigningDriver, scope: str) -> None:
    flow.attempt(flow.request(scope))


@when("the signing application starts a credential authorization without a code challenge")
def start_without_pkce(flow: SigningDriver) -> None:
    req = flow.request("credential", credential_id=flow.credential().credential_id,
                       num_signatures=1, hashes=flow.world.hashes,
                       hash_algorithm=flow.hash_algorithm())
    req.code_challenge = req.code_challenge_method = None
    flow.attempt(req)


@when("the signing application refreshes the service access token")
def refresh(flow: SigningDriver) -> None:
    flow.refresh()


# --- token endpoint ----------------------------------------------------------------------------

@when("the signing application exchanges the same authorization code again")
def exchange_again(flow: SigningDriver) -> None:
    flow.exchange_again()


@when("the authorization code has outlived the lifetime the target declares for codes")
def code_expired(flow: SigningDriver) -> None:
    flow.wait_for_code_expiry()


@when("the signing application exchanges the authorization code naming another redirect address")
def exchange_other_redirect(flow: SigningDriver) -> None:
    flow.exchange(redirect_uri=(flow.authorization().redirect_uri or "") + "/other")


@when("another client exchanges the authorization code")
def exchange_by_other_client(flow: SigningDriver) -> None:
    flow.exchange(client="other")


@when("the signing application exchanges the authorization code with a wrong code verifier")
def exchange_wrong_verifier(flow: SigningDriver) -> None:
    flow.exchange(verifier=make_pkce().verifier)


BAD_CLIENT_AUTH: dict[str, dict[str, str]] = {
    "with a wrong client secret": {"client_secret": "wrong-secret"},
    "without authenticating": {}}
BAD_CLIENT_RE = "(?P<how>" + "|".join(BAD_CLIENT_AUTH) + "|<client authentication>)"


@when(parsers.re("the signing application exchanges the authorization code " + BAD_CLIENT_RE))
def exchange_bad_client(flow: SigningDriver, how: str) -> None:
    flow.exchange(client_auth="none", extra=BAD_CLIENT_AUTH[how])


@when("the signing application exchanges an invented authorization code")
def exchange_invented(flow: SigningDriver) -> None:
    flow.exchange(flow.invented_code())


GRANTS = {"without a grant type": {}, "with the password grant": {"grant_type": "password",
                                                                   "username": "nobody",
                                                                   "password": "nothing"}}


@when(parsers.parse("the signing application calls the token endpoint {variation}"))
def token_request(flow: SigningDriver, variation: str) -> None:
    flow.call_token_endpoint(GRANTS[variation])


@when("the signing application tries each grant type the authorization server advertises")
def try_grants(flow: SigningDriver) -> None:
    flow.world.notes["grant answers"] = flow.try_advertised_grants()


@then("no advertised grant type is answered as unsupported")
def grants_supported(flow: SigningDriver) -> None:
    checks.check_advertised_grants_supported(flow.world.notes["grant answers"], evidence=flow.ev())


@then(parsers.parse('the token endpoint refuses with error "{error}"'))
def token_error(flow: SigningDriver, error: str) -> None:
    checks.check_token_error(flow.response(), error, evidence=flow.ev())


@then(parsers.parse("the token endpoint refuses with status {status:d}"))
def token_status(flow: SigningDriver, status: int) -> None:
    checks.check_token_status(flow.response(), status, evidence=flow.ev())


@then("the token endpoint refuses the client")
@then("the service refuses the client")
def client_refused(flow: SigningDriver) -> None:
    said = checks.check_client_refused(flow.response(), evidence=flow.ev())
    flow.world.evidence.fact("client authentication refusal", said)


@then("no token is issued")
def no_token(flow: SigningDriver) -> None:
    checks.check_no_token(flow.response(), evidence=flow.ev())


# --- login -------------------------------------------------------------------------------------

@when("the signer logs in with a wrong password")
def wrong_password(flow: SigningDriver) -> None:
    flow.login_refused(flow.request("service"), overrides={"identity.password": "not-the-password"})


@when("the signer logs in with the password and a wrong SMS code")
def wrong_code(flow: SigningDriver) -> None:
    if page_for_value(flow.login_recipe(), "otp") is None:
        pytest.skip("the signer's login has no one-time-code step")
    flow.login_refused(flow.request("service"), overrides={"otp": "000000"})


@then("the login page shows an error")
def login_error_shown(flow: SigningDriver) -> None:
    refusal.check_login_refused(flow.outcome(), evidence=flow.ev())


@then("no authorization code is issued without the SMS code")
def second_factor_kept(flow: SigningDriver) -> None:
    refusal.check_second_factor_kept(flow.outcome(), evidence=flow.ev())


@then("no authorization code is issued")
@then("the authorization is refused")
def authorization_refused(flow: SigningDriver) -> None:
    refusal.check_authorization_refused(flow.outcome(), evidence=flow.ev())


@when("the signer logs in with the password and the SMS code and denies")
def deny(flow: SigningDriver) -> None:
    flow.login_refused(flow.request("service"), decision="deny")


@when("the signer logs in with the password and goes past the SMS code page without entering "
      "the code")
def skip_code(flow: SigningDriver) -> None:
    flow.login_past(lambda: flow.request("service"), "otp")


@when("the signer cancels the login with an eID test identity")
def eid_cancel(flow: SigningDriver) -> None:
    flow.cancel_login(flow.request("service"), identity="eid")


@then("the login pages opened again afterwards answer without a server error")
def stale_pages(flow: SigningDriver) -> None:
    checks.check_stale_pages(flow.revisit_login_pages(), evidence=flow.ev())


@then("the login ended on the page where the signer cancelled")
def ended_where_cancelled(flow: SigningDriver) -> None:
    checks.check_declined_once(flow.world.notes["login"].declined_on, evidence=flow.ev())


@when("the signer logs in with an eID test identity and approves")
def eid_login(flow: SigningDriver) -> None:
    flow.login(flow.request("service"), identity="eid")
