"""PAdES B-B through the external-signer adapter, validated offline (issue 8 groundwork)."""

from __future__ import annotations

import asyncio

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from suite_crypto_factory import (
    NOW,
    ec_key,
    make_cert,
    make_crl,
    make_pki,
    name,
    serial_of,
    sign_ecdsa,
)

from cscsuite.crypto import ChainError, oids, verify_signature
from cscsuite.crypto.signatures import parse_pss_params
from cscsuite.pdf import CallableSigner, SignHashRequest, sign_pdf_pades_b_b, validate_pdf

TEXT = b"Hello CSC"
UNREACHABLE_CRL = "http://127.0.0.1:9/ca.crl"


def minimal_pdf(text: bytes = TEXT) -> bytes:
    """A one-page PDF with a correct xref table, so pyHanko can append to it."""
    content = b"BT /F1 24 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


class LocalSignHash:
    """Stands in for signHash: signs the digest with a local key, records each request."""

    def __init__(self, key, *, plain: bool = False) -> None:
        self.key, self.plain = key, plain
        self.requests: list[SignHashRequest] = []

    def __call__(self, req: SignHashRequest) -> bytes:
        self.requests.append(req)
        hash_alg = oids.hash_algorithm(req.hash_oid)
        if isinstance(self.key, ec.EllipticCurvePrivateKey):
            return sign_ecdsa(self.key, req.digest, hash_alg.name, plain=self.plain)
        assert isinstance(self.key, rsa.RSAPrivateKey)
        if req.sign_algo_oid == oids.RSASSA_PSS:
            p = parse_pss_params(req.sign_algo_params)
            pad = padding.PSS(padding.MGF1(oids.hash_algorithm(p.mgf_hash_oid)), p.salt_length)
            return self.key.sign(req.digest, pad, Prehashed(hash_alg))
        return self.key.sign(req.digest, padding.PKCS1v15(), Prehashed(hash_alg))


def sign(pki, sign_fn, **opts) -> bytes:
    signer = CallableSigner(pki.ee, [pki.inter, pki.root], sign_fn, **opts)
    return sign_pdf_pades_b_b(minimal_pdf(), signer)


@pytest.fixture(scope="module")
def rsa_pki():
    return make_pki(crl_url=UNREACHABLE_CRL)


@pytest.fixture(scope="module")
def rsa_signed(rsa_pki) -> tuple[bytes, LocalSignHash]:
    fn = LocalSignHash(rsa_pki.ee_key)
    return sign(rsa_pki, fn), fn


def test_rsa_signed_pdf_validates(rsa_pki, rsa_signed) -> None:
    pdf, fn = rsa_signed
    [req] = fn.requests
    assert (req.hash_oid, req.sign_algo_oid, len(req.digest)) == (
        oids.SHA256, "1.2.840.113549.1.1.11", 32)  # pyHanko picks sha256WithRSAEncryption
    [verdict] = validate_pdf(pdf, [rsa_pki.root])
    assert verdict.ok, verdict
    assert verdict.summary.startswith("INTACT:TRUSTED")
    assert (verdict.coverage, verdict.field_name) == ("ENTIRE_FILE", "Signature1")
    assert b"/ETSI.CAdES.detached" in pdf


def test_tampered_pdf_fails(rsa_pki, rsa_signed) -> None:
    pdf, _ = rsa_signed
    assert pdf.count(TEXT) == 1
    [verdict] = validate_pdf(pdf.replace(TEXT, b"Hello CSD"), [rsa_pki.root])
    assert not verdict.intact and not verdict.ok


def test_untrusted_root_fails(rsa_signed) -> None:
    other_root = make_cert(name("Other Root"), ec_key("P-256", 9), ca=True)
    [verdict] = validate_pdf(rsa_signed[0], [other_root])
    assert verdict.intact and not verdict.trusted and not verdict.ok


def test_revoked_signer_fails_with_revocation_on(rsa_pki, rsa_signed) -> None:
    crl = make_crl(rsa_pki.inter, rsa_pki.inter_key, [serial_of(rsa_pki.ee)])
    [verdict] = validate_pdf(rsa_signed[0], [rsa_pki.root], "hard", crls=[crl])
    assert verdict.revoked and not verdict.trusted and not verdict.ok
    [good] = validate_pdf(rsa_signed[0], [rsa_pki.root], "hard",
                          crls=[make_crl(rsa_pki.inter, rsa_pki.inter_key, [])])
    assert good.ok, good


def test_pss_through_the_adapter(rsa_pki) -> None:
    fn = LocalSignHash(rsa_pki.ee_key)
    pdf = sign(rsa_pki, fn, prefer_pss=True)
    [req] = fn.requests
    assert req.sign_algo_oid == oids.RSASSA_PSS
    assert parse_pss_params(req.sign_algo_params).hash_oid == oids.SHA256
    assert validate_pdf(pdf, [rsa_pki.root])[0].ok


def test_ecdsa_signed_pdf_validates_and_value_verifies() -> None:
    pki = make_pki(ee_key=ec_key("P-256", 4))
    fn = LocalSignHash(pki.ee_key)
    pdf = sign(pki, fn)
    [req] = fn.requests
    assert req.sign_algo_oid == "1.2.840.10045.4.3.2"
    assert validate_pdf(pdf, [pki.root])[0].ok


def test_plain_ecdsa_value_breaks_the_pdf_unless_converted() -> None:
    pki = make_pki(ee_key=ec_key("P-256", 4))
    [bad] = validate_pdf(sign(pki, LocalSignHash(pki.ee_key, plain=True)), [pki.root])
    assert not bad.valid and not bad.ok
    pdf = sign(pki, LocalSignHash(pki.ee_key, plain=True), plain_to_der=True)
    assert validate_pdf(pdf, [pki.root])[0].ok


def test_missing_non_repudiation_is_reported() -> None:
    pki = make_pki(non_repudiation=False)
    [verdict] = validate_pdf(sign(pki, LocalSignHash(pki.ee_key)), [pki.root])
    assert verdict.intact and verdict.valid
    assert not verdict.key_usage_ok and not verdict.ok


def test_revocation_fetching_refuses_non_loopback_urls() -> None:
    pki = make_pki(crl_url="http://crl.example.com/ca.crl")
    pdf = sign(pki, LocalSignHash(pki.ee_key))
    with pytest.raises(ChainError) as exc:
        validate_pdf(pdf, [pki.root], "hard")
    assert exc.value.reason == "non_loopback_url"


def test_signer_value_is_what_signhash_returned(rsa_pki) -> None:
    """The value the adapter embeds verifies with the suite's own verifier too."""
    values: list[tuple[SignHashRequest, bytes]] = []
    inner = LocalSignHash(rsa_pki.ee_key)

    def spy(req: SignHashRequest) -> bytes:
        values.append((req, inner(req)))
        return values[-1][1]

    sign(rsa_pki, spy)
    [(req, value)] = values
    verify_signature(rsa_pki.ee, req.digest, value, req.sign_algo_oid, req.hash_oid)


def test_works_while_an_event_loop_runs(rsa_pki, rsa_signed) -> None:
    async def inside_loop():
        return validate_pdf(rsa_signed[0], [rsa_pki.root], at=NOW)

    assert asyncio.run(inside_loop())[0].ok
