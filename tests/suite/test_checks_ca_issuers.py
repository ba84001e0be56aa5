"""A qualified certificate names where its issuer's certificate is, and that place serves it
(ETSI EN 319 412-2 §4.4.1; RFC 5280 §4.2.2.1 allows one DER certificate or a PKCS#7 bundle)."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from suite_crypto_factory import ec_key, make_cert, make_pki, name

from cscsuite import revocation_sources
from cscsuite.checks import cert_profile
from cscsuite.checks.base import ConformanceError
from cscsuite.revocation_sources import Fetched

URL = "http://127.0.0.1:9/ca/issuing.cer"


def _signer(pki, url: str | None = URL) -> bytes:
    return make_cert(name("Alice Signer"), pki.ee_key, name("Test Issuing CA"), pki.inter_key,
                     ca_issuers_url=url)


def _serving(monkeypatch, answer: Fetched) -> list[str]:
    asked: list[str] = []

    def fetch(url: str, timeout: float = 10.0) -> Fetched:
        asked.append(url)
        return answer
    monkeypatch.setattr(revocation_sources, "fetch_published", fetch)
    return asked


def test_the_issuer_certificate_served_as_der_or_in_a_bundle_passes(monkeypatch) -> None:
    pki = make_pki()
    asked = _serving(monkeypatch, Fetched(URL, body=pki.inter, status=200))
    cert_profile.check_ca_issuers(_signer(pki), pki.inter)
    bundle = pkcs7.serialize_certificates(
        [x509.load_der_x509_certificate(c) for c in (pki.root, pki.inter)], Encoding.DER)
    _serving(monkeypatch, Fetched(URL, body=bundle, status=200))
    cert_profile.check_ca_issuers(_signer(pki), pki.inter)
    assert asked == [URL]


def test_no_location_another_certificate_or_no_answer_fails(monkeypatch) -> None:
    pki = make_pki()
    _serving(monkeypatch, Fetched(URL, body=pki.inter, status=200))
    with pytest.raises(ConformanceError, match="none in the authority information access"):
        cert_profile.check_ca_issuers(_signer(pki, None), pki.inter)
    other = make_cert(name("Test Issuing CA"), ec_key("P-384", 7), ca=True)  # same name, other key
    _serving(monkeypatch, Fetched(URL, body=other, status=200))
    with pytest.raises(ConformanceError, match=r"EN319412-2-4\.4\.1.*\n.*\n.*1 other"):
        cert_profile.check_ca_issuers(_signer(pki), pki.inter)
    _serving(monkeypatch, Fetched(URL, body=b"<html>", status=200))
    with pytest.raises(ConformanceError, match="no certificate"):
        cert_profile.check_ca_issuers(_signer(pki), pki.inter)
    _serving(monkeypatch, Fetched(URL, error="HTTP 404", status=404))
    with pytest.raises(ConformanceError, match="HTTP 404"):
        cert_profile.check_ca_issuers(_signer(pki), pki.inter)
