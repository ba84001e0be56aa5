"""Credential discovery from canned credentials/list and credentials/info answers (no server):
paging, a certInfo the service does not implement, classification, roles and their reasons."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cscsuite import capabilities
from cscsuite.adapters import make_adapter
from cscsuite.adapters.base import ApiResponse
from cscsuite.credential_discovery import (
    CredentialDirectory,
    Discovery,
    discover,
    report_property,
    resolve,
    roles_filled,
    unfilled_reason,
)
from cscsuite.discovery import parse_info
from cscsuite.profile import load_profile

REPO = Path(__file__).resolve().parents[2]
RSA_ALGOS = ["1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.10"]
EC_ALGOS = ["1.2.840.10045.2.1", "1.2.840.10045.4.3.2", "0.4.0.127.0.7.1.1.4.1.3"]


def _ec_certificate(not_after: dt.datetime) -> str:
    """A self-signed P-256 certificate (base64 DER) valid until ``not_after``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "canned")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7)
            .not_valid_before(not_after - dt.timedelta(days=30)).not_valid_after(not_after)
            .sign(key, hashes.SHA256()))
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def _info(algo: list[str], *, length: int | None = 2048, status: str = "enabled",
          cert_status: str = "valid", scal: str = "1", multisign: int = 1,
          mode: str = "oauth2code", certs: list[str] | None = None) -> dict[str, Any]:
    key: dict[str, Any] = {"status": status, "algo": algo}
    if length:
        key["len"] = length
    return {"key": key, "cert": {"status": cert_status, "certificates": certs or []},
            "authMode": mode, "SCAL": scal, "multisign": multisign}


PAST = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
CREDENTIALS: dict[str, dict[str, Any]] = {
    "c-default": _info(RSA_ALGOS),
    "c-rsa3072": _info(RSA_ALGOS, length=3072),
    "c-p384": {**_info(EC_ALGOS, length=384), "key": {"status": "enabled", "algo": EC_ALGOS,
                                                      "len": 384, "curve": "1.3.132.0.34"}},
    "c-scal2": _info(RSA_ALGOS, scal="2", multisign=3),
    "c-disabled": _info(RSA_ALGOS, status="disabled"),
    # says "valid", but its certificate ended two days ago; key size and curve only in it
    "c-lapsed": _info(EC_ALGOS, length=None, certs=[_ec_certificate(PAST)]),
    "c-explicit": _info(RSA_ALGOS, mode="explicit"),
}


class CannedService:
    """v1 credentials/list in pages of ``page_size``; credentials/info answers 501 to certInfo
    when ``cert_info_501``."""

    def __init__(self, credentials: dict[str, dict[str, Any]], page_size: int = 3,
                 cert_info_501: bool = False, list_answer: ApiResponse | None = None,
                 refuse_after: int | None = None) -> None:
        self.credentials = credentials
        self.page_size = page_size
        self.cert_info_501 = cert_info_501
        self.list_answer = list_answer
        self.refuse_after = refuse_after  # offsets past it: its own page token refused
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def post_json(self, url: str, body: Any, *, token: str | None = None,
                  **_: Any) -> ApiResponse:
        method = url.split("/csc/v1/")[1]
        self.calls.append((method, dict(body)))
        if method == "credentials/list":
            start = int(body.get("pageToken") or 0)
            if self.refuse_after is not None and start > self.refuse_after:
                return ApiResponse(400, {}, {"error": "invalid_request"}, "", url, exchange_id=7)
            return self.list_answer or self._page(start)
        if self.cert_info_501 and body.get("certInfo"):
            return ApiResponse(501, {"Content-Type": "text/plain"}, None, "501: Not Implemented",
                               url)
        answer = self.credentials[body["credentialID"]]
        return ApiResponse(200, {}, answer, json.dumps(answer), url)

    def _page(self, start: int) -> ApiResponse:
        ids = list(self.credentials)
        body: dict[str, Any] = {"credentialIDs": ids[start:start + self.page_size]}
        if start + self.page_size < len(ids):
            body["nextPageToken"] = str(start + self.page_size)
        return ApiResponse(200, {}, body, json.dumps(body), "list")

    def post_form(self, *a: Any, **k: Any) -> ApiResponse:
        raise AssertionError("discovery only posts JSON")

    def get(self, *a: Any, **k: Any) -> ApiResponse:
        raise AssertionError("discovery only posts JSON")


def run(service: CannedService) -> Discovery:
    api = make_adapter("v1", service, "http://canned.example")
    return discover(api, "service-token", "v1")  # type: ignore[arg-type]


def test_every_page_is_listed_and_every_credential_read() -> None:
    service = CannedService(CREDENTIALS, page_size=3)
    found = run(service)
    assert [f.credential_id for f in found.facts] == list(CREDENTIALS)
    assert [c for c, _ in service.calls].count("credentials/list") == 3  # 7 ids, 3 per page
    info = [b for c, b in service.calls if c == "credentials/info"]
    assert info[0]["certificates"] == "chain" and info[0]["certInfo"] and info[0]["authInfo"]


def test_classification() -> None:
    facts = {f.credential_id: f for f in run(CannedService(CREDENTIALS)).facts}
    assert facts["c-default"].key() == "RSA 2048" and facts["c-default"].usable
    assert facts["c-p384"].key() == "ECDSA P-384"
    assert facts["c-scal2"].scal == "2" and facts["c-scal2"].multisign == 3
    assert not facts["c-disabled"].usable and facts["c-disabled"].status() == "disabled/valid"
    lapsed = facts["c-lapsed"]  # the certificate tells what key/algo and cert/status do not
    assert lapsed.key() == "ECDSA P-256" and lapsed.expired and not lapsed.usable
    assert lapsed.status() == "enabled/expired"


def test_a_501_on_cert_info_is_read_again_without_it() -> None:
    service = CannedService(CREDENTIALS, cert_info_501=True)
    found = run(service)
    assert len(found.facts) == len(CREDENTIALS) and found.facts[0].usable
    assert found.facts[0].note == "certInfo refused (HTTP 501 text/plain '501: Not Implemented')"
    retried = [b for c, b in service.calls if c == "credentials/info" and "certInfo" not in b]
    assert len(retried) == len(CREDENTIALS)


def test_a_refused_list_is_a_problem_not_a_crash() -> None:
    refused = ApiResponse(400, {"Content-Type": "text/plain"}, None, "400: Bad Request", "u")
    found = run(CannedService(CREDENTIALS, list_answer=refused))
    assert found.facts == () and found.problem == (
        "credentials/list answered HTTP 400 text/plain '400: Bad Request'")
    assert "discovery failed" in unfilled_reason("scal2", found)


def test_a_page_refused_after_the_first_is_a_refusal_with_its_evidence() -> None:
    api = make_adapter("v1", CannedService(CREDENTIALS, refuse_after=0), "http://canned.example")
    found = discover(api, "t", "v1", cite=lambda r: f"ev#{r.exchange_id}")  # type: ignore[arg-type]
    assert found.problem == "credentials/list answered HTTP 400 invalid_request on page 2"
    assert found.refusal == "ev#7" and found.facts == ()
    assert run(CannedService(CREDENTIALS)).refusal is None


def _needing(found: Discovery, offered: bool, pins: dict[str, str] | None = None) -> Any:
    """A driver stub whose discovery found ``found``; credentials/list offered or not."""
    from cscsuite.driver_credentials import CredentialsDriver

    stub: Any = SimpleNamespace(
        api=SimpleNamespace(version="v1"), discovered_credentials=lambda identity="": found,
        identity=lambda name="signer": SimpleNamespace(credentials=pins or {}),
        target=SimpleNamespace(skip_reason=lambda cap, version: None if offered else
                               "target lacks capability 'credentials_list' for v1"))
    stub.refusal_fails = lambda f: CredentialsDriver.refusal_fails(stub, f)
    return stub


def test_a_role_unfilled_because_the_offered_listing_was_refused_fails_the_scenario() -> None:
    from cscsuite.checks.base import ConformanceError
    from cscsuite.driver_credentials import CredentialsDriver

    refused = Discovery("v1", "second_signer", problem="credentials/list answered HTTP 400 "
                        "invalid_request on page 2", refusal="ev#2")
    with pytest.raises(ConformanceError, match=r"CSC1-11.4.*second_signer") as raised:
        CredentialsDriver.credential_id(_needing(refused, offered=True), "signing")
    assert "on page 2" in str(raised.value) and "ev#2" in str(raised.value)
    with pytest.raises(pytest.skip.Exception, match=r"credentials_list.*pin the credentials"):
        CredentialsDriver.credential_id(_needing(refused, offered=False), "signing")
    pinned = _needing(refused, offered=True, pins={"signing": "c-default"})
    assert CredentialsDriver.credential_id(pinned, "signing") == "c-default"  # needs no listing
    with pytest.raises(ConformanceError):
        CredentialsDriver.capability_skip(_needing(refused, offered=True), "scal2_credential")
    unrefused = Discovery("v1", "signer", problem="the suite holds no service token")
    with pytest.raises(pytest.skip.Exception, match="discovery failed"):
        CredentialsDriver.credential_id(_needing(unrefused, offered=True), "signing")


def test_roles_pins_first_then_classification_default_first() -> None:
    found = run(CannedService(CREDENTIALS))
    pins = {"default": "c-default"}
    assert resolve("signing", pins, found) == "c-default"
    assert resolve("rsa2048", pins, found) == "c-default"
    assert resolve("rsa3072", pins, found) == "c-rsa3072"
    assert resolve("p384", pins, found) == "c-p384"
    assert resolve("scal2", pins, found) == "c-scal2"
    assert resolve("multisign", pins, found) == "c-scal2"
    assert resolve("disabled", pins, found) == "c-disabled"
    assert resolve("expired", pins, found) == "c-lapsed"
    assert resolve("explicit", pins, found) == "c-explicit"
    assert resolve("scal2", {"scal2": "pinned-elsewhere"}, found) == "pinned-elsewhere"
    # without a default, the plainest usable credential signs: OAuth, RSA, SCAL 1, one signature
    assert resolve("signing", {}, found) == "c-default"
    assert roles_filled(pins, found)["c-default"] == ["signing", "rsa2048"]


def test_nothing_fills_a_role_names_it_and_what_was_found() -> None:
    found = run(CannedService(CREDENTIALS))
    assert resolve("revoked", {}, found) is None and resolve("p256", {}, found) is None
    reason = unfilled_reason("revoked", found)
    assert reason.startswith("no credential of signer fills the role 'revoked' (a credential "
                             "whose certificate is revoked): found 7: c-default (RSA 2048, "
                             "SCAL 1, multisign 1, enabled/valid, oauth2code); ")
    assert reason.endswith("; and 1 more (the report's Credentials block)")
    assert "role 'p256' (a usable ECDSA P-256 credential)" in unfilled_reason("p256", found)


def test_directory_discovers_once_and_reports_once() -> None:
    directory, made = CredentialDirectory(), []

    def make() -> Discovery:
        made.append(1)
        return run(CannedService(CREDENTIALS))

    key = ("http://canned.example", "v1", "signer")
    first = directory.get(key, {"default": "c-default"}, make)
    assert directory.get(key, {}, make) is first and len(made) == 1
    (name, value), = directory.drain()
    assert directory.drain() == []
    rows = json.loads(value)["rows"]
    assert name == "credentials.v1.signer"
    assert rows[0] == {"id": "c-default", "key": "RSA 2048", "scal": "1", "multisign": 1,
                       "status": "enabled/valid", "auth_mode": "oauth2code",
                       "roles": ["signing", "rsa2048"], "note": ""}


def test_report_shortens_long_ids_and_lists_pins_not_listed() -> None:
    long_id = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8"
    found = run(CannedService({long_id: CREDENTIALS["c-default"]}))
    _, value = report_property(found, {"revoked": "hidden-one"})
    rows = json.loads(value)["rows"]
    assert rows[0]["id"] == "a1b2c3d4e5f6…c5d6e7f8"
    assert rows[1]["id"] == "hidden-one" and rows[1]["roles"] == ["revoked"]


# --- capabilities per version --------------------------------------------------------------------

V2_INFO = {"authType": ["oauth2code"], "methods": ["credentials/list"],
           "signAlgorithms": {"algos": ["1.2.840.113549.1.1.11"]}}


@pytest.fixture
def bare_profile() -> Any:
    prof = load_profile("sandbox", REPO, env={})
    signer = replace(prof.identities["signer"], credentials={"default": "c-default"})
    return replace(prof, identities={**prof.identities, "signer": signer})


def test_v1_alone_has_the_capabilities_of_v1_in_a_two_version_run(bare_profile: Any) -> None:
    v1 = parse_info("v1", {"authType": ["oauth2code"], "methods": ["credentials/list"]})
    alone = capabilities.resolve(bare_profile, {"v1": v1}, {"v1": None})["v1"]
    both = capabilities.resolve(bare_profile, {"v1": v1, "v2": parse_info("v2", V2_INFO)},
                                {"v1": None, "v2": None})["v1"]
    assert alone.values == both.values
    found = run(CannedService(CREDENTIALS))
    pins = bare_profile.identities["signer"].credentials
    for name in ("rsa", "pss", "ecdsa", "bsi_plain_ecdsa", "scal2_credential"):
        assert alone.deferred(name)
        assert capabilities.from_credentials(name, "v1", found, pins).value


def test_deferred_capability_without_credentials_gives_the_reason(bare_profile: Any) -> None:
    found = run(CannedService({"c-default": CREDENTIALS["c-default"]}))
    pins = bare_profile.identities["signer"].credentials
    cap = capabilities.from_credentials("bsi_plain_ecdsa", "v1", found, pins)
    assert not cap.value and cap.source.startswith(
        "neither v1 info signAlgorithms nor the signer's credentials' key/algo name it (found 1:")
    revoked = capabilities.from_credentials("revoked_credential", "v1", found, pins)
    assert not revoked.value and "role 'revoked'" in revoked.source
    assert capabilities.from_credentials("pss", "v1", found, pins).value


# --- the driver: optional credentials/info parameters answered 501 ------------------------------

class CertInfo501:
    """A v1 adapter whose credentials/info answers 501 whenever certInfo or authInfo is sent."""

    version = "v1"

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.real = make_adapter("v1", CannedService(CREDENTIALS), "http://canned.example")

    def credential_info(self, token: Any, credential_id: str, **options: Any) -> ApiResponse:
        self.sent.append(options)
        if options.get("cert_info") or options.get("auth_info"):
            return ApiResponse(501, {}, {"error": "not_implemented"}, "", "u")
        body = CREDENTIALS[credential_id]
        return ApiResponse(200, {}, body, json.dumps(body), "u")

    def parse_credential_info(self, credential_id: str, body: dict[str, Any]) -> Any:
        return self.real.parse_credential_info(credential_id, body)


def _driver(tmp_path: Path, bare_profile: Any) -> Any:
    from cscsuite.driver_signing import SigningDriver
    from cscsuite.evidence import Evidence
    from cscsuite.world import World

    world = World(api=CertInfo501(), profile=bare_profile,  # type: ignore[arg-type]
                  evidence=Evidence("t", tmp_path))
    return SigningDriver(world, None, None, None)  # type: ignore[arg-type]


def test_set_up_reads_again_without_the_optional_parameters(tmp_path: Path,
                                                            bare_profile: Any) -> None:
    flow = _driver(tmp_path, bare_profile)
    resp = flow._read_info("c-default", {"certificates": "chain", "cert_info": True}, setup=True)
    assert resp.status == 200 and flow.credential().credential_id == "c-default"
    assert flow.world.api.sent == [{"certificates": "chain", "cert_info": True, "auth_info": True},
                                   {"certificates": "chain"}]


def test_a_scenario_that_asks_for_cert_info_skips_on_501(tmp_path: Path,
                                                         bare_profile: Any) -> None:
    flow = _driver(tmp_path, bare_profile)
    with pytest.raises(pytest.skip.Exception, match=r"target lacks certInfo on credentials/info "
                       r"for v1 \(HTTP 501 not_implemented\)"):
        flow.read_credential("c-default", cert_info=True)
    assert flow.read_credential("c-default").status == 200  # authInfo it did not ask for
