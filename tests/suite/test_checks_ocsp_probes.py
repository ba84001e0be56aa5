"""The OCSP probes beyond "good or revoked": the GET form, a never-issued serial, and crashes.

A crash must fail even where the rest is only a recommendation; a responder that refuses GET or
vouches for a serial its issuer never used is a finding, and a request is built the way RFC 6960
§A.1.1 describes (the URL-encoded base64 of the DER request after the responder's URL).
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from suite_crypto_factory import NOW, make_pki

from cscsuite import revocation_sources
from cscsuite.checks import revocation_info
from cscsuite.checks.base import GRADING, ConformanceError
from cscsuite.revocation_sources import Case, Fetched, Unissued
from cscsuite.server_errors import InternalServerError

URL = "http://127.0.0.1:9/ocsp"


def _about(pki: Any, serial: int, status: ocsp.OCSPCertStatus) -> bytes:
    """A signed answer about ``serial`` under the test PKI's issuing CA."""
    request = ocsp.load_der_ocsp_request(revocation_sources.ocsp_request(pki.ee, pki.inter))
    inter = x509.load_der_x509_certificate(pki.inter)
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash, issuer_key_hash=request.issuer_key_hash,
        serial_number=serial, algorithm=hashes.SHA1(), cert_status=status, this_update=NOW,
        next_update=NOW + timedelta(hours=1), revocation_time=None, revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, inter)
    return builder.sign(pki.inter_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER)


@pytest.fixture(autouse=True)
def _no_findings() -> Any:
    GRADING.findings.clear()
    yield
    GRADING.findings.clear()


def test_a_crash_fails_and_a_refused_method_does_not() -> None:
    with pytest.raises(InternalServerError, match="HTTP 500"):
        revocation_info.check_ocsp_not_crashed(Fetched(URL, error="HTTP 500", status=500))
    revocation_info.check_ocsp_not_crashed(Fetched(URL, error="HTTP 405", status=405))
    revocation_info.check_ocsp_not_crashed(Fetched(URL, body=b"x", status=200))


def test_a_get_answer_that_disagrees_is_a_finding_not_a_failure() -> None:
    pki = make_pki()
    serial = x509.load_der_x509_certificate(pki.ee).serial_number
    good = Fetched(URL, body=_about(pki, serial, ocsp.OCSPCertStatus.GOOD), status=200)
    revocation_info.check_ocsp_get(Case("cred", pki.ee, pki.inter, False, good))
    assert not GRADING.findings
    revocation_info.check_ocsp_get(Case("cred", pki.ee, pki.inter, True, good))
    revocation_info.check_ocsp_get(Case("cred", pki.ee, pki.inter, False,
                                        Fetched(URL, error="HTTP 405", status=405)))
    assert [f.clause for f in GRADING.findings] == ["RFC5019-5", "RFC5019-5"]


def test_a_never_issued_serial_gets_a_status_about_it_or_a_refusal_of_authority() -> None:
    pki = make_pki()
    unknown = _about(pki, 77, ocsp.OCSPCertStatus.UNKNOWN)
    resp = revocation_info.check_ocsp_unissued(Unissued(77, Fetched(URL, body=unknown)))
    revocation_info.check_ocsp_unissued_not_good(resp, URL)
    unauthorized = _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    revocation_info.check_ocsp_unissued(Unissued(77, Fetched(URL, body=unauthorized)))
    assert not GRADING.findings
    with pytest.raises(ConformanceError, match="serial 4d"):
        revocation_info.check_ocsp_unissued(Unissued(77, Fetched(URL, body=_about(
            pki, 78, ocsp.OCSPCertStatus.UNKNOWN))))
    for status in (ocsp.OCSPResponseStatus.MALFORMED_REQUEST,
                   ocsp.OCSPResponseStatus.INTERNAL_ERROR):
        with pytest.raises(ConformanceError, match=status.name):
            revocation_info.check_ocsp_unissued(Unissued(77, Fetched(URL, body=_unsuccessful(
                status))))
    with pytest.raises(ConformanceError, match="HTTP 404"):
        revocation_info.check_ocsp_unissued(Unissued(77, Fetched(URL, error="HTTP 404")))


def test_vouching_for_a_never_issued_serial_is_a_finding() -> None:
    pki = make_pki()
    good = _about(pki, 77, ocsp.OCSPCertStatus.GOOD)
    resp = revocation_info.check_ocsp_unissued(Unissued(77, Fetched(URL, body=good)))
    revocation_info.check_ocsp_unissued_not_good(resp, URL)
    assert [f.clause for f in GRADING.findings] == ["RFC6960-2.2"]


def test_the_never_issued_request_names_the_issuer_and_a_fresh_serial() -> None:
    pki = make_pki()
    real = ocsp.load_der_ocsp_request(revocation_sources.ocsp_request(pki.ee, pki.inter))
    serials = set()
    for _ in range(3):
        serial, der = revocation_sources.unissued_request(pki.ee, pki.inter)
        request = ocsp.load_der_ocsp_request(der)
        assert (request.issuer_name_hash, request.issuer_key_hash) == \
            (real.issuer_name_hash, real.issuer_key_hash)
        assert request.serial_number == serial != real.serial_number
        serials.add(serial)
    assert len(serials) == 3


def test_a_get_request_carries_the_der_request_in_its_path(monkeypatch) -> None:
    pki = make_pki()
    seen: list[tuple[str, str]] = []

    def fake(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, str(request.url)))
        return httpx.Response(200, content=b"answer")

    client = httpx.Client(transport=httpx.MockTransport(fake))
    monkeypatch.setattr(revocation_sources, "fetch_client", lambda: client)
    fetched = revocation_sources.query_ocsp_get(URL + "/", pki.ee, pki.inter)
    assert fetched == Fetched(seen[0][1], body=b"answer", status=200)
    method, url = seen[0]
    assert method == "GET" and url.startswith(URL + "/") and "/" not in url[len(URL) + 1:]
    der = base64.b64decode(unquote(url[len(URL) + 1:]))
    assert der == revocation_sources.ocsp_request(pki.ee, pki.inter)
