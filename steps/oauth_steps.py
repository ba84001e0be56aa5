"""Steps of service_authorization, token and login features: authorization code flows."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks import oauth as checks
from cscsuite.checks import revocation
from cscsuite.world import Secret

AUTH_METHODS = {"the basic scheme": "client_secret_basic", "form fields": "client_secret_post"}


@given("the signer has granted the signing application access to the service")
@when("the signer grants the signing application access to the service")
@when("the signer logs in with the password and the SMS code and approves")
def grant_service(flow):
    flow.grant_service()


@then("the signer is returned to the signing application with an authorization code")
def code_returned(flow):
    checks.check_code_returned(flow.world.authorization, evidence=flow.ev())


@then("the returned state is the one the signing application sent")
def state_echoed(flow):
    checks.check_state_echoed(flow.world.authorization, evidence=flow.ev())


@then(parsers.parse('the signer is returned to the signing application with the error "{error}"'))
def callback_error(flow, error):
    checks.check_callback_error(flow.world.authorization, error, evidence=flow.ev())


@when("the signing application exchanges the authorization code")
def exchange(flow):
    flow.exchange()


@when(parsers.parse("the signing application exchanges the authorization code authenticating "
                    "with {method}"))
def exchange_with_method(flow, method):
    flow.exchange(client_auth=AUTH_METHODS[method])


@then("the service issues a service access token")
def service_token_issued(flow):
    checks.check_service_token(flow.world.response, evidence=flow.ev())
    flow.world.service_token = flow.world.authorization.access_token


@then("the service access token gives access to the signer's credentials")
def token_gives_access(flow):
    resp = flow.api.list_credentials(flow.world.service_token)
    flow.world.response = resp
    from cscsuite.checks.errors import check_success

    check_success(resp, evidence=flow.ev(resp))


@then("the service access token no longer gives access to the signer's credentials")
def token_access_ended(flow):
    resp = flow.api.list_credentials(flow.world.service_token)
    revocation.check_access_ended(resp, evidence=flow.ev(resp))


REDIRECTS = {
    "an unregistered address": lambda uri: "https://attacker.example/callback",
    "the registered address with an extra path": lambda uri: uri.rstrip("/") + "/extra",
    "the registered address with an extra query": lambda uri: uri + "?next=elsewhere",
}


@when(parsers.parse("the signing application starts a service authorization returning to "
                    "{address}"))
def start_with_redirect(flow, address):
    req = flow.request("service")
    req.redirect_uri = REDIRECTS[address](req.redirect_uri)
    flow.world.notes["redirect"] = req.redirect_uri
    flow.world.response = flow.api.http.get(flow.url(req))


@then("the service does not send the signer to that address")
def not_redirected(flow):
    checks.check_not_redirected_to(flow.world.response, flow.world.notes["redirect"],
                                   evidence=flow.ev())
    checks.check_redirect_refused_before_login(flow.world.response, evidence=flow.ev())


@when("the signing application starts a service authorization asking for a token instead of "
      "a code")
def start_implicit(flow):
    flow.attempt(flow.request("service", response_type="token"))


@when(parsers.parse('the signing application starts an authorization for the scope "{scope}"'))
def start_scope(flow, scope):
    flow.attempt(flow.request(scope))


@when("the signing application starts a credential authorization without a code challenge")
def start_without_pkce(flow):
    cred = flow.world.credential
    req = flow.request("credential", credential_id=cred.credential_id, num_signatures=1,
                       hashes=flow.world.hashes, hash_algorithm=flow.world.hash_algorithm)
    req.code_challenge = req.code_challenge_method = None
    flow.attempt(req)


@when("the signing application refreshes the service access token")
def refresh(flow):
    auth = flow.world.authorization
    resp = flow.api.refresh(flow.endpoints.token, flow.client(), str(auth.refresh_token or ""),
                            "client_secret_basic")
    flow.world.response = auth.token_response = resp
    auth.access_token = Secret(resp.field("access_token") or "")


# --- token endpoint ----------------------------------------------------------------------------

@when("the signing application exchanges the same authorization code again")
def exchange_again(flow):
    flow.exchange()


@when("the signing application exchanges the authorization code naming another redirect address")
def exchange_other_redirect(flow):
    flow.exchange(redirect_uri=flow.world.authorization.redirect_uri + "/other")


@when("the signing application exchanges the authorization code with a wrong code verifier")
def exchange_wrong_verifier(flow):
    from cscsuite.oauth import make_pkce

    flow.exchange(verifier=make_pkce().verifier)


BAD_CLIENT_AUTH = {"with a wrong client secret": {"client_secret": "wrong-secret"},
                   "without authenticating": {}}
BAD_CLIENT_RE = "(?P<how>" + "|".join(BAD_CLIENT_AUTH) + "|<client authentication>)"


@when(parsers.re("the signing application exchanges the authorization code " + BAD_CLIENT_RE))
def exchange_bad_client(flow, how):
    flow.exchange(client_auth="none", **BAD_CLIENT_AUTH[how])


@when("the signing application exchanges an invented authorization code")
def exchange_invented(flow):
    req = flow.request("service")
    auth = flow._remember(req, "invented-code-0000", None, None, None, None)
    flow.exchange(auth)


GRANTS = {"without a grant type": {}, "with the password grant": {"grant_type": "password",
                                                                   "username": "nobody",
                                                                   "password": "nothing"}}


@when(parsers.parse("the signing application calls the token endpoint {variation}"))
def token_request(flow, variation):
    client = flow.client()
    flow.world.response = flow.api.http.post_form(
        flow.endpoints.token, {"client_id": client.client_id, **GRANTS[variation]},
        basic_auth=(client.client_id, str(client.secret)))


@then(parsers.parse('the token endpoint refuses with error "{error}"'))
def token_error(flow, error):
    checks.check_token_error(flow.world.response, error, evidence=flow.ev())


@then(parsers.parse("the token endpoint refuses with status {status:d}"))
def token_status(flow, status):
    checks.check_token_status(flow.world.response, status, evidence=flow.ev())


@then("the token endpoint refuses the client")
@then("the service refuses the client")
def client_refused(flow):
    checks.check_client_refused(flow.world.response, evidence=flow.ev())


@then("no token is issued")
def no_token(flow):
    resp: ApiResponse = flow.world.response
    checks.check_no_token(resp, evidence=flow.ev())


# --- login -------------------------------------------------------------------------------------

@when("the signer logs in with a wrong password")
def wrong_password(flow):
    flow.login(flow.request("service"), overrides={"identity.password": "not-the-password"})


@when("the signer logs in with the password and a wrong SMS code")
def wrong_code(flow):
    flow.login(flow.request("service"), overrides={"otp": "000000"})


@then("the login page shows an error")
def login_error_shown(flow):
    checks.check_login_error_shown(flow.world.notes["login"].page_error, None,
                                   evidence=flow.ev())


@then("no authorization code is issued")
@then("the authorization is refused")
def authorization_refused(flow):
    checks.check_authorization_refused(flow.world.authorization, evidence=flow.ev())


@when("the signer logs in with the password and the SMS code and denies")
def deny(flow):
    flow.login(flow.request("service"), decision="deny")


@when("the signer logs in with an eID test identity and approves")
def eid_login(flow):
    flow.login(flow.request("service"), identity="eid")
