"""The certificate profile, revocation source and algoParams checks pass on conforming input and
fail, citing their clause, on the deviation each was written for (issue 15's mutation gaps)."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from suite_crypto_factory import NOW, ec_key, make_cert, make_crl, make_pki, name, rsa_key

from cscsuite.checks import cert_profile, discovery, revocation_info
from cscsuite.checks.base import GRADING, ConformanceError
from cscsuite.crypto.certs import summarize
from cscsuite.revocation_sources import Case, Fetched

PSS_PARAMS = "MDSgDzANBglghkgBZQMEAgEFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgEFAKIDAgEg"


def _with_extensions(*extensions: tuple[x509.ExtensionType, bool]) -> bytes:
    key = rsa_key()
    b = (x509.CertificateBuilder().subject_name(name("Ext")).issuer_name(name("Ext"))
         .public_key(key.public_key()).serial_number(7)
         .not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=1)))
    for ext, critical in extensions:
        b = b.add_extension(ext, critical)
    return b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _ski(critical: bool) -> tuple[x509.ExtensionType, bool]:
    return x509.SubjectKeyIdentifier.from_public_key(rsa_key().public_key()), critical


def _usage(critical: bool) -> tuple[x509.ExtensionType, bool]:
    return x509.KeyUsage(digital_signature=False, content_commitment=True,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=False, crl_sign=False, encipher_only=False,
                         decipher_only=False), critical


def test_key_identifiers_must_not_be_critical() -> None:
    cert_profile.check_key_identifiers_non_critical([_with_extensions(_ski(False))])
    with pytest.raises(ConformanceError, match=r"RFC5280-4\.2\.1\.2.*\n.*\n.*key_identifier"):
        cert_profile.check_key_identifiers_non_critical([_with_extensions(_ski(True))])


def test_signer_key_usage_must_be_present_and_critical() -> None:
    cert_profile.check_signer_key_usage_critical(_with_extensions(_usage(True)))
    with pytest.raises(ConformanceError, match="non-critical"):
        cert_profile.check_signer_key_usage_critical(_with_extensions(_usage(False)))
    with pytest.raises(ConformanceError, match="absent"):
        cert_profile.check_signer_key_usage_critical(_with_extensions(_ski(False)))


def test_a_ca_key_usage_not_critical_is_a_finding() -> None:
    pki = make_pki()
    GRADING.findings.clear()
    cert_profile.check_ca_key_usage_critical([pki.ee, pki.inter, pki.root])
    assert not GRADING.findings
    lax_ca = _with_extensions((x509.BasicConstraints(ca=True, path_length=None), True),
                              _usage(False))
    cert_profile.check_ca_key_usage_critical([pki.ee, lax_ca])
    assert [f.clause for f in GRADING.findings] == ["RFC5280-4.2.1.3"]
    GRADING.findings.clear()


def test_an_ec_key_length_is_the_curve_size() -> None:
    cert = make_cert(name("P-521"), ec_key("P-521"))
    assert summarize(cert).key_bits == 521


def _case(crl_or_ocsp: bytes, pki, revoked: bool) -> Case:
    return Case("cred", pki.ee, pki.inter, revoked, Fetched("http://127.0.0.1/x", crl_or_ocsp))


def test_the_crl_lists_exactly_the_revoked_certificates() -> None:
    pki = make_pki()
    serial = x509.load_der_x509_certificate(pki.ee).serial_number
    listing, empty = make_crl(pki.inter, pki.inter_key, [serial]), make_crl(
        pki.inter, pki.inter_key, [])
    revocation_info.check_crl_lists(_case(listing, pki, revoked=True))
    revocation_info.check_crl_lists(_case(empty, pki, revoked=False))
    with pytest.raises(ConformanceError, match="not listed \\(valid certificate\\)"):
        revocation_info.check_crl_lists(_case(listing, pki, revoked=False))
    with pytest.raises(ConformanceError, match="listed \\(revoked certificate\\)"):
        revocation_info.check_crl_lists(_case(empty, pki, revoked=True))
    foreign = make_crl(pki.inter, ec_key("P-384", 9), [serial])
    with pytest.raises(ConformanceError, match="signature does not verify"):
        revocation_info.check_crl_lists(_case(foreign, pki, revoked=True))


def test_an_unanswered_source_fails_with_what_happened() -> None:
    case = replace(_case(b"", make_pki(), True), answer=Fetched("http://x/crl", error="HTTP 404"))
    with pytest.raises(ConformanceError, match="HTTP 404"):
        revocation_info.check_crl_lists(case)


def test_the_crl_number_must_not_be_critical() -> None:
    pki = make_pki()
    revocation_info.check_crl_number(_case(make_crl(pki.inter, pki.inter_key, []), pki, False))
    issuer = x509.load_der_x509_certificate(pki.inter)
    critical = (x509.CertificateRevocationListBuilder().issuer_name(issuer.subject)
                .last_update(NOW).next_update(NOW + timedelta(days=1))
                .add_extension(x509.CRLNumber(1), critical=True)
                .sign(pki.inter_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    with pytest.raises(ConformanceError, match=r"RFC5280-5\.2\.3"):
        revocation_info.check_crl_number(_case(critical, pki, False))


def _ocsp(pki, status: ocsp.OCSPCertStatus) -> bytes:
    revoked = status == ocsp.OCSPCertStatus.REVOKED
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=x509.load_der_x509_certificate(pki.ee),
        issuer=x509.load_der_x509_certificate(pki.inter), algorithm=hashes.SHA1(),
        cert_status=status, this_update=NOW, next_update=NOW + timedelta(hours=1),
        revocation_time=NOW - timedelta(hours=1) if revoked else None,
        revocation_reason=None).responder_id(
        ocsp.OCSPResponderEncoding.HASH, x509.load_der_x509_certificate(pki.inter))
    return builder.sign(pki.inter_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def test_the_ocsp_answer_follows_the_certificate_status() -> None:
    pki = make_pki()
    good, revoked = _ocsp(pki, ocsp.OCSPCertStatus.GOOD), _ocsp(pki, ocsp.OCSPCertStatus.REVOKED)
    revocation_info.check_ocsp_status(_case(good, pki, revoked=False))
    revocation_info.check_ocsp_status(_case(revoked, pki, revoked=True))
    with pytest.raises(ConformanceError, match="REVOKED \\(revoked certificate\\)"):
        revocation_info.check_ocsp_status(_case(good, pki, revoked=True))
    failed = ocsp.OCSPResponseBuilder.build_unsuccessful(
        ocsp.OCSPResponseStatus.INTERNAL_ERROR).public_bytes(serialization.Encoding.DER)
    with pytest.raises(ConformanceError, match="INTERNAL_ERROR"):
        revocation_info.check_ocsp_status(_case(failed, pki, revoked=False))


def test_algo_params_belong_to_their_algorithm() -> None:
    algos = ["1.2.840.113549.1.1.10", "1.2.840.10045.4.3.2", "1.2.840.113549.1.1.11", "1.9.9"]
    fits = {"signAlgorithms": {"algos": algos, "algoParams": [PSS_PARAMS, "", "BQA=", "xyz"]}}
    discovery.check_algo_params_fit(fits)
    for wrong in ([PSS_PARAMS, PSS_PARAMS, "", ""], [PSS_PARAMS, "BQA=", "", ""],
                  [base64.b64encode(b"junk").decode(), "", "", ""]):
        body = {"signAlgorithms": {"algos": algos, "algoParams": wrong}}
        with pytest.raises(ConformanceError, match=r"CSC2-11\.1"):
            discovery.check_algo_params_fit(body)
