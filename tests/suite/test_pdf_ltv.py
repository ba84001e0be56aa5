"""PAdES levels and their offline AdES validation (cscsuite.pdf_ltv), on a local test PKI.

Documents are built by pyHanko with a local key, pyHanko's in-process time stamper and CRLs
handed over directly (no network), so the structure detection and the validation verdicts are
shown on B-B, B-T, B-LT and B-LTA documents, and on documents that only look long-term.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from io import BytesIO

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from suite_crypto_factory import NOW, ec_key, make_cert, make_crl, name, rsa_key

from cscsuite.checks import timestamp as checks
from cscsuite.checks.base import ConformanceError
from cscsuite.pdf_csc import sample_pdf
from cscsuite.pdf_ltv import LongTerm, level_of, signature_timestamps, validate_ades

CRL_URL = "http://127.0.0.1:9/root.crl"  # never fetched: B-LT and B-LTA validate locally
ROOT_KEY = ec_key("P-384", 11)
ROOT = make_cert(name("LTV Root"), ROOT_KEY, ca=True)
EE_KEY = rsa_key(2048, 11)
EE = make_cert(name("LTV Signer"), EE_KEY, name("LTV Root"), ROOT_KEY, crl_url=CRL_URL)
TSA_KEY = rsa_key(2048, 12)


def _tsa_cert() -> bytes:
    builder = (x509.CertificateBuilder().subject_name(name("LTV TSA"))
               .issuer_name(name("LTV Root")).public_key(TSA_KEY.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=9))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)
               .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                   [x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]), False))
    return builder.sign(ROOT_KEY, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


TSA = _tsa_cert()
CRL = make_crl(ROOT, ROOT_KEY, [])


def _key(key) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


def _timestamper() -> DummyTimeStamper:
    return DummyTimeStamper(asn1_x509.Certificate.load(TSA), _key(TSA_KEY))


def sign(level: str, crls: list[bytes] | None = None) -> bytes:
    """``sample_pdf`` signed at ``level`` with pyHanko, validation data from ``crls``."""
    stamper = None if level == "B-B" else _timestamper()
    long_term = LongTerm(level, stamper, [ROOT])
    ctx = None
    if long_term.embeds_validation_info:
        ctx = ValidationContext(trust_roots=[asn1_x509.Certificate.load(ROOT)],
                                other_certs=[asn1_x509.Certificate.load(TSA)],
                                crls=[CRL] if crls is None else crls, allow_fetching=False)
    signer = signers.SimpleSigner(asn1_x509.Certificate.load(EE), _key(EE_KEY),
                                  SimpleCertificateStore.from_certs(
                                      [asn1_x509.Certificate.load(ROOT)]))
    meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES,
                                        **long_term.metadata(ctx))

    async def run() -> bytes:
        out = BytesIO()
        await signers.PdfSigner(meta, signer=signer, timestamper=stamper).async_sign_pdf(
            IncrementalPdfFileWriter(BytesIO(sample_pdf())), output=out)
        return out.getvalue()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def documents() -> dict[str, bytes]:
    return {level: sign(level) for level in ("B-B", "B-T", "B-LT", "B-LTA")}


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_level_of_reads_the_structure(documents: dict[str, bytes], level: str) -> None:
    assert level_of(documents[level]) == level


def test_signature_time_stamp_is_found(documents: dict[str, bytes]) -> None:
    assert signature_timestamps(documents["B-B"]) == []
    assert len(signature_timestamps(documents["B-T"])) == 1


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_documents_validate_from_their_own_data(documents: dict[str, bytes],
                                                         level: str) -> None:
    verdict = validate_ades(documents[level], [ROOT])
    assert (verdict.level, verdict.indication, verdict.fetched) == (level, "PASSED", False)
    checks.check_pades_level(verdict, level)
    checks.check_ades_passed(verdict)


def test_long_term_documents_do_not_validate_against_another_root(
        documents: dict[str, bytes]) -> None:
    other = make_cert(name("Other Root"), ec_key("P-384", 13), ca=True)
    verdict = validate_ades(documents["B-LTA"], [other])
    assert not verdict.passed
    with pytest.raises(ConformanceError, match=r"ETSI319102-1-5\.5"):
        checks.check_ades_passed(verdict)


def test_b_t_without_reachable_revocation_data_is_not_passed(documents: dict[str, bytes]
                                                              ) -> None:
    verdict = validate_ades(documents["B-T"], [ROOT])
    assert verdict.fetched and verdict.level == "B-T"
    assert verdict.indication == "INDETERMINATE"


def test_a_dss_without_revocation_data_is_not_b_lt() -> None:
    document = sign("B-LT", crls=[])
    assert level_of(document) == "B-T"
    with pytest.raises(ConformanceError, match="PAdES B-T"):
        checks.check_pades_level(validate_ades(document, [ROOT]), "B-LT")
