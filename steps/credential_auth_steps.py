"""Steps of credential_authorization, rich_authorization and pushed_authorization features."""

from __future__ import annotations

import base64

from pytest_bdd import given, parsers, then, when

from cscsuite import oauth
from cscsuite.checks import errors, par, signing
from cscsuite.checks import oauth as checks


@given("the signer has authorized signing the hashes with the credential")
@when("the signer authorizes signing the hashes with the credential")
def authorize_hashes(flow):
    flow.authorize_signing()


@when("the signer tries to authorize signing the hashes with the credential")
def try_authorize_hashes(flow):
    flow.authorize_signing(attempt=True)


@when(parsers.parse("the signer authorizes {count:d} signature with the credential without "
                    "naming the hashes"))
def authorize_unbound(flow, count):
    flow.authorize_signing(num=count, bind=False)


@when(parsers.parse("the signer tries to authorize {count:d} signature with the credential "
                    "without naming the hashes"))
def try_authorize_unbound(flow, count):
    flow.authorize_signing(num=count, bind=False, attempt=True)


@when(parsers.parse('the signer authorizes signing the hashes with the qualifier "{qualifier}" '
                    'instead of a credential'))
def authorize_by_qualifier(flow, qualifier):
    flow.authorize_signing(signature_qualifier=qualifier)


@when("the signer authorizes signing the hashes with the credential, adding a description, "
      "a language, client data and extra parameters")
def authorize_with_everything(flow):
    flow.authorize_signing(description="Contract for signature", lang="en-US",
                           client_data='{"clientTransactionId":"tx-extra-params"}',
                           extra={"x_one": "1", "x_two": "2", "x_three": "3"})


@when("the signer tries to authorize the hashes written in the standard base64 alphabet")
def authorize_standard_alphabet(flow):
    standard = ",".join(base64.b64encode(h).decode() for h in flow.world.hashes)
    req = flow.request("credential", credential_id=flow.world.credential.credential_id,
                       num_signatures=len(flow.world.hashes),
                       hash_algorithm=flow.world.hash_algorithm,
                       extra={flow.api.wire("hashes"): standard})
    flow.authorize_request(req, attempt=True)


@then("the service issues an activation token of the type this API version documents")
def credential_token_type(flow):
    checks.check_credential_token(flow.world.authorization.token_response,
                                  flow.api.credential_token_type, evidence=flow.ev())


@then("the service issues an activation token")
def sad_issued(flow):
    signing.check_sad_issued(flow.world.response, evidence=flow.ev())


@then("the activation token comes without a refresh token")
def no_refresh(flow):
    checks.check_no_refresh_token(flow.world.authorization.token_response, evidence=flow.ev())


@then("the activation token signs exactly the authorized hashes")
def signs_authorized(flow):
    resp = flow.sign("RSA with a separate hash algorithm")
    sigs = flow.world.signatures
    signing.check_signatures_returned(resp, sigs, len(flow.world.hashes), evidence=flow.ev())
    from cscsuite.checks.verification import check_signature_count_and_order

    check_signature_count_and_order(flow.world.credential.certificates[0], flow.world.hashes,
                                    sigs, flow.world.sign_algorithm, flow.world.hash_algorithm,
                                    evidence=flow.ev())


@then("the authorization is refused or the activation token signs exactly the authorized hashes")
def refused_or_signs(flow):
    if flow.world.authorization.code is None:
        checks.check_authorization_refused(flow.world.authorization, evidence=flow.ev())
    else:
        signs_authorized(flow)


@then("the authorization is refused or the activation token cannot sign")
def refused_or_cannot_sign(flow):
    if flow.world.sad:
        resp = flow.sign("RSA with a separate hash algorithm")
        errors.check_error(resp, 400, "invalid_request", evidence=flow.ev())
    else:
        checks.check_authorization_refused(flow.world.authorization, evidence=flow.ev())


@then("the token response names the credential the service chose")
def chosen_credential(flow):
    chosen = checks.check_chosen_credential(flow.world.authorization.token_response,
                                            evidence=flow.ev())
    flow.read_credential(chosen, certificates="chain", cert_info=True)


# --- direct authorization (credentials/authorize) ------------------------------------------------

@when("the signing application authorizes the credential directly")
def authorize_directly(flow):
    flow._authorize_directly(len(flow.world.hashes), flow.world.hashes)


@then("the service refuses the request or does not offer direct authorization")
def direct_unavailable(flow):
    signing.check_direct_authorization_unavailable(flow.world.response, evidence=flow.ev())


@when(parsers.parse("the signing application authorizes the credential directly for {count} "
                    "signatures"))
def authorize_directly_count(flow, count):
    flow._authorize_directly(int(count), None)


@when("the signing application authorizes the credential directly with the signer's PIN and "
      "one-time code")
def authorize_explicitly(flow):
    flow._authorize_directly(len(flow.world.hashes), flow.world.hashes)


@when("the signing application authorizes the credential directly with a wrong PIN")
def authorize_wrong_pin(flow):
    otp = flow.world.profile.identities["signer"].values.get("credential_otp")
    flow._authorize_directly(len(flow.world.hashes), flow.world.hashes, pin="0000-wrong", otp=otp)


@then("the service refuses the authentication data")
def wrong_factor(flow):
    signing.check_wrong_factor(flow.world.response, flow.api.version, evidence=flow.ev())


# --- rich authorization requests ---------------------------------------------------------------

def _details(flow, qualifier=None, **changes):
    details = oauth.credential_authorization_details(
        hashes=flow.world.hashes, hash_algorithm=flow.world.hash_algorithm,
        credential_id=flow.world.credential.credential_id,
        signature_qualifier=qualifier, labels=flow.world.notes.get("labels"),
        num_signatures=len(flow.world.hashes))
    details[0].update(changes)
    return [{k: v for k, v in details[0].items() if v is not None}]


@when(parsers.parse('the signer authorizes the document digests as authorization details with '
                    'the qualifier "{qualifier}"'))
def authorize_rar(flow, qualifier):
    details = _details(flow, qualifier)
    flow.authorize_request(flow.request("credential", authorization_details=details))


RAR_DEFECTS = {
    "of an unknown type": {"type": "not_a_known_type"},
    "without document digests": {"documentDigests": None},
    "without a hash algorithm": {"hashAlgorithmOID": None},
    "with a digest that is no hash": {"documentDigests": [{"hash": "!!not base64!!",
                                                           "label": "broken"}]},
}


@when(parsers.parse("the signing application starts a credential authorization with details "
                    "{defect}"))
def start_bad_rar(flow, defect):
    req = flow.request("credential", authorization_details=_details(flow, **RAR_DEFECTS[defect]))
    flow.attempt(req)


@then("the token response carries the granted credential details")
def granted_details(flow):
    digests = [oauth.b64(h) for h in flow.world.hashes]
    checks.check_granted_details(flow.world.authorization.token_response, digests,
                                 evidence=flow.ev())


# --- pushed authorization requests -------------------------------------------------------------

def _credential_request(flow, **fields):
    return flow.request("credential", credential_id=flow.world.credential.credential_id,
                        num_signatures=len(flow.world.hashes), hashes=flow.world.hashes,
                        hash_algorithm=flow.world.hash_algorithm, **fields)


def _push(flow, req, client_auth="client_secret_basic", client="main"):
    flow.world.notes["pushed"] = req
    resp = flow.api.push_authorization(flow.endpoints.par, flow.client(client), req, client_auth)
    flow.world.response = resp
    return resp


@given("the signing application has pushed a credential authorization request")
@when("the signing application pushes a credential authorization request")
def push(flow):
    _push(flow, _credential_request(flow))


@given("the signing application has pushed the hashes as authorization details")
def push_rar(flow):
    req = flow.request("credential", authorization_details=_details(flow, "eu_eidas_qes"))
    par.check_pushed(_push(flow, req), evidence=flow.ev())


@when(parsers.parse("the signing application pushes a credential authorization request "
                    "authenticating with {method}"))
def push_with_method(flow, method):
    from steps.oauth_steps import AUTH_METHODS

    _push(flow, _credential_request(flow), AUTH_METHODS[method])


@when("the signing application pushes a credential authorization request without authenticating")
def push_unauthenticated(flow):
    _push(flow, _credential_request(flow), "none")


@when("the signing application pushes a credential authorization request that contains a "
      "request reference")
def push_with_request_uri(flow):
    _push(flow, _credential_request(flow, extra={
        "request_uri": "urn:ietf:params:oauth:request_uri:invented"}))


PAR_DEFECTS = {"an unregistered redirect address": {"redirect_uri":
                                                    "https://attacker.example/callback"},
               "an unsupported response type": {"response_type": "token"}}


@when(parsers.parse("the signing application pushes a credential authorization request with "
                    "{defect}"))
def push_defective(flow, defect):
    req = _credential_request(flow)
    for name, value in PAR_DEFECTS[defect].items():
        setattr(req, name, value)
    _push(flow, req)


@when("the signing application reads the push endpoint with GET")
def get_par(flow):
    flow.world.response = flow.api.http.get(flow.endpoints.par)


@then("the answer carries a request reference and a positive lifetime")
def pushed_ok(flow):
    par.check_pushed(flow.world.response, evidence=flow.ev())


@then("the request reference is a URN in the IETF request namespace")
def pushed_urn(flow):
    par.check_request_uri_urn(flow.world.response, evidence=flow.ev())


def _par_url(flow, client="main"):
    uri = flow.world.response.field("request_uri") or ""
    flow.world.notes.setdefault("request_uri", uri)
    return oauth.par_authorize_url(flow.endpoints.authorize, flow.client(client).client_id,
                                   flow.world.notes["request_uri"])


@when("the signer authorizes the pushed request")
def authorize_pushed(flow):
    flow.login(flow.world.notes["pushed"], url=_par_url(flow))


@when("the signing application sends the signer to the same pushed request again")
@when("the signing application sends the signer to the pushed request")
def resend_pushed(flow):
    flow.attempt(flow.world.notes["pushed"], url=_par_url(flow))


@when("another client sends the signer to the pushed request")
def other_client_pushed(flow):
    flow.attempt(flow.world.notes["pushed"], client="other", url=_par_url(flow, "other"))


@when("the request reference has expired")
def par_expired(flow):
    flow.wait_for_expiry(flow.world.response.field("expires_in"))
