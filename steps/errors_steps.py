"""Steps of errors.feature: bad tokens, missing tokens, malformed bodies."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, then, when

from cscsuite.checks import errors as checks
from cscsuite.driver_signing import SigningDriver

METHODS = {"lists the credentials": "credentials/list",
           "reads the signer's signing credential": "credentials/info",
           "signs a hash": "signatures/signHash"}
CALL_RE = "(?P<call>" + "|".join(METHODS) + "|<call>)"


def _body(flow: SigningDriver, call: str) -> dict[str, object]:
    """A well-formed body for the call, so only the property under test is wrong."""
    if call == "lists the credentials":
        return {}
    body: dict[str, object] = {flow.api.wire("credential_id"): flow.credential().credential_id}
    if call == "signs a hash":
        body |= {flow.api.wire("hashes"): ["sTOgwOm+474gFj0q0x1iSNspKqbcse4IeiqlDg/HWuI="],
                 flow.api.wire("sign_algorithm"): "1.2.840.113549.1.1.11",
                 flow.api.wire("sad"): "invented-activation-token"}
    return body


@when(parsers.re(r"the signing application " + CALL_RE + r" with an invalid access token"))
def call_with_bad_token(flow: SigningDriver, call: str) -> None:
    flow.world.response = flow.api.call(METHODS[call], _body(flow, call), "garbage-token-00000")


@when(parsers.re(r"the signing application " + CALL_RE + r" without an access token"))
def call_without_token(flow: SigningDriver, call: str) -> None:
    flow.world.response = flow.api.call(METHODS[call], _body(flow, call), None)


@when(parsers.re(r"the signing application " + CALL_RE
                 + r" with its access token under the Basic scheme instead of Bearer"))
def call_with_other_scheme(flow: SigningDriver, call: str) -> None:
    token = flow.world.service_token
    if token is None:
        pytest.skip("the target's calls carry no access token (its service authorization style)")
    flow.world.notes["call"] = call
    flow.world.response = flow.api.http.post_json(
        flow.api.url(METHODS[call]), _body(flow, call), token=str(token), token_type="Basic")


@then("the same call with the access token as a bearer token succeeds")
def bearer_control(flow: SigningDriver) -> None:
    call = flow.world.notes["call"]
    resp = flow.api.call(METHODS[call], _body(flow, call), str(flow.world.service_token))
    checks.check_bearer_control(resp, evidence=flow.ev(resp))


INVALID = {"lists the credentials": lambda f: f.api.apply({}, {"user_id": 42}),
           "reads the signer's signing credential": lambda f: f.api.apply(
               {}, {"credential_id": "no-such-credential-0000"}),
           "signs a hash": lambda f: _body(f, "signs a hash")}


@when(parsers.re(r"the signing application " + CALL_RE + r" with invalid input"))
def call_with_invalid_input(flow: SigningDriver, call: str) -> None:
    flow.world.response = flow.api.call(METHODS[call], INVALID[call](flow),
                                        flow.world.service_token)


def _raw(flow: SigningDriver, call: str, raw: bytes,
         content_type: str = "application/json") -> None:
    flow.world.response = flow.api.http.post_json(
        flow.api.url(METHODS[call]), None, token=flow.world.service_token,
        headers={"Content-Type": content_type}, raw_body=raw)


MALFORMED = {"a body that is not JSON": lambda f, c: b"{not json",
             "a list instead of an object": lambda f, c: b"[1, 2, 3]",
             "values of the wrong type": lambda f, c: (
                 b'{"credentialID": ["x"], "hash": {"a": 1}, "hashes": 7, "signAlgo": 1.5, '
                 b'"SAD": false}')}


@when(parsers.re(r"the signing application " + CALL_RE + r" with (?P<bad>"
                 + "|".join(MALFORMED) + "|<malformed input>)"))
def call_malformed(flow: SigningDriver, call: str, bad: str) -> None:
    _raw(flow, call, MALFORMED[bad](flow, call))


@when("the signing application reads the signer's signing credential without declaring the body "
      "as JSON")
def call_without_content_type(flow: SigningDriver) -> None:
    import json

    _raw(flow, "reads the signer's signing credential",
         json.dumps(_body(flow, "reads the signer's signing credential")).encode(), "text/plain")


@then(parsers.parse('if the answer has a body, it names the error "{first}" or "{second}"'))
def unauthorized(flow: SigningDriver, first: str, second: str) -> None:
    checks.check_unauthorized(flow.response(), (first, second), evidence=flow.ev())


@then("the service refuses the missing authentication")
def missing_auth(flow: SigningDriver) -> None:
    checks.check_missing_auth(flow.response(), evidence=flow.ev())


@then("the answer is a client error with a JSON body naming the error")
def json_error(flow: SigningDriver) -> None:
    checks.check_json_error_body(flow.response(), evidence=flow.ev())
