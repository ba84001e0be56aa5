"""Steps of credential_authorization, rich_authorization and pushed_authorization features."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from cscsuite import credential_auth, oauth
from cscsuite.adapters.base import AuthorizationRequest
from cscsuite.checks import oauth as checks
from cscsuite.checks import par, refusal, signing
from cscsuite.checks.verification import check_signature_count_and_order
from cscsuite.driver_signing import SigningDriver
from cscsuite.outcomes import Granted
from steps.oauth_steps import AUTH_METHODS


@given("the signer has authorized signing the hashes with the credential")
@when("the signer authorizes signing the hashes with the credential")
def authorize_hashes(flow: SigningDriver) -> None:
    flow.authorize_signing()


@when("the signer tries to authorize signing the hashes with the credential")
def try_authorize_hashes(flow: SigningDriver) -> None:
    flow.authorize_signing(attempt=True)


@when(parsers.parse("the signer authorizes {count:d} signature with the credential without "
                    "naming the hashes"))
def authorize_unbound(flow: SigningDriver, count: int) -> None:
    flow.authorize_signing(num=count, bind=False)


@when(parsers.parse("the signer tries to authorize {count:d} signature with the credential "
                    "without naming the hashes"))
def try_authorize_unbound(flow: SigningDriver, count: int) -> None:
    flow.authorize_signing(num=count, bind=False, attempt=True)


@when(parsers.parse('the signer authorizes signing the hashes with the qualifier "{qualifier}" '
                    'instead of a credential'))
def authorize_by_qualifier(flow: SigningDriver, qualifier: str) -> None:
    flow.authorize_signing(signature_qualifier=qualifier)


@when("the signer authorizes that many signatures with the credential's signature qualifier "
      "instead of a credential, without naming the hashes")
def authorize_by_own_qualifier(flow: SigningDriver) -> None:
    qualifier = flow.credential().signature_qualifier
    if not qualifier:
        pytest.skip("the credential names no signature qualifier (optional in CSC2 §11.5)")
    flow.authorize_signing(signature_qualifier=qualifier, bind=False)


@when("the signer authorizes signing the hashes with the credential, adding a description, "
      "a language, client data and extra parameters")
def authorize_with_everything(flow: SigningDriver) -> None:
    flow.authorize_signing(description="Contract for signature", lang="en-US",
                           client_data='{"clientTransactionId":"tx-extra-params"}',
                           extra={"x_one": "1", "x_two": "2", "x_three": "3"})


@when("the signer tries to authorize the hashes written in the standard base64 alphabet")
def authorize_standard_alphabet(flow: SigningDriver) -> None:
    standard = ",".join(base64.b64encode(h).decode() for h in flow.world.hashes)
    req = _credential_request(flow, hashes=None, extra={flow.api.wire("hashes"): standard})
    flow.authorize_request(req, attempt=True)


@then("the service issues an activation token of the type this API version documents")
def credential_token_type(flow: SigningDriver) -> None:
    checks.check_credential_token(flow.token_response(), flow.api.credential_token_type,
                                  evidence=flow.ev())


@then("the service issues an activation token")
def sad_issued(flow: SigningDriver) -> None:
    signing.check_sad_issued(flow.response(), evidence=flow.ev())


@then("the activation token comes without a refresh token")
def no_refresh(flow: SigningDriver) -> None:
    checks.check_no_refresh_token(flow.token_response(), evidence=flow.ev())


@then("the activation token signs exactly the authorized hashes")
def signs_authorized(flow: SigningDriver) -> None:
    algorithm = credential_auth.signing_algorithm(flow.credential(), flow.world.hash_algorithm)
    resp, w = flow.sign(algorithm), flow.world
    signing.check_signatures_returned(resp, w.signatures, len(w.hashes), evidence=flow.ev())
    check_signature_count_and_order(flow.certificate(), w.hashes, w.signatures,
                                    flow.sign_algorithm(), w.hash_algorithm, evidence=flow.ev())


@then("the authorization is refused or the activation token signs exactly the authorized hashes")
def refused_or_signs(flow: SigningDriver) -> None:
    if isinstance(flow.outcome(), Granted):
        signs_authorized(flow)
        flow.world.evidence.fact("authorization answer", "granted, signs the authorized hashes")
    else:
        refusal.check_authorization_refused(flow.outcome(), evidence=flow.ev())
        flow.world.evidence.fact("authorization answer", "refused")


@then("the authorization is refused or the activation token cannot sign")
def refused_or_cannot_sign(flow: SigningDriver) -> None:
    if isinstance(flow.outcome(), Granted):
        flow.sign("RSA with a separate hash algorithm")
        refusal.check_refused(flow.answer(), 400, "invalid_request", evidence=flow.ev())
        flow.world.evidence.fact("authorization answer", "granted, refused at signHash")
    else:
        refusal.check_authorization_refused(flow.outcome(), evidence=flow.ev())
        flow.world.evidence.fact("authorization answer", "refused")


@then("the token response names the credential the service chose")
def chosen_credential(flow: SigningDriver) -> None:
    chosen = checks.check_chosen_credential(flow.token_response(), evidence=flow.ev())
    flow.read_credential(chosen, certificates="chain", cert_info=True)


# --- direct authorization (credentials/authorize) ------------------------------------------------

@when("the signing application authorizes the credential directly")
@when("the signing application authorizes the credential directly with the signer's PIN and "
      "one-time code")
def authorize_directly(flow: SigningDriver) -> None:
    flow.authorize_directly(len(flow.world.hashes), flow.world.hashes)


@then("the service refuses the request or does not offer direct authorization")
def direct_unavailable(flow: SigningDriver) -> None:
    signing.check_direct_authorization_unavailable(flow.response(), evidence=flow.ev())


@when(parsers.parse("the signing application authorizes the credential directly for {count} "
                    "signatures"))
def authorize_directly_count(flow: SigningDriver, count: str) -> None:
    flow.authorize_directly(int(count), None)


@when("the signing application authorizes the credential directly for its hashes without naming "
      "them")
def authorize_directly_unnamed(flow: SigningDriver) -> None:
    flow.authorize_directly(len(flow.world.hashes), None)


@given("the credential has sole control level 1")
def scal1_credential(flow: SigningDriver) -> None:
    if flow.credential().scal == "2":
        pytest.skip("the credential has sole control level 2, which binds the hashes (CSC1 §11.6)")


@when("the signing application authorizes the credential directly with a wrong PIN")
def authorize_wrong_pin(flow: SigningDriver) -> None:
    flow.authorize_directly(len(flow.world.hashes), flow.world.hashes, pin="0000-wrong")


@when("the signing application authorizes the credential directly with a wrong one-time code")
def authorize_wrong_otp(flow: SigningDriver) -> None:
    flow.authorize_directly(len(flow.world.hashes), flow.world.hashes, otp="000000-wrong")


@when("the signing application authorizes the credential directly for all the hashes")
def authorize_all_hashes(flow: SigningDriver) -> None:
    flow.authorize_directly(len(flow.world.hashes), flow.world.hashes)


@given("the right factors have just authorized the credential")
def factors_work(flow: SigningDriver) -> None:
    resp = flow.authorize_directly(len(flow.world.hashes), flow.world.hashes)
    credential_auth.check_authorized(flow, resp)


@given("the credential has just authorized as many signatures as it may sign at once")
def limit_works(flow: SigningDriver) -> None:
    limit = flow.multisign_limit()
    resp = flow.authorize_directly(limit, flow.world.hashes[:limit])
    credential_auth.check_authorized(flow, resp)


@when("the signing application asks the service to send the signer a one-time code")
def send_otp(flow: SigningDriver) -> None:
    cred = flow.credential()
    with credential_auth.otp_turn(flow, cred):
        credential_auth.send_otp(flow, cred.credential_id)


@then("the service refuses the authentication data")
def wrong_factor(flow: SigningDriver) -> None:
    signing.check_wrong_factor(flow.response(), flow.api.version, evidence=flow.ev())


@then(parsers.re(r"the service refuses the (?P<factor>PIN|one-time code)"))
def wrong_named_factor(flow: SigningDriver, factor: str) -> None:
    signing.check_wrong_factor(flow.response(), flow.api.version, FACTORS[factor],
                               evidence=flow.ev())


FACTORS = {"PIN": "pin", "one-time code": "otp"}


# --- rich authorization requests ---------------------------------------------------------------

def _details(flow: SigningDriver, qualifier: str | None = None,
             **changes: Any) -> list[dict[str, Any]]:
    details = oauth.credential_authorization_details(
        hashes=flow.world.hashes, hash_algorithm=flow.hash_algorithm(),
        credential_id=flow.credential().credential_id,
        signature_qualifier=qualifier, labels=flow.world.notes.get("labels"),
        num_signatures=len(flow.world.hashes))
    details[0].update(changes)
    return [{k: v for k, v in details[0].items() if v is not None}]


@when(parsers.parse('the signer authorizes the document digests as authorization details with '
                    'the qualifier "{qualifier}"'))
def authorize_rar(flow: SigningDriver, qualifier: str) -> None:
    flow.authorize_request(flow.request("credential",
                                        authorization_details=_details(flow, qualifier)))


@when("the signer authorizes the document digests as authorization details naming only the "
      "credential")
def authorize_rar_credential_only(flow: SigningDriver) -> None:
    flow.authorize_request(flow.request("credential", authorization_details=_details(flow)))


RAR_DEFECTS: dict[str, dict[str, Any]] = {
    "of an unknown type": {"type": "not_a_known_type"},
    "of an unknown type that sorts before credential": {"type": "aaa_unknown"},
    "without document digests": {"documentDigests": None},
    "without a hash algorithm": {"hashAlgorithmOID": None},
    "with a digest that is no hash": {"documentDigests": [{"hash": "!!not base64!!",
                                                           "label": "broken"}]},
    "naming neither a credential nor a qualifier": {"credentialID": None,
                                                    "signatureQualifier": None},
}


@when(parsers.parse("the signing application starts a credential authorization with details "
                    "{defect}"))
def start_bad_rar(flow: SigningDriver, defect: str) -> None:
    flow.attempt(flow.request("credential",
                              authorization_details=_details(flow, **RAR_DEFECTS[defect])))


@then("the token response carries the granted credential details")
def granted_details(flow: SigningDriver) -> None:
    digests = [oauth.b64(h) for h in flow.world.hashes]
    checks.check_granted_details(flow.token_response(), digests, evidence=flow.ev())


# --- pushed authorization requests -------------------------------------------------------------

def _credential_request(flow: SigningDriver, **fields: Any) -> AuthorizationRequest:
    fields.setdefault("hashes", flow.world.hashes)
    return flow.request("credential", credential_id=flow.credential().credential_id,
                        num_signatures=len(flow.world.hashes),
                        hash_algorithm=flow.hash_algorithm(), **fields)


@given("the signing application has pushed a credential authorization request")
@when("the signing application pushes a credential authorization request")
def push(flow: SigningDriver) -> None:
    flow.push(_credential_request(flow))


@given("the signing application has pushed the hashes as authorization details")
def push_rar(flow: SigningDriver) -> None:
    req = flow.request("credential", authorization_details=_details(flow, "eu_eidas_qes"))
    par.check_pushed(flow.push(req), evidence=flow.ev())


@when(parsers.parse("the signing application pushes a credential authorization request "
                    "authenticating with {method}"))
def push_with_method(flow: SigningDriver, method: str) -> None:
    flow.push(_credential_request(flow), AUTH_METHODS[method])


@when("the signing application pushes a credential authorization request without authenticating")
def push_unauthenticated(flow: SigningDriver) -> None:
    flow.push(_credential_request(flow), "none")


@when("the signing application pushes a credential authorization request that contains a "
      "request reference")
def push_with_request_uri(flow: SigningDriver) -> None:
    flow.push(_credential_request(flow, extra={
        "request_uri": "urn:ietf:params:oauth:request_uri:invented"}))


PAR_DEFECTS = {"an unregistered redirect address": {"redirect_uri":
                                                    "https://attacker.example/callback"},
               "an unsupported response type": {"response_type": "token"}}


@when(parsers.parse("the signing application pushes a credential authorization request with "
                    "{defect}"))
def push_defective(flow: SigningDriver, defect: str) -> None:
    req = _credential_request(flow)
    for name, value in PAR_DEFECTS[defect].items():
        setattr(req, name, value)
    flow.push(req)


@when("the signing application reads the push endpoint with GET")
def get_par(flow: SigningDriver) -> None:
    flow.world.response = flow.api.http.get(flow.endpoints.par)


@then("the service refuses the method")
def par_method_refused(flow: SigningDriver) -> None:
    flow.world.evidence.fact("PAR wrong method", par.check_wrong_method_refused(
        flow.response(), evidence=flow.ev()))


@then("the service refuses the push for naming a request reference")
def par_request_uri_refused(flow: SigningDriver) -> None:
    flow.world.evidence.fact("PAR push with request_uri", par.check_pushed_request_uri_refused(
        flow.response(), evidence=flow.ev()))


@then("the service refuses the push for its response type")
def par_response_type_refused(flow: SigningDriver) -> None:
    flow.world.evidence.fact("PAR unsupported response type",
                             par.check_pushed_response_type_refused(flow.response(),
                                                                    evidence=flow.ev()))


@then("the answer carries a request reference and a positive lifetime")
def pushed_ok(flow: SigningDriver) -> None:
    par.check_pushed(flow.response(), evidence=flow.ev())


@then("the request reference is a URN in the IETF request namespace")
def pushed_urn(flow: SigningDriver) -> None:
    par.check_request_uri_urn(flow.response(), evidence=flow.ev())


@when("the signer authorizes the pushed request")
def authorize_pushed(flow: SigningDriver) -> None:
    flow.login(flow.pushed(), url=flow.par_url())


@when("the signing application sends the signer to the same pushed request again")
@when("the signing application sends the signer to the pushed request")
def resend_pushed(flow: SigningDriver) -> None:
    flow.attempt(flow.pushed(), url=flow.par_url())


@when("another client sends the signer to the pushed request")
def other_client_pushed(flow: SigningDriver) -> None:
    flow.attempt(flow.pushed(), client="other", url=flow.par_url("other"))


@when("the request reference has expired")
def par_expired(flow: SigningDriver) -> None:
    flow.wait_for_expiry(flow.response())
