"""A time-stamping authority asked over HTTP (RFC 3161 §3.4): document_006 and document_007.

The TSA's address comes from its certificate (subject information access, id-ad-timeStamping);
its answer is read by hand because asn1crypto's ``TimeStampResp`` treats the OPTIONAL token as
mandatory, so a rejection would otherwise read as garbage and a refusal check would pass for the
wrong reason. Replies come from pyHanko's in-process stamper behind a stubbed ``httpx.post``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID
from pyhanko.sign.timestamps import DummyTimeStamper
from suite_crypto_factory import NOW, name, rsa_key

from cscsuite import timestamps
from cscsuite.checks import timestamp as checks
from cscsuite.checks.base import ConformanceError
from cscsuite.timestamps import HttpReply, ask_http, tsa_urls

KEY = rsa_key(2048, 11)
URL = "http://127.0.0.1:9/tsa"
DIGEST = hashlib.sha256(b"document").digest()


def tsa_cert(*locations: str) -> bytes:
    builder = (x509.CertificateBuilder().subject_name(name("HTTP TSA"))
               .issuer_name(name("HTTP TSA")).public_key(KEY.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=9))
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True))
    if locations:
        builder = builder.add_extension(x509.SubjectInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP
                                   if loc.startswith("ocsp:") else
                                   x509.ObjectIdentifier("1.3.6.1.5.5.7.48.3"),
                                   x509.UniformResourceIdentifier(loc.removeprefix("ocsp:")))
            for loc in locations]), False)
    return builder.sign(KEY, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def granted(query: bytes) -> bytes:
    key = asn1_keys.PrivateKeyInfo.load(KEY.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    stamper = DummyTimeStamper(asn1_x509.Certificate.load(tsa_cert()), key)
    return stamper.request_tsa_response(tsp.TimeStampReq.load(query)).dump()


def rejection(*fail_info: str) -> bytes:
    """A TimeStampResp without a token, DER by hand (asn1crypto cannot build one)."""
    info = tsp.PKIStatusInfo({"status": "rejection", "fail_info": set(fail_info) or None})
    body = info.dump()
    return bytes([0x30, len(body)]) + body


def serve(monkeypatch: pytest.MonkeyPatch, answer: Any, status: int = 200,
          media: str = timestamps.REPLY_TYPE) -> list[dict[str, Any]]:
    """Stub the fetch client: ``answer`` maps the query's DER to a body (or raises)."""
    sent: list[dict[str, Any]] = []

    def post(request: httpx.Request) -> httpx.Response:
        sent.append({"url": str(request.url), "content": request.content,
                     "headers": request.headers})
        return httpx.Response(status, content=answer(request.content),
                              headers={"content-type": media})

    stub(monkeypatch, post)
    return sent


def stub(monkeypatch: pytest.MonkeyPatch,
         handler: Callable[[httpx.Request], httpx.Response]) -> None:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    monkeypatch.setattr(timestamps, "fetch_client", lambda: client)


def test_the_tsa_address_is_its_certificates_time_stamping_location() -> None:
    cert = tsa_cert("ocsp:http://ocsp.example/", "http://tsa.example/rfc3161",
                    "ldap://tsa.example/")
    assert tsa_urls(cert) == ["http://tsa.example/rfc3161"]
    assert tsa_urls(tsa_cert()) == []


def test_a_granted_query_is_kept_with_what_was_asked(monkeypatch) -> None:
    sent = serve(monkeypatch, granted)
    reply, stamped = ask_http(URL, DIGEST, "sha256", 99)
    assert sent[0]["headers"]["Content-Type"] == "application/timestamp-query"
    assert tsp.TimeStampReq.load(sent[0]["content"])["cert_req"].native is True
    assert stamped is not None and stamped.nonce == 99 and stamped.digest == DIGEST
    assert reply.outcome[0] == "granted"
    checks.check_http_reply(reply)
    checks.check_query_granted(reply, stamped)
    with pytest.raises(ConformanceError, match="status granted"):
        checks.check_misfit_refused(reply, stamped)


def test_a_rejection_without_token_is_read_with_its_reason(monkeypatch) -> None:
    serve(monkeypatch, lambda _q: rejection("bad_data_format"))
    reply, stamped = ask_http(URL, DIGEST[:31], "sha256", 1)
    assert stamped is None
    assert reply.outcome == ("rejection (bad_data_format)", None)
    checks.check_misfit_refused(reply, stamped)
    with pytest.raises(ConformanceError, match=r"status rejection \(bad_data_format\)"):
        checks.check_query_granted(reply, stamped)


@pytest.mark.parametrize(("status", "media", "body", "shown"), [
    (415, "application/json", b'{"error": "invalid_request"}', "HTTP 415, application/json"),
    (200, "application/octet-stream", None, "HTTP 200, application/octet-stream"),
])
def test_a_reply_not_in_the_protocol_fails_the_http_check(monkeypatch, status, media, body,
                                                          shown) -> None:
    serve(monkeypatch, lambda q: body if body is not None else granted(q), status, media)
    reply, _ = ask_http(URL, DIGEST, "sha256", 1)
    with pytest.raises(ConformanceError, match=shown):
        checks.check_http_reply(reply)


def test_misfit_refusal_counts_a_4xx_but_not_a_crash_or_silence(monkeypatch) -> None:
    serve(monkeypatch, lambda _q: b"", status=400, media="text/plain")
    checks.check_misfit_refused(*ask_http(URL, DIGEST[:31], "sha256", 1))
    serve(monkeypatch, lambda _q: b"", status=500, media="text/plain")
    with pytest.raises(ConformanceError, match="HTTP 500"):
        checks.check_misfit_refused(*ask_http(URL, DIGEST[:31], "sha256", 1))

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)
    stub(monkeypatch, unreachable)
    reply, stamped = ask_http(URL, DIGEST[:31], "sha256", 1)
    with pytest.raises(ConformanceError, match="ConnectError"):
        checks.check_misfit_refused(reply, stamped)


def test_garbage_is_no_time_stamp_reply() -> None:
    assert HttpReply(URL, 200, timestamps.REPLY_TYPE, b"\x30\x03junk").outcome[1] is None
    assert HttpReply(URL, 200, timestamps.REPLY_TYPE, b"").outcome[0].startswith("not a")
