"""OAuth client pieces: PKCE (RFC 7636 Appendix B), URLs, callbacks, client authentication."""

from __future__ import annotations

import base64
import json
import string
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from cscsuite import oauth
from cscsuite.adapters.base import ApiResponse
from cscsuite.profile_types import Client
from cscsuite.world import Secret

# RFC 7636 Appendix B
RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
CLIENT = Client(name="main", client_id="sandbox-client", secret=Secret("sandbox-client-secret"),
                redirect_uri="https://client.example/callback")


def test_pkce_s256_matches_rfc7636_appendix_b():
    assert oauth.code_challenge(RFC_VERIFIER, "S256") == RFC_CHALLENGE


def test_pkce_plain_is_the_verifier():
    assert oauth.code_challenge(RFC_VERIFIER, "plain") == RFC_VERIFIER


@pytest.mark.parametrize("length", [43, 64, 128])
def test_generated_verifiers_follow_rfc7636_4_1(length):
    pair = oauth.make_pkce("S256", length)
    assert len(pair.verifier) == length and oauth.is_valid_verifier(pair.verifier)
    assert set(pair.verifier) <= set(string.ascii_letters + string.digits + "-._~")
    assert pair.challenge == oauth.code_challenge(pair.verifier)
    assert str(pair.verifier) not in repr(pair)


@pytest.mark.parametrize("length", [42, 129])
def test_out_of_range_verifier_length_is_refused(length):
    with pytest.raises(ValueError, match="43 to 128"):
        oauth.make_pkce(length=length)


@pytest.mark.parametrize("bad", ["a" * 42, "a" * 129, "a" * 42 + "+", "a" * 42 + " "])
def test_invalid_verifiers(bad):
    assert not oauth.is_valid_verifier(bad)


def test_state_and_nonce_are_fresh_and_url_safe():
    states = {oauth.new_state() for _ in range(50)}
    assert len(states) == 50
    assert all(len(s) >= 32 and set(s) <= set(string.ascii_letters + string.digits + "-_")
               for s in states | {oauth.new_nonce()})


def test_base64url_comma_list_matches_the_spec_example():
    digest = base64.b64decode("sTOgwOm+474gFj0q0x1iSNspKqbcse4IeiqlDg/HWuI=")
    assert oauth.b64url_list([digest, digest]) == (
        "sTOgwOm-474gFj0q0x1iSNspKqbcse4IeiqlDg_HWuI,sTOgwOm-474gFj0q0x1iSNspKqbcse4IeiqlDg_HWuI")


def test_rar_credential_details_use_standard_base64():
    digest = base64.b64decode("sTOgwOm+474gFj0q0x1iSNspKqbcse4IeiqlDg/HWuI=")
    details = oauth.credential_authorization_details(
        hashes=[digest], hash_algorithm="2.16.840.1.101.3.4.2.1", credential_id="c1",
        labels=["contract.pdf"], num_signatures=1)
    assert details == [{"type": "credential", "credentialID": "c1",
                        "documentDigests": [{"hash": "sTOgwOm+474gFj0q0x1iSNspKqbcse4IeiqlDg/HWuI=",
                                             "label": "contract.pdf"}],
                        "hashAlgorithmOID": "2.16.840.1.101.3.4.2.1", "numSignatures": 1}]
    text = oauth.authorization_details_param(details)
    assert json.loads(text) == details and " " not in text


def test_build_url_keeps_an_existing_query_and_encodes_values():
    url = oauth.build_url("https://as.test/auth?realm=x", {"redirect_uri": "https://c/cb?a=1",
                                                           "scope": "credential"})
    assert url == ("https://as.test/auth?realm=x&redirect_uri=https%3A%2F%2Fc%2Fcb%3Fa%3D1"
                   "&scope=credential")


def test_par_follow_up_url_carries_only_client_id_and_request_uri():
    url = oauth.par_authorize_url("https://as.test/authorize", "sandbox-client",
                                  "urn:ietf:params:oauth:request_uri:abc")
    assert parse_qs(urlsplit(url).query) == {
        "client_id": ["sandbox-client"], "request_uri": ["urn:ietf:params:oauth:request_uri:abc"]}


def test_parse_callback_success_and_error():
    ok = oauth.parse_callback("https://client.example/callback?code=abc&state=s1&iss=https%3A%2F%2Fas")
    assert (ok.code, ok.state, ok.iss, ok.error) == ("abc", "s1", "https://as", None)
    assert "abc" not in repr(ok)
    err = oauth.parse_callback("https://client.example/callback?error=access_denied"
                               "&error_description=User+denied&state=s1")
    assert (err.code, err.error, err.error_description, err.state) == (
        None, "access_denied", "User denied", "s1")
    frag = oauth.parse_callback("https://client.example/callback#code=f1&state=s2")
    assert (frag.code, frag.state) == ("f1", "s2")


def test_basic_auth_form_encodes_id_and_secret_rfc6749_2_3_1():
    header = oauth.basic_auth_header("id:with space", "p@ss:word")
    decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
    assert decoded == "id%3Awith+space:p%40ss%3Aword"


def test_client_auth_methods():
    assert oauth.client_auth(CLIENT, "none") == ({"client_id": "sandbox-client"}, {})
    form, headers = oauth.client_auth(CLIENT, "client_secret_post")
    assert form == {"client_id": "sandbox-client", "client_secret": "sandbox-client-secret"}
    assert headers == {}
    form, headers = oauth.client_auth(CLIENT, "client_secret_basic")
    assert "client_secret" not in form and headers["Authorization"].startswith("Basic ")
    public = Client(name="p", client_id="pub", secret=None, redirect_uri="https://c/cb")
    with pytest.raises(ValueError, match="no secret"):
        oauth.client_auth(public, "client_secret_post")


class TransportHttp:
    """A minimal HttpClient over httpx.MockTransport, to see the real request bytes."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return httpx.Response(200, json={"access_token": "at", "token_type": "Bearer"})

        self.client = httpx.Client(transport=httpx.MockTransport(handler))

    def post_form(self, url, data, *, basic_auth=None, headers=None):  # type: ignore[no-untyped-def]
        r = self.client.post(url, data=data, headers=headers)
        return ApiResponse(r.status_code, dict(r.headers), r.json(), r.text, url)


def test_token_exchange_on_the_wire_has_no_secret_in_the_url():
    http = TransportHttp()
    oauth.exchange_code(http, "https://as.test/token", CLIENT, "c0de", CLIENT.redirect_uri,  # type: ignore[arg-type]
                        RFC_VERIFIER, "client_secret_basic")
    request = http.requests[-1]
    assert request.url.query == b""
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.content.decode()) == {
        "client_id": ["sandbox-client"], "grant_type": ["authorization_code"], "code": ["c0de"],
        "redirect_uri": [CLIENT.redirect_uri], "code_verifier": [RFC_VERIFIER]}
    assert request.headers["authorization"] == "Basic " + base64.b64encode(
        b"sandbox-client:sandbox-client-secret").decode()


def test_revoke_without_hint_omits_it():
    http = TransportHttp()
    oauth.revoke(http, "https://as.test/revoke", CLIENT, "tok", None, "client_secret_post")  # type: ignore[arg-type]
    assert parse_qs(http.requests[-1].content.decode()) == {
        "client_id": ["sandbox-client"], "client_secret": ["sandbox-client-secret"],
        "token": ["tok"]}
