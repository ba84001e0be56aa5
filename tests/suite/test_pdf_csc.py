"""Signing real PDFs through a CSC service (issue 8): offline units, then a live service.

Offline: the three signing phases with a fake adapter and a local key. Live: the embedded service
runs as a subprocess with a fresh database; tokens come over HTTP only: a service token and, per
document, a credential SAD for exactly the hash of the signature's signed attributes, both through
OAuth with a real browser login. v1 signs with pyHanko's own CSC client, v2 with the suite's
adapter behind pyHanko's external-signer interface.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pyhanko.sign.general import SigningError
from suite_crypto_factory import make_pki, sign_rsa

from cscsuite import oauth
from cscsuite.adapters import make_adapter
from cscsuite.adapters.base import (
    ApiResponse,
    AuthorizationRequest,
    CredentialInfo,
    CscApi,
    SignRequest,
)
from cscsuite.browser import BrowserPool, resolve_executable, run_login
from cscsuite.crypto import ChainError, validate_chain
from cscsuite.evidence import Evidence
from cscsuite.http import ApiClient
from cscsuite.pdf import SignHashRequest, validate_pdf
from cscsuite.pdf_csc import (
    AdapterSignHash,
    BoundSadManager,
    EventLoopThread,
    PdfSigningError,
    ServiceCredential,
    SignedPdf,
    sample_pdf,
    sign_pdf_through_service,
    tampered,
)
from cscsuite.profile import load_profile
from cscsuite.profile_types import Profile
from cscsuite.redact import REDACTOR
from cscsuite.target import SandboxProcess, Target, build_target

REPO = Path(__file__).resolve().parents[2]

SHA256 = "2.16.840.1.101.3.4.2.1"
RSA_SHA256 = "1.2.840.113549.1.1.11"


# --- offline ---------------------------------------------------------------------------------


class FakeV2:
    """Stands in for the v2 adapter: signs with a local key, or refuses like the service."""

    version = "v2"

    def __init__(self, key, refuse: str | None = None) -> None:
        self.key, self.refuse = key, refuse
        self.calls: list[tuple[str | None, SignRequest]] = []

    def sign_hashes(self, token: str | None, request: SignRequest) -> ApiResponse:
        self.calls.append((token, request))
        if self.refuse:
            return ApiResponse(400, {}, {"error": self.refuse}, "", "fake")
        sigs = [base64.b64encode(sign_rsa(self.key, h)).decode() for h in request.hashes]
        return ApiResponse(200, {}, {"signatures": sigs}, "", "fake")

    def parse_signatures(self, response: ApiResponse) -> list[bytes]:
        return [base64.b64decode(s) for s in response.body["signatures"]]


def fake_service(api: FakeV2, certs: list[bytes]) -> ServiceCredential:
    cred = CredentialInfo("cred-1", "enabled", (RSA_SHA256,), 2048, None, "valid", tuple(certs),
                          {}, "oauth2code", "2", 1, None)
    return ServiceCredential(api, "http://127.0.0.1:9", "service-token", cred)  # type: ignore


def test_offline_phases_sign_exactly_the_authorized_digest() -> None:
    pki = make_pki()
    api = FakeV2(pki.ee_key)
    seen: list[tuple[bytes, str, int]] = []

    def authorize(digest: bytes, hash_oid: str) -> str:
        seen.append((digest, hash_oid, threading.get_ident()))
        return "sad-for-that-digest"

    signed = sign_pdf_through_service(sample_pdf(), fake_service(api, [pki.ee, pki.inter]),
                                      authorize)
    assert seen == [(signed.digest, SHA256, threading.get_ident())]  # on the caller's thread
    [(token, req)] = api.calls
    assert (token, req.hashes, req.sad) == ("service-token", [signed.digest],
                                            "sad-for-that-digest")
    assert (req.sign_algorithm, req.hash_algorithm) == (RSA_SHA256, SHA256)
    [verdict] = validate_pdf(signed.data, [pki.root])
    assert verdict.ok, verdict
    [changed] = validate_pdf(tampered(signed.data), [pki.root])
    assert not changed.intact


def test_a_refusal_names_the_error_code() -> None:
    pki = make_pki()
    service = fake_service(FakeV2(pki.ee_key, refuse="invalid_request"), [pki.ee, pki.inter])
    with pytest.raises(PdfSigningError, match="signHash refused: HTTP 400 invalid_request"):
        sign_pdf_through_service(sample_pdf(), service, lambda d, o: "sad")


def test_a_refused_authorization_stops_before_signhash() -> None:
    pki = make_pki()
    api = FakeV2(pki.ee_key)

    def refuse(digest: bytes, hash_oid: str) -> str:
        raise PdfSigningError("the signer's authorization was refused: access_denied")

    with pytest.raises(PdfSigningError, match="access_denied"):
        sign_pdf_through_service(sample_pdf(), fake_service(api, [pki.ee]), refuse)
    assert api.calls == []


def test_adapter_sign_hash_is_single_use_and_bound() -> None:
    pki = make_pki()
    fn = AdapterSignHash(fake_service(FakeV2(pki.ee_key), [pki.ee]))
    req = SignHashRequest(b"\x01" * 32, SHA256, RSA_SHA256, None)
    with pytest.raises(SigningError, match="did not authorize"):
        fn(req)
    fn.bound = (b"\x02" * 32, "sad")
    with pytest.raises(SigningError, match="did not authorize"):
        fn(req)
    fn.bound = (req.digest, "sad")
    assert len(fn(req)) == 256
    with pytest.raises(SigningError):
        fn(req)


def test_bound_sad_manager_refuses_other_hashes() -> None:
    manager = BoundSadManager(None, None)  # type: ignore[arg-type]
    manager.bind(b"\x03" * 32, "sad")
    other = base64.b64encode(b"\x04" * 32).decode()
    mine = base64.b64encode(b"\x03" * 32).decode()
    with pytest.raises(SigningError):
        asyncio.run(manager.authorize_signature([other]))
    with pytest.raises(SigningError):
        asyncio.run(manager.authorize_signature([mine, mine]))
    assert asyncio.run(manager.authorize_signature([mine])).sad == "sad"
    with pytest.raises(SigningError):  # single use
        asyncio.run(manager.authorize_signature([mine]))


def test_event_loop_thread_is_bounded() -> None:
    started = time.monotonic()
    with EventLoopThread(0.2) as loop, pytest.raises(PdfSigningError, match="longer than"):
        loop.run(asyncio.sleep(10))
    assert time.monotonic() - started < 5


def test_tampered_changes_one_byte_of_the_page_text() -> None:
    pdf = sample_pdf("Contract")
    changed = tampered(pdf)
    assert len(changed) == len(pdf)
    assert [i for i, (a, b) in enumerate(zip(pdf, changed, strict=True)) if a != b] == [
        pdf.find(b"Contract") + len("Contract") - 1]


# --- live ------------------------------------------------------------------------------------


class Live:
    """A running embedded service plus what the suite discovered about it."""

    def __init__(self, profile: Profile, target: Target, http: httpx.Client,
                 pool: BrowserPool) -> None:
        self.profile, self.target, self.http, self.pool = profile, target, http, pool
        self._service_tokens: dict[str, str] = {}

    def api(self, version: str, evidence: Evidence | None) -> CscApi:
        return make_adapter(version, ApiClient(self.http, evidence, timeout_s=15),
                            self.target.csc_base_url(version))

    def login(self, api: CscApi, req: AuthorizationRequest, evidence: Evidence) -> str:
        """A browser login for ``req``; returns the access token of the code exchange."""
        pkce = oauth.make_pkce("S256")
        req.code_challenge, req.code_challenge_method = pkce.challenge, "S256"
        client = self.profile.clients["main"]
        endpoints = self.target.endpoints[api.version]
        assert endpoints is not None
        signer = self.profile.identities["signer"]
        sms = f"{self.target.base_url}/_sandbox/sms?user=alice"
        result = run_login(
            self.pool, authorize_url=api.authorize_url(endpoints.authorize, client, req),
            redirect_uri=req.redirect_uri, identity=signer,
            recipe=self.profile.login_recipes[signer.login],
            otp_fetcher=lambda: str(self.http.get(sms).json()["code"]), evidence=evidence,
            timeout_s=30)
        assert result.code, f"login refused: {result.error} {result.page_error}"
        resp = api.exchange_code(endpoints.token, client, str(result.code), req.redirect_uri,
                                 pkce.verifier, "client_secret_basic")
        assert resp.status == 200, f"token exchange: HTTP {resp.status} {resp.error}"
        return str(resp.field("access_token"))

    def service_token(self, api: CscApi, evidence: Evidence) -> str:
        if api.version not in self._service_tokens:
            req = AuthorizationRequest(scope="service", state=oauth.new_state(),
                                       redirect_uri=self.profile.clients["main"].redirect_uri)
            self._service_tokens[api.version] = self.login(api, req, evidence)
        return self._service_tokens[api.version]

    def credential(self, api: CscApi, token: str, role: str) -> CredentialInfo:
        cred_id = self.profile.identities["signer"].credentials[role]
        resp = api.credential_info(token, cred_id, certificates="chain", auth_info=True)
        assert resp.status == 200, f"credentials/info {cred_id}: HTTP {resp.status}"
        return api.parse_credential_info(cred_id, resp.body)

    def authorizer(self, api: CscApi, credential_id: str, evidence: Evidence,
                   seen: list[bytes]):
        """``authorize(digest, hash_oid)``: a credential-scope login bound to that digest."""
        def authorize(digest: bytes, hash_oid: str) -> str:
            seen.append(digest)
            req = AuthorizationRequest(
                scope="credential", state=oauth.new_state(), credential_id=credential_id,
                redirect_uri=self.profile.clients["main"].redirect_uri, num_signatures=1,
                hashes=[digest], hash_algorithm=hash_oid)
            return self.login(api, req, evidence)
        return authorize


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    if resolve_executable(None) is None:
        pytest.skip("no system chromium for the browser logins")
    logs = tmp_path_factory.mktemp("sandbox")
    sandbox = SandboxProcess(log_path=logs / "sandbox.log")
    base_url = sandbox.start()
    http = httpx.Client(timeout=15, follow_redirects=False)
    pool = BrowserPool()
    try:
        profile = replace(load_profile("sandbox", REPO), base_url=base_url)
        REDACTOR.add(*profile.secret_values())
        target = build_target(ApiClient(http), profile, base_url, ("v1", "v2"))
        yield Live(profile, target, http, pool)
    finally:
        pool.close()
        http.close()
        sandbox.stop()


def sign(live: Live, version: str, role: str, evidence: Evidence,
         seen: list[bytes] | None = None) -> SignedPdf:
    api = live.api(version, evidence)
    token = live.service_token(api, evidence)
    cred = live.credential(api, token, role)
    service = ServiceCredential(api, live.target.base_url, token, cred, evidence)
    authorize = live.authorizer(api, cred.credential_id, evidence,
                                seen if seen is not None else [])
    return sign_pdf_through_service(sample_pdf(), service, authorize)


@pytest.fixture
def evidence(tmp_path: Path, request: pytest.FixtureRequest) -> Evidence:
    return Evidence(request.node.nodeid, tmp_path)


_SIGNED: dict[tuple[str, str], bytes] = {}


@pytest.mark.parametrize("role", ["rsa2048", "p256"])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_signed_pdf_validates_with_revocation(live: Live, evidence: Evidence, version: str,
                                              role: str) -> None:
    seen: list[bytes] = []
    signed = sign(live, version, role, evidence, seen)
    _SIGNED[(version, role)] = signed.data
    assert seen == [signed.digest], "the signer authorized exactly the signed hash"
    assert ("CSCSigner" in signed.client) == (version == "v1")
    [verdict] = validate_pdf(signed.data, live.target.trust_anchors, revocation="hard")
    assert verdict.ok, verdict
    assert verdict.coverage == "ENTIRE_FILE"
    family = "1.2.840.10045" if role == "p256" else "1.2.840.113549"
    assert signed.sign_algo_oid.startswith(family)


def test_v1_exchanges_by_pyhanko_are_evidence_without_secrets(live: Live,
                                                              evidence: Evidence) -> None:
    sign(live, "v1", "rsa2048", evidence)
    out = evidence.write()
    doc = json.loads((out / "exchanges.json").read_text())
    urls = [ex["url"] for ex in doc["exchanges"]]
    assert any(u.endswith("/csc/v1/credentials/info") for u in urls)
    sign_hash = [ex for ex in doc["exchanges"] if ex["url"].endswith("/csc/v1/signatures/signHash")]
    assert len(sign_hash) == 1 and sign_hash[0]["status"] == 200
    assert sign_hash[0]["request_body"]["SAD"] == "***"
    headers = {k.lower(): v for k, v in sign_hash[0]["request_headers"].items()}
    assert headers["authorization"] == "***"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_tampered_signed_pdf_fails_validation(live: Live, evidence: Evidence,
                                              version: str) -> None:
    data = _SIGNED.get((version, "rsa2048")) or sign(live, version, "rsa2048", evidence).data
    [good] = validate_pdf(data, live.target.trust_anchors, revocation="hard")
    [bad] = validate_pdf(tampered(data), live.target.trust_anchors, revocation="hard")
    assert good.ok
    assert not bad.intact and not bad.ok


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_revoked_certificate_never_yields_a_valid_document(live: Live, evidence: Evidence,
                                                           version: str) -> None:
    """The service refuses the revoked credential; its PKI reports the certificate revoked."""
    with pytest.raises(PdfSigningError, match="signHash refused: HTTP 400 invalid_request"):
        sign(live, version, "revoked", evidence)
    api = live.api(version, evidence)
    cred = live.credential(api, live.service_token(api, evidence), "revoked")
    with pytest.raises(ChainError) as err:
        validate_chain(cred.certificates, live.target.trust_anchors, datetime.now(UTC), "hard")
    assert err.value.reason == "revoked"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_sad_for_another_hash_cannot_sign_the_document(live: Live, evidence: Evidence,
                                                       version: str) -> None:
    api = live.api(version, evidence)
    token = live.service_token(api, evidence)
    cred = live.credential(api, token, "rsa2048")
    service = ServiceCredential(api, live.target.base_url, token, cred, evidence)
    honest = live.authorizer(api, cred.credential_id, evidence, [])

    def authorize_other(digest: bytes, hash_oid: str) -> str:
        return honest(bytes(b ^ 0xFF for b in digest), hash_oid)

    with pytest.raises(PdfSigningError, match="signHash refused: HTTP 400 invalid_request"):
        sign_pdf_through_service(sample_pdf(), service, authorize_other)
