"""The verification checks: each passes on good input and fails, citing its clause, on bad."""

from __future__ import annotations

from datetime import timedelta

import pytest
from suite_crypto_factory import (
    NOW,
    digest,
    ec_key,
    make_cert,
    make_crl,
    make_pki,
    name,
    rsa_key,
    serial_of,
    sign_ecdsa,
    sign_rsa,
)

from cscsuite.checks import verification as v
from cscsuite.checks.base import GRADING, ConformanceError
from cscsuite.crypto import oids as o
from cscsuite.crypto.certinfo import format_time
from cscsuite.crypto.certs import QC_COMPLIANCE, QC_SSCD, QC_TYPE_ESIGN, summarize

SHA256_RSA, ECDSA_SHA256, PLAIN_SHA256 = "1.2.840.113549.1.1.11", "1.2.840.10045.4.3.2", \
    o.BSI_PLAIN_ARC + ".3"


@pytest.fixture(scope="module")
def rsa_cert() -> bytes:
    return make_cert(name("RSA Signer"), rsa_key())


@pytest.fixture(scope="module")
def p256_cert() -> bytes:
    return make_cert(name("EC Signer"), ec_key("P-256"))


def fails(clause: str, fn, *args, **kwargs) -> ConformanceError:
    with pytest.raises(ConformanceError) as exc:
        fn(*args, **kwargs)
    assert exc.value.clause == clause
    return exc.value


def test_signature_verifies(rsa_cert) -> None:
    d = digest()
    v.check_signature_verifies(rsa_cert, d, sign_rsa(rsa_key(), d), SHA256_RSA)
    err = fails("CSC1-11.9", v.check_signature_verifies, rsa_cert, d,
                sign_rsa(rsa_key(), digest(b"other")), SHA256_RSA, evidence="ex-7")
    assert "bad_value" in str(err.actual) and err.evidence == "ex-7"


def test_signature_count_and_order(p256_cert) -> None:
    digests = [digest(b"a"), digest(b"b"), digest(b"c")]
    sigs = [sign_ecdsa(ec_key("P-256"), d) for d in digests]
    v.check_signature_count_and_order(p256_cert, digests, sigs, ECDSA_SHA256)
    err = fails("CSC1-11.9", v.check_signature_count_and_order, p256_cert, digests,
                [sigs[1], sigs[0], sigs[2]], ECDSA_SHA256)
    assert err.actual == "signature #0 is over hash #1"
    err = fails("CSC1-11.9", v.check_signature_count_and_order, p256_cert, digests, sigs[:2],
                ECDSA_SHA256)
    assert (err.expected, err.actual) == ("3 signatures", "2 signatures")


def test_plain_ecdsa_encoding(p256_cert, strict_grading) -> None:
    d = digest()
    v.check_plain_ecdsa_encoding(sign_ecdsa(ec_key("P-256"), d, plain=True), p256_cert)
    err = fails("CSC1-11.9", v.check_plain_ecdsa_encoding, sign_ecdsa(ec_key("P-256"), d),
                p256_cert)
    assert "DER Ecdsa-Sig-Value" in err.actual and err.expected == "plain r||s of 64 bytes"


def test_der_ecdsa_encoding(p256_cert, strict_grading) -> None:
    d = digest()
    v.check_der_ecdsa_encoding(sign_ecdsa(ec_key("P-256"), d), p256_cert)
    err = fails("X962-ECDSA", v.check_der_ecdsa_encoding,
                sign_ecdsa(ec_key("P-256"), d, plain=True), p256_cert)
    assert err.actual == "plain r||s (64 bytes)"


def test_ecdsa_encodings_are_should_level(p256_cert) -> None:
    """Both encodings are inferred (spec-notes §10 items 87, 88): findings, not failures."""
    d = digest()
    GRADING.findings.clear()
    v.check_der_ecdsa_encoding(sign_ecdsa(ec_key("P-256"), d, plain=True), p256_cert)
    v.check_plain_ecdsa_encoding(sign_ecdsa(ec_key("P-256"), d), p256_cert)
    assert [f.clause for f in GRADING.findings] == ["X962-ECDSA", "CSC1-11.9"]
    GRADING.findings.clear()


def test_plain_value_fails_signature_check_as_confusion(p256_cert) -> None:
    d = digest()
    err = fails("CSC1-11.9", v.check_signature_verifies, p256_cert, d,
                sign_ecdsa(ec_key("P-256"), d), PLAIN_SHA256)
    assert str(err.actual).startswith("encoding_confusion")


def test_rsa_length_equals_modulus(rsa_cert, p256_cert) -> None:
    sig = sign_rsa(rsa_key(), digest())
    v.check_rsa_length_equals_modulus(sig, rsa_cert)
    err = fails("CSC1-11.9", v.check_rsa_length_equals_modulus, sig[:-1], rsa_cert)
    assert (err.expected, err.actual) == ("256 bytes", "255 bytes")
    fails("CSC1-11.9", v.check_rsa_length_equals_modulus, sig, p256_cert)


def test_chain_order() -> None:
    p = make_pki()
    v.check_chain_order([p.ee, p.inter, p.root])
    err = fails("CSC1-11.5", v.check_chain_order, [p.root, p.inter, p.ee])
    assert "not the end entity" in err.actual


def test_chain_trusted_and_rejected() -> None:
    p = make_pki(crl_url="http://127.0.0.1:9/ca.crl")
    assert v.check_chain_trusted([p.ee, p.inter], [p.root], NOW).path[-1] == p.root
    other = make_cert(name("Other Root"), ec_key("P-256", 5), ca=True)
    err = fails("RFC5280-6.1", v.check_chain_trusted, [p.ee, p.inter], [other], NOW)
    assert err.actual.startswith("untrusted")
    crl = make_crl(p.inter, p.inter_key, [serial_of(p.ee)])
    err = fails("RFC5280-6.1", v.check_chain_trusted, [p.ee, p.inter], [p.root], NOW, "hard",
                crls=[crl])
    assert err.actual.startswith("revoked")
    v.check_chain_rejected([p.ee, p.inter], [p.root], NOW, "hard", crls=[crl])
    err = fails("RFC5280-6.3", v.check_chain_rejected, [p.ee, p.inter], [p.root], NOW, "hard",
                crls=[make_crl(p.inter, p.inter_key, [])])
    assert err.actual == "the chain validated"


def test_key_usage_non_repudiation() -> None:
    v.check_key_usage_non_repudiation(make_pki().ee)
    err = fails("EN319412-2-4.3.2", v.check_key_usage_non_repudiation,
                make_pki(non_repudiation=False).ee)
    assert err.actual == ["digital_signature"]


def test_valid_at() -> None:
    p = make_pki()
    v.check_valid_at([p.ee, p.inter], NOW)
    fails("CSC1-11.9", v.check_valid_at, [p.ee, p.inter], NOW + timedelta(days=400))


def test_qc_statements() -> None:
    ee = make_pki().ee
    v.check_qc_statements(ee, (QC_COMPLIANCE, QC_SSCD), qc_type=QC_TYPE_ESIGN)
    err = fails("EN319412-5-4.2", v.check_qc_statements, make_pki(qc=False).ee)
    assert "missing ['0.4.0.1862.1.1']" in err.actual
    fails("EN319412-5-4.2", v.check_qc_statements, ee, qc_type="0.4.0.1862.1.6.2")


def test_qualified_policy() -> None:
    v.check_qualified_policy(make_pki().ee)
    err = fails("EN319411-2-5.3", v.check_qualified_policy, make_pki(policy=None).ee)
    assert err.actual == "no certificatePolicies"


def test_cert_info_matches(rsa_cert) -> None:
    s = summarize(rsa_cert)
    info = {"issuerDN": s.issuer_dn, "subjectDN": s.subject_dn,
            "serialNumber": format(s.serial, "x"), "validFrom": format_time(s.not_before),
            "validTo": format_time(s.not_after)}
    v.check_cert_info_matches(info, rsa_cert)
    err = fails("CSC1-11.5", v.check_cert_info_matches,
                info | {"serialNumber": "01", "validTo": "20000101000000Z"}, rsa_cert)
    assert set(err.actual) == {"serialNumber", "validTo"}
    fails("CSC1-11.5", v.check_cert_info_matches, info | {"subjectDN": "CN=Mallory"}, rsa_cert)


def test_cert_info_absent() -> None:
    v.check_cert_info_absent({"key": {}, "cert": {}})
    err = fails("CSC1-11.5", v.check_cert_info_absent, {"serialNumber": "01"})
    assert err.actual == ["serialNumber"]


def test_key_matches_cert(rsa_cert, p256_cert) -> None:
    v.check_key_matches_cert(2048, None, rsa_cert, key_algos=[SHA256_RSA, o.RSA_ENCRYPTION])
    v.check_key_matches_cert(256, "1.2.840.10045.3.1.7", p256_cert,
                             key_algos=[ECDSA_SHA256, o.BSI_PLAIN_ARC])
    fails("CSC1-11.5", v.check_key_matches_cert, 3072, None, rsa_cert)
    fails("CSC1-11.5", v.check_key_matches_cert, 256, "1.3.132.0.34", p256_cert)
    fails("CSC1-11.5", v.check_key_matches_cert, 256, None, p256_cert)
    fails("CSC1-11.5", v.check_key_matches_cert, 2048, "1.2.840.10045.3.1.7", rsa_cert)
    err = fails("CSC1-11.5", v.check_key_matches_cert, 2048, None, rsa_cert,
                key_algos=[ECDSA_SHA256])
    assert ECDSA_SHA256 in err.actual


def test_an_unparseable_certificate_fails_the_check_citing_its_clause() -> None:
    err = fails("EN319412-2-4.3.2", v.check_key_usage_non_repudiation, b"\x30\x03\x02\x01\x01",
                evidence="ex-2")
    assert str(err.actual).startswith("bad_certificate:") and err.evidence == "ex-2"
