"""The v1 and v2 adapters put exactly the right bytes on the wire for every method."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from cscsuite.adapters import make_adapter
from cscsuite.adapters.base import (
    OMIT,
    ApiResponse,
    AuthorizationRequest,
    SignRequest,
    UnsupportedInVersion,
)
from cscsuite.checks.base import ConformanceError
from cscsuite.profile_types import Client
from cscsuite.world import Secret

BASE = "https://rssp.test"
H1 = base64.b64decode("sTOgwOm+474gFj0q0x1iSNspKqbcse4IeiqlDg/HWuI=")
H1_B64 = "sTOgwOm+474gFj0q0x1iSNspKqbcse4IeiqlDg/HWuI="  # spec-notes §5.1
H1_B64URL = "sTOgwOm-474gFj0q0x1iSNspKqbcse4IeiqlDg_HWuI"
H2 = bytes(range(32))
SHA256 = "2.16.840.1.101.3.4.2.1"
RSA = "1.2.840.113549.1.1.1"
PSS_SHA256 = "MDSgDzANBglghkgBZQMEAgEFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgEFAKIDAgEg"  # §5.2
CLIENT = Client(name="main", client_id="my client", secret=Secret("s3cr:et&"),
                redirect_uri="https://client.example/cb")


@dataclass
class FakeHttp:
    """Records calls and answers with a canned response."""

    answer: Any = None
    calls: list[dict[str, Any]] = field(default_factory=list)

    def _reply(self, url: str) -> ApiResponse:
        return ApiResponse(200, {}, self.answer, json.dumps(self.answer), url)

    def post_json(self, url: str, body: Any, *, token: str | None = None,
                  token_type: str = "Bearer", headers: dict[str, str] | None = None,
                  raw_body: bytes | None = None) -> ApiResponse:
        self.calls.append({"kind": "json", "url": url, "body": body, "token": token,
                           "token_type": token_type})
        return self._reply(url)

    def post_form(self, url: str, data: dict[str, str], *,
                  basic_auth: tuple[str, str] | None = None,
                  headers: dict[str, str] | None = None) -> ApiResponse:
        self.calls.append({"kind": "form", "url": url, "data": dict(data),
                           "headers": headers or {}, "basic_auth": basic_auth})
        return self._reply(url)

    def get(self, url: str, *, params: dict[str, str] | None = None,
            headers: dict[str, str] | None = None) -> ApiResponse:  # pragma: no cover
        raise AssertionError("adapters never GET")

    @property
    def last(self) -> dict[str, Any]:
        return self.calls[-1]


def adapter(version: str, answer: Any = None) -> tuple[Any, FakeHttp]:
    http = FakeHttp(answer)
    return make_adapter(version, http, BASE), http


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# --- construction --------------------------------------------------------------------------------

@pytest.mark.parametrize(("base", "expected"), [
    ("https://rssp.test", "https://rssp.test/csc/v2/info"),
    ("https://rssp.test/", "https://rssp.test/csc/v2/info"),
    ("https://rssp.test/prefix/csc/v2", "https://rssp.test/prefix/csc/v2/info"),
])
def test_method_urls_accept_root_or_versioned_base(base, expected):
    http = FakeHttp()
    make_adapter("v2", http, base).info()
    assert http.last["url"] == expected


def test_unknown_version_is_refused():
    with pytest.raises(ValueError, match="v3"):
        make_adapter("v3", FakeHttp(), BASE)


def test_token_types_per_version():
    assert adapter("v1")[0].credential_token_type == "SAD"
    assert adapter("v2")[0].credential_token_type == "Bearer"


# --- info, list, info ----------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["v1", "v2"])
def test_info_body_is_empty_without_lang(version):
    api, http = adapter(version)
    api.info()
    assert http.last == {"kind": "json", "url": f"{BASE}/csc/{version}/info", "body": {},
                         "token": None, "token_type": "Bearer"}
    api.info(lang="de-AT")
    assert http.last["body"] == {"lang": "de-AT"}


def test_v1_list_paging_fields():
    api, http = adapter("v1")
    api.list_credentials("tok", max_results=1, page_token="p2", client_data="{}")
    assert http.last["body"] == {"maxResults": 1, "pageToken": "p2", "clientData": "{}"}
    assert http.last["token"] == "tok"
    with pytest.raises(UnsupportedInVersion):
        api.list_credentials("tok", credential_info=True)


def test_v1_list_all_follows_next_page_token():
    pages = iter([{"credentialIDs": ["a"], "nextPageToken": "n1"},
                  {"credentialIDs": ["b"], "nextPageToken": "n2"}, {"credentialIDs": ["c"]}])
    api, http = adapter("v1")
    http._reply = lambda url: ApiResponse(200, {}, next(pages), "", url)  # type: ignore[method-assign]
    ids, responses = api.list_all_credential_ids("tok", page_size=1)
    assert ids == ["a", "b", "c"] and len(responses) == 3
    assert [c["body"] for c in http.calls] == [
        {"maxResults": 1}, {"maxResults": 1, "pageToken": "n1"},
        {"maxResults": 1, "pageToken": "n2"}]


def test_v2_list_options():
    api, http = adapter("v2")
    api.list_credentials("tok", credential_info=True, certificates="chain", cert_info=True,
                         auth_info=True, only_valid=True)
    assert http.last["body"] == {"credentialInfo": True, "certificates": "chain",
                                 "certInfo": True, "authInfo": True, "onlyValid": True}
    with pytest.raises(UnsupportedInVersion):
        api.list_credentials("tok", max_results=5)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_credential_info_options_and_bad_input(version):
    api, http = adapter(version)
    api.credential_info("tok", "alice-rsa2048", certificates="chain", cert_info=True)
    assert http.last["url"] == f"{BASE}/csc/{version}/credentials/info"
    assert http.last["body"] == {"credentialID": "alice-rsa2048", "certificates": "chain",
                                 "certInfo": True}
    api.credential_info("tok", 123)  # bad input goes where the value goes
    assert http.last["body"] == {"credentialID": 123}
    api.credential_info("tok", OMIT, certificates="all")
    assert http.last["body"] == {"certificates": "all"}


# --- credentials/authorize -----------------------------------------------------------------------

def test_v1_authorize_credential_body():
    api, http = adapter("v1")
    api.authorize_credential("tok", "alice-explicit", 2, [H1, H2], SHA256, pin="1234",
                             otp="987654")
    assert http.last["url"] == f"{BASE}/csc/v1/credentials/authorize"
    assert http.last["body"] == {"credentialID": "alice-explicit", "numSignatures": 2,
                                 "hash": [H1_B64, base64.b64encode(H2).decode()],
                                 "PIN": "1234", "OTP": "987654"}


def test_v2_authorize_credential_body():
    api, http = adapter("v2")
    api.authorize_credential("tok", "alice-explicit", 1, [H1], SHA256, pin="1234", otp="987654")
    assert http.last["body"] == {"credentialID": "alice-explicit", "numSignatures": 1,
                                 "hashes": [H1_B64], "hashAlgorithmOID": SHA256,
                                 "authData": [{"id": "PIN", "value": "1234"},
                                              {"id": "OTP", "value": "987654"}]}


def test_v2_implicit_authorize_sends_empty_auth_data():
    api, http = adapter("v2")
    api.authorize_credential("tok", "alice-implicit", 1, None, None)
    assert http.last["body"] == {"credentialID": "alice-implicit", "numSignatures": 1,
                                 "authData": []}


@pytest.mark.parametrize(("version", "wire"), [("v1", "hash"), ("v2", "hashes")])
def test_authorize_credential_overrides_by_neutral_name(version, wire):
    api, http = adapter(version)
    api.authorize_credential("tok", "c", 0, OMIT, SHA256, description="x" * 501)
    assert http.last["body"]["numSignatures"] == 0
    assert wire not in http.last["body"] and len(http.last["body"]["description"]) == 501
    api.authorize_credential("tok", "c", "1", [b"\x01"], SHA256, client_data=5)
    assert http.last["body"]["numSignatures"] == "1" and http.last["body"]["clientData"] == 5
    assert http.last["body"][wire] == ["AQ=="]


# --- signHash ------------------------------------------------------------------------------------

def sign_request(**kwargs: Any) -> SignRequest:
    base: dict[str, Any] = {"credential_id": "alice-rsa2048", "hashes": [H1, H2],
                            "sign_algorithm": RSA, "hash_algorithm": SHA256, "sad": "the-sad"}
    return SignRequest(**{**base, **kwargs})


def test_v1_sign_body():
    api, http = adapter("v1")
    api.sign_hashes("svc", sign_request(client_data='{"clientTransactionId":"t1"}'))
    assert http.last["url"] == f"{BASE}/csc/v1/signatures/signHash"
    assert http.last["token"] == "svc"
    assert http.last["body"] == {"credentialID": "alice-rsa2048", "SAD": "the-sad",
                                 "hash": [H1_B64, base64.b64encode(H2).decode()],
                                 "hashAlgo": SHA256, "signAlgo": RSA,
                                 "clientData": '{"clientTransactionId":"t1"}'}


def test_v2_sign_body_with_pss_params():
    api, http = adapter("v2")
    params = base64.b64decode(PSS_SHA256)
    api.sign_hashes("svc", sign_request(sign_algorithm="1.2.840.113549.1.1.10",
                                        hash_algorithm=None, sign_algorithm_params=params))
    assert http.last["body"] == {
        "credentialID": "alice-rsa2048", "SAD": "the-sad",
        "hashes": [H1_B64, base64.b64encode(H2).decode()], "signAlgo": "1.2.840.113549.1.1.10",
        "signAlgoParams": PSS_SHA256}


def test_v2_credential_token_in_the_header_replaces_sad():
    api, http = adapter("v2")
    api.sign_hashes("svc", sign_request(sad_in_header=True))
    assert http.last["token"] == "the-sad"
    assert "SAD" not in http.last["body"]


def test_v1_has_no_credential_token_in_the_header():
    api, _ = adapter("v1")
    with pytest.raises(UnsupportedInVersion):
        api.sign_hashes("svc", sign_request(sad_in_header=True))


@pytest.mark.parametrize(("version", "hash_field", "algo_field"),
                         [("v1", "hash", "hashAlgo"), ("v2", "hashes", "hashAlgorithmOID")])
def test_sign_overrides_read_the_same_in_both_versions(version, hash_field, algo_field):
    api, http = adapter(version)
    api.sign_hashes("svc", sign_request(overrides={"hashes": [], "hash_algorithm": OMIT}))
    assert http.last["body"][hash_field] == [] and algo_field not in http.last["body"]
    api.sign_hashes("svc", sign_request(overrides={"hashes": "abc", "sad": OMIT,
                                                   "client_data": 5}))
    assert http.last["body"][hash_field] == "abc"
    assert "SAD" not in http.last["body"] and http.last["body"]["clientData"] == 5
    api.sign_hashes("svc", sign_request(overrides={"hashes": [H1[:31]], "lang": "en"}))
    assert http.last["body"][hash_field] == [base64.b64encode(H1[:31]).decode()]
    assert http.last["body"]["lang"] == "en"


def test_v2_only_override_is_refused_in_v1():
    api, _ = adapter("v1")
    with pytest.raises(UnsupportedInVersion, match="operation_mode"):
        api.sign_hashes("svc", sign_request(overrides={"operation_mode": "X"}))


def test_unknown_override_name_is_sent_verbatim():
    api, http = adapter("v2")
    api.sign_hashes("svc", sign_request(overrides={"unexpectedField": 1}))
    assert http.last["body"]["unexpectedField"] == 1


# --- answers -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("version", "clause"), [("v1", "CSC1-11.9"), ("v2", "CSC2-11.10")])
def test_parse_signatures_decodes_base64(version, clause):
    api, _ = adapter(version)
    response = ApiResponse(200, {}, {"signatures": [H1_B64, "AAE="]}, "", "u")
    assert api.parse_signatures(response) == [H1, b"\x00\x01"]
    with pytest.raises(ConformanceError, match=r"signatures\[0\] is not valid") as exc:
        api.parse_signatures(ApiResponse(200, {}, {"signatures": [H1_B64URL]}, "", "u"))
    assert exc.value.clause == clause and "standard base64" in exc.value.expected
    with pytest.raises(ConformanceError, match="not an array"):
        api.parse_signatures(ApiResponse(200, {}, {"signatures": "x"}, "", "u"))


@pytest.mark.parametrize(("version", "clause"), [("v1", "CSC1-11.5"), ("v2", "CSC2-11.5")])
def test_malformed_credential_certificates_cite_the_clause(version, clause):
    api, _ = adapter(version)
    for certs, said in (("x", "not an array"), (["not base64!"], r"cert.certificates\[0\]")):
        with pytest.raises(ConformanceError, match=said) as exc:
            api.parse_credential_info("c", {"cert": {"certificates": certs}})
        assert exc.value.clause == clause


CERT = b"\x30\x03\x02\x01\x01"
COMMON = {"key": {"status": "enabled", "algo": [RSA, "1.2.840.113549.1.1.11"], "len": 2048},
          "cert": {"status": "valid", "certificates": [base64.b64encode(CERT).decode()],
                   "issuerDN": "CN=CA", "serialNumber": "0a", "subjectDN": "CN=Alice",
                   "validFrom": "20260101000000Z", "validTo": "20280101000000Z"},
          "SCAL": "1", "multisign": 5}


def test_parse_credential_info_v1_and_v2_agree():
    v1, _ = adapter("v1")
    v2, _ = adapter("v2")
    one = v1.parse_credential_info("alice-rsa2048", {**COMMON, "authMode": "oauth2code"})
    two = v2.parse_credential_info("alice-rsa2048", {
        **COMMON, "auth": {"mode": "oauth2code"}, "signatureQualifier": "eu_eidas_qes"})
    for info in (one, two):
        assert info.credential_id == "alice-rsa2048"
        assert (info.key_status, info.key_len, info.key_curve) == ("enabled", 2048, None)
        assert info.key_algos == (RSA, "1.2.840.113549.1.1.11")
        assert info.certificates == (CERT,)
        assert info.cert_info["serialNumber"] == "0a" and len(info.cert_info) == 5
        assert (info.auth_mode, info.scal, info.multisign) == ("oauth2code", "1", 5)
    assert (one.signature_qualifier, two.signature_qualifier) == (None, "eu_eidas_qes")


def test_v2_credential_infos_from_a_list_answer():
    api, _ = adapter("v2")
    infos = api.parse_credential_infos({"credentialIDs": ["a", "b"], "credentialInfos": [
        {**COMMON, "credentialID": "a", "auth": {"mode": "explicit"}},
        {**COMMON, "credentialID": "b", "auth": {"mode": "oauth2code"}}]})
    assert [(i.credential_id, i.auth_mode) for i in infos] == [("a", "explicit"),
                                                               ("b", "oauth2code")]


# --- OAuth through the adapters ------------------------------------------------------------------

def credential_request(**kwargs: Any) -> AuthorizationRequest:
    base: dict[str, Any] = {"scope": "credential", "redirect_uri": "https://client.example/cb",
                            "state": "st", "code_challenge": "ch", "code_challenge_method": "S256",
                            "credential_id": "alice-rsa2048", "num_signatures": 2,
                            "hashes": [H1, H2], "hash_algorithm": SHA256}
    return AuthorizationRequest(**{**base, **kwargs})


def test_v1_authorize_url():
    api, _ = adapter("v1")
    url = api.authorize_url("https://as.test/oauth2/authorize", CLIENT,
                            credential_request(account_token="jwt", client_data="cd"))
    assert url.startswith("https://as.test/oauth2/authorize?response_type=code&client_id=my+client&")
    assert query(url) == {
        "response_type": "code", "client_id": "my client",
        "redirect_uri": "https://client.example/cb", "scope": "credential", "state": "st",
        "code_challenge": "ch", "code_challenge_method": "S256",
        "credentialID": "alice-rsa2048", "numSignatures": "2",
        "hash": f"{H1_B64URL},{base64.urlsafe_b64encode(H2).decode().rstrip('=')}",
        "account_token": "jwt", "clientData": "cd"}


def test_v1_refuses_rar_and_qualifier():
    api, _ = adapter("v1")
    for extra in ({"authorization_details": [{"type": "credential"}]},
                  {"signature_qualifier": "eu_eidas_qes"}):
        with pytest.raises(UnsupportedInVersion):
            api.authorize_url("https://as.test/a", CLIENT, credential_request(**extra))


def test_v2_authorize_url_with_hashes_and_oid():
    api, _ = adapter("v2")
    q = query(api.authorize_url("https://as.test/a", CLIENT, credential_request()))
    assert q["hashes"].split(",")[0] == H1_B64URL and q["hashAlgorithmOID"] == SHA256
    assert "hash" not in q


def test_v2_authorize_url_with_rar_details():
    api, _ = adapter("v2")
    details = [{"type": "credential", "credentialID": "c",
                "documentDigests": [{"hash": H1_B64, "label": "a.pdf"}],
                "hashAlgorithmOID": SHA256}]
    url = api.authorize_url("https://as.test/a", CLIENT, credential_request(
        credential_id=None, num_signatures=None, hashes=None, hash_algorithm=None,
        authorization_details=details))
    assert json.loads(query(url)["authorization_details"]) == details
    assert "%2B" in url and "%2F" in url  # the standard-base64 digest is URL-encoded


def test_push_authorization_sends_the_authorize_parameters_with_client_auth():
    api, http = adapter("v2", {"request_uri": "urn:x", "expires_in": 60})
    api.push_authorization("https://as.test/par", CLIENT, credential_request(),
                           "client_secret_post")
    assert http.last["url"] == "https://as.test/par"
    data = http.last["data"]
    assert data["client_secret"] == "s3cr:et&" and data["client_id"] == "my client"
    assert data["hashes"].split(",")[0] == H1_B64URL and data["code_challenge"] == "ch"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_exchange_refresh_revoke_forms(version):
    api, http = adapter(version)
    api.exchange_code("https://as.test/token", CLIENT, "the-code", "https://client.example/cb",
                      "verifier", "client_secret_basic", client_data="cd")
    assert http.last["data"] == {"client_id": "my client", "grant_type": "authorization_code",
                                 "code": "the-code", "redirect_uri": "https://client.example/cb",
                                 "code_verifier": "verifier", "clientData": "cd"}
    expected = "Basic " + base64.b64encode(b"my+client:s3cr%3Aet%26").decode()
    assert http.last["headers"] == {"Authorization": expected}
    api.refresh("https://as.test/token", CLIENT, "rt", "client_secret_post")
    assert http.last["data"] == {"client_id": "my client", "client_secret": "s3cr:et&",
                                 "grant_type": "refresh_token", "refresh_token": "rt"}
    api.revoke("https://as.test/revoke", CLIENT, "tok", "access_token", "none")
    assert http.last["data"] == {"client_id": "my client", "token": "tok",
                                 "token_type_hint": "access_token"}
    assert http.last["headers"] == {}
    api.client_credentials("https://as.test/token", CLIENT, "client_secret_post")
    assert http.last["data"]["grant_type"] == "client_credentials"
    assert http.last["data"]["scope"] == "service"
