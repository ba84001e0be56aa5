"""Checks that accept every answer a specification allows (issue 13 item 7) still fail on the
answers it does not allow: above all when the service grants what it must refuse. Each relaxed
check returns which allowed answer came (the scenario records it as a ``fact.<label>``)."""

from __future__ import annotations

import re

import pytest
from checks_helpers import error, resp

from cscsuite.checks import oauth, par, revocation
from cscsuite.checks.base import ConformanceError
from cscsuite.evidence import Evidence
from cscsuite.oauth import parse_callback
from cscsuite.world import Authorization

CB = "https://client.example/cb"


def callback(url: str) -> Authorization:
    """An authorization as the driver records it from the callback URL."""
    got = parse_callback(url)
    return Authorization(scope="service", code=str(got.code) if got.code else None,
                         state_sent="s", state_returned=got.state, error=got.error,
                         callback_url=url)


ALLOW_POST = {"content-type": "application/json", "Allow": "GET, POST"}


@pytest.mark.parametrize(("answer", "said"), [
    (resp(405, {"error": "invalid_request"}, ALLOW_POST), "405"), (resp(404, None), "404")])
def test_par_wrong_method_accepts_405_and_404(answer, said):
    assert par.check_wrong_method_refused(answer) == said


@pytest.mark.parametrize("headers", [{"content-type": "application/json"}, {"allow": "GET"}])
def test_a_405_without_post_in_allow_fails(headers):
    """RFC 9110 §15.5.6: a 405 MUST carry Allow, which names what the endpoint serves."""
    with pytest.raises(ConformanceError, match="Allow"):
        par.check_wrong_method_refused(resp(405, {"error": "invalid_request"}, headers))


@pytest.mark.parametrize("answer", [resp(200, {}), resp(201, {"request_uri": "urn:x"}),
                                    error(400, "invalid_request"), resp(500, None)])
def test_par_wrong_method_fails_otherwise(answer):
    with pytest.raises(ConformanceError, match=re.escape("RFC9126-2.3")):
        par.check_wrong_method_refused(answer)


@pytest.mark.parametrize("code", ["invalid_request", "request_uri_not_supported"])
def test_pushed_request_uri_accepts_both_codes(code):
    assert par.check_pushed_request_uri_refused(error(400, code)) == f"400 {code}"


@pytest.mark.parametrize("answer", [resp(201, {"request_uri": "urn:x", "expires_in": 60}),
                                    error(400, "invalid_request_uri"),
                                    error(401, "invalid_request"),
                                    error(500, "server_error")])
def test_pushed_request_uri_fails_when_accepted_or_misnamed(answer):
    with pytest.raises(ConformanceError, match=re.escape("RFC9126-2.1")):
        par.check_pushed_request_uri_refused(answer)


@pytest.mark.parametrize("code", par.PUSHED_RESPONSE_TYPE_ERRORS)
def test_pushed_response_type_accepts_the_allowed_codes(code):
    assert par.check_pushed_response_type_refused(error(400, code)) == f"400 {code}"


@pytest.mark.parametrize("answer", [resp(201, {"request_uri": "urn:x", "expires_in": 60}),
                                    error(400, "invalid_scope"), error(405, "invalid_request")])
def test_pushed_response_type_fails_when_accepted_or_misnamed(answer):
    with pytest.raises(ConformanceError, match=re.escape("RFC9126-2.3")):
        par.check_pushed_response_type_refused(answer)


@pytest.mark.parametrize(("url", "said"), [
    (f"{CB}?error=unsupported_response_type&state=s", "unsupported_response_type (in the query)"),
    (f"{CB}#error=unauthorized_client&state=s", "unauthorized_client (in the fragment)"),
    (f"{CB}?app=1#error=unsupported_response_type", "unsupported_response_type (in the fragment)"),
])
def test_implicit_refusal_read_from_query_or_fragment(url, said):
    assert oauth.check_implicit_refused(callback(url)) == said


@pytest.mark.parametrize("url", [
    f"{CB}#access_token=tok&token_type=Bearer&state=s",  # the implicit grant served
    f"{CB}?code=abc&state=s",  # a code although a token was asked for
    f"{CB}#error=access_denied&state=s",  # not an error for this case
    f"{CB}?error=invalid_request&state=s",
])
def test_implicit_refusal_fails_on_a_token_or_another_error(url):
    with pytest.raises(ConformanceError, match=re.escape("RFC6749-4.1.2.1")):
        oauth.check_implicit_refused(callback(url))


def test_unknown_scope_refused_or_ignored():
    assert oauth.check_unknown_scope_answer(callback(f"{CB}?error=invalid_scope")) \
        == "refused (invalid_scope)"
    assert oauth.check_unknown_scope_answer(callback(f"{CB}?code=abc&state=s")) == "ignored"
    with pytest.raises(ConformanceError, match=re.escape("RFC6749-3.3")):
        oauth.check_unknown_scope_answer(callback(f"{CB}?error=server_error"))


def test_an_ignored_scope_is_not_granted_and_the_granted_scope_is_named():
    assert oauth.check_scope_ignored(resp(200, {"access_token": "t", "scope": "service"}),
                                     "foo") == "service"
    for granted in ({"access_token": "t"}, {"access_token": "t", "scope": "service foo"}):
        with pytest.raises(ConformanceError, match=re.escape("RFC6749-3.3")):
            oauth.check_scope_ignored(resp(200, granted), "foo")


@pytest.mark.parametrize(("answer", "said"), [
    (error(401, "invalid_client"), "401 invalid_client"),
    (error(400, "invalid_client"), "400 invalid_client"),
    (error(400, "invalid_request"), "400 invalid_request"),
    (error(401, "invalid_request"), "401 invalid_request"),  # CSC tables: 400/401
])
def test_client_refusal_accepts_rfc_and_csc_answers(answer, said):
    assert oauth.check_client_refused(answer) == said


@pytest.mark.parametrize("answer", [resp(200, {"access_token": "t"}), resp(204, None),
                                    error(400, "unauthorized_client"),
                                    error(403, "invalid_client")])
def test_client_refusal_fails_when_served_or_misnamed(answer):
    with pytest.raises(ConformanceError, match=re.escape("RFC6749-5.2")):
        oauth.check_client_refused(answer)


def test_revocation_records_which_answer_came():
    assert revocation.check_revoked(resp(204, None)) == "204"
    assert revocation.check_revoke_unknown(resp(200, None)) == "200 (RFC 7009)"
    assert revocation.check_revoke_unknown(error(400, "invalid_request")) \
        == "400 invalid_request (CSC)"
    with pytest.raises(ConformanceError):
        revocation.check_revoke_unknown(error(400, "unsupported_token_type"))


def test_csc_stricter_revocation_rules_cite_csc():
    with pytest.raises(ConformanceError, match=re.escape("CSC1-8.3.4")) as refresh_revoked:
        revocation.check_refresh_still_works(error(400, "invalid_grant"))
    assert "SHALL NOT" in refresh_revoked.value.requirement
    with pytest.raises(ConformanceError, match=re.escape("CSC1-8.3.4")):
        revocation.check_grant_ended(resp(200, {"credentialIDs": []}))
    revocation.check_refresh_still_works(resp(200, {"access_token": "t"}))


def test_a_fact_is_a_note_and_a_user_property(tmp_path):
    ev = Evidence("t::x", tmp_path)
    props: list[tuple[str, object]] = []
    ev.properties = props
    ev.fact("PAR wrong method", "405")
    assert props == [("fact.PAR wrong method", "405")]
    assert ev.notes == ["PAR wrong method: 405"]
