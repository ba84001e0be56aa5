"""verify_signature: every family verifies, and each kind of damage is rejected with its reason."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest
from asn1crypto import algos
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from suite_crypto_factory import digest, ec_key, make_cert, name, rsa_key, sign_ecdsa, sign_rsa

from cscsuite.crypto import encoding_of, verify_signature
from cscsuite.crypto import oids as o
from cscsuite.crypto.errors import VerificationError
from cscsuite.crypto.signatures import parse_pss_params

# spec-notes §5.2: SHA-256 / MGF1-SHA-256 / salt 32, with and without NULL hash parameters
PSS_SHA256_NULL = base64.b64decode(
    "MDSgDzANBglghkgBZQMEAgEFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgEFAKIDAgEg")
PSS_SHA256_NO_NULL = base64.b64decode(
    "MDCgDTALBglghkgBZQMEAgGhGjAYBgkqhkiG9w0BAQgwCwYJYIZIAWUDBAIBogMCASA=")


def pss_params(hash_name: str, mgf_hash: str, salt: int) -> bytes:
    return algos.RSASSAPSSParams({
        "hash_algorithm": {"algorithm": hash_name},
        "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": mgf_hash}},
        "salt_length": salt,
    }).dump()


def cert_for(key) -> bytes:
    return make_cert(name("Signer"), key)


@dataclass
class Case:
    id: str
    cert: bytes
    digest: bytes
    signature: bytes
    sign_algo: str
    hash_algo: str | None = None
    params: bytes | None = None

    def verify(self, **changes) -> None:
        args = {"cert_der": self.cert, "digest": self.digest, "signature": self.signature,
                "sign_algo_oid": self.sign_algo, "hash_algo_oid": self.hash_algo,
                "sign_algo_params": self.params} | changes
        verify_signature(**args)


def _cases() -> list[Case]:
    rk, p256, p384 = rsa_key(), ec_key("P-256"), ec_key("P-384")
    rc, c256, c384 = cert_for(rk), cert_for(p256), cert_for(p384)
    d256, d384, d512 = digest(algo="sha256"), digest(algo="sha384"), digest(algo="sha512")
    return [
        Case("rsaEncryption+sha256", rc, d256, sign_rsa(rk, d256), o.RSA_ENCRYPTION, o.SHA256),
        Case("rsaEncryption+sha384", rc, d384, sign_rsa(rk, d384, "sha384"), o.RSA_ENCRYPTION,
             o.SHA384),
        Case("rsaEncryption+sha512", rc, d512, sign_rsa(rk, d512, "sha512"), o.RSA_ENCRYPTION,
             o.SHA512),
        Case("sha256WithRSA", rc, d256, sign_rsa(rk, d256), "1.2.840.113549.1.1.11"),
        Case("sha384WithRSA", rc, d384, sign_rsa(rk, d384, "sha384"), "1.2.840.113549.1.1.12"),
        Case("sha512WithRSA", rc, d512, sign_rsa(rk, d512, "sha512"), "1.2.840.113549.1.1.13"),
        Case("pss-sha256-null", rc, d256, sign_rsa(rk, d256, pss_salt=32), o.RSASSA_PSS,
             params=PSS_SHA256_NULL),
        Case("pss-sha256-no-null", rc, d256, sign_rsa(rk, d256, pss_salt=32), o.RSASSA_PSS,
             params=PSS_SHA256_NO_NULL),
        Case("pss-sha384-mgf256-salt48", rc, d384,
             sign_rsa(rk, d384, "sha384", pss_salt=48, mgf_algo="sha256"), o.RSASSA_PSS,
             params=pss_params("sha384", "sha256", 48)),
        Case("ecdsa-sha256-p256", c256, d256, sign_ecdsa(p256, d256), "1.2.840.10045.4.3.2"),
        Case("ecdsa-sha384-p384", c384, d384, sign_ecdsa(p384, d384, "sha384"),
             "1.2.840.10045.4.3.3"),
        Case("ecPublicKey+sha256", c256, d256, sign_ecdsa(p256, d256), o.EC_PUBLIC_KEY, o.SHA256),
        Case("bsi-plain-sha256-p256", c256, d256, sign_ecdsa(p256, d256, plain=True),
             o.BSI_PLAIN_ARC + ".3"),
        Case("bsi-plain-sha384-p384", c384, d384, sign_ecdsa(p384, d384, "sha384", plain=True),
             o.BSI_PLAIN_ARC + ".4"),
        Case("bsi-bare-arc+sha256", c256, d256, sign_ecdsa(p256, d256, plain=True),
             o.BSI_PLAIN_ARC, o.SHA256),
        Case("bsi-bare-arc+sha512-p384", c384, d512, sign_ecdsa(p384, d512, "sha512", plain=True),
             o.BSI_PLAIN_ARC, o.SHA512),
    ]


CASES = _cases()
BY_ID = {c.id: c for c in CASES}


def reason_of(case: Case, **changes) -> str:
    with pytest.raises(VerificationError) as exc:
        case.verify(**changes)
    return exc.value.reason


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_valid_signature_verifies(case: Case) -> None:
    case.verify()  # raises on failure


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_one_flipped_byte_is_rejected(case: Case) -> None:
    sig = bytearray(case.signature)
    sig[-1] ^= 0x01
    assert reason_of(case, signature=bytes(sig)) == "bad_value"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_other_digest_is_rejected(case: Case) -> None:
    other = bytes(len(case.digest))
    assert reason_of(case, digest=other) == "bad_value"


def other_cert(case: Case) -> bytes:
    """A certificate with a different key of the same family and curve."""
    pk = x509.load_der_x509_certificate(case.cert).public_key()
    if isinstance(pk, ec.EllipticCurvePublicKey):
        return cert_for(ec_key({256: "P-256", 384: "P-384"}[pk.curve.key_size], 1))
    return cert_for(rsa_key(2048, 1))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_wrong_key_is_rejected(case: Case) -> None:
    assert reason_of(case, cert_der=other_cert(case)) == "bad_value"


@pytest.mark.parametrize(("case_id", "wrong_algo", "hash_algo", "reason"), [
    ("sha256WithRSA", "1.2.840.10045.4.3.2", None, "wrong_family"),
    ("ecdsa-sha256-p256", "1.2.840.113549.1.1.11", None, "wrong_family"),
    ("bsi-plain-sha256-p256", o.RSA_ENCRYPTION, o.SHA256, "wrong_family"),
    ("sha256WithRSA", o.RSASSA_PSS, None, "bad_value"),  # params supplied below
    ("pss-sha256-null", "1.2.840.113549.1.1.11", None, "bad_value"),
    ("rsaEncryption+sha256", o.RSA_ENCRYPTION, o.SHA3_256, "bad_value"),
    ("sha256WithRSA", "1.2.840.113549.1.1.12", None, "digest_length"),
    ("ecdsa-sha256-p256", "1.2.840.10045.4.3.4", None, "digest_length"),
])
def test_wrong_algorithm_is_rejected(case_id, wrong_algo, hash_algo, reason) -> None:
    case = BY_ID[case_id]
    params = PSS_SHA256_NULL if wrong_algo == o.RSASSA_PSS else None
    assert reason_of(case, sign_algo_oid=wrong_algo, hash_algo_oid=hash_algo,
                     sign_algo_params=params) == reason


@pytest.mark.parametrize("case_id", ["ecdsa-sha256-p256", "ecdsa-sha384-p384",
                                     "ecPublicKey+sha256"])
def test_plain_value_where_der_is_due_is_named(case_id) -> None:
    case = BY_ID[case_id]
    plain = BY_ID["bsi-plain-sha256-p256" if "256" in case_id else "bsi-plain-sha384-p384"]
    assert reason_of(case, signature=plain.signature) == "encoding_confusion"


@pytest.mark.parametrize("case_id", ["bsi-plain-sha256-p256", "bsi-bare-arc+sha256",
                                     "bsi-plain-sha384-p384"])
def test_der_value_where_plain_is_due_is_named(case_id) -> None:
    case = BY_ID[case_id]
    der = BY_ID["ecdsa-sha256-p256" if "256" in case_id else "ecdsa-sha384-p384"]
    assert reason_of(case, signature=der.signature) == "encoding_confusion"


def test_encoding_of_tells_der_from_plain() -> None:
    der, plain = BY_ID["ecdsa-sha256-p256"], BY_ID["bsi-plain-sha256-p256"]
    assert encoding_of(der.signature, der.cert) == "der"
    assert encoding_of(plain.signature, plain.cert) == "plain"
    assert encoding_of(b"\x01" * 63, plain.cert) == "unknown"
    assert encoding_of(plain.signature, BY_ID["ecdsa-sha384-p384"].cert) == "unknown"


@pytest.mark.parametrize(("case_id", "changes", "reason"), [
    ("sha256WithRSA", {"signature": b"\x00" + BY_ID["sha256WithRSA"].signature},
     "wrong_length"),
    ("sha256WithRSA", {"signature": BY_ID["sha256WithRSA"].signature[1:]}, "wrong_length"),
    ("bsi-plain-sha256-p256", {"signature": BY_ID["bsi-plain-sha256-p256"].signature[:-1]},
     "wrong_length"),
    ("bsi-plain-sha256-p256", {"signature": bytes(64)}, "bad_value"),
    ("ecdsa-sha256-p256", {"signature": b"\x30\x02\x01\x01"}, "malformed"),
    ("rsaEncryption+sha256", {"hash_algo_oid": None}, "unsupported_algorithm"),
    ("bsi-bare-arc+sha256", {"hash_algo_oid": None}, "unsupported_algorithm"),
    ("rsaEncryption+sha256", {"hash_algo_oid": "1.2.3.4"}, "unsupported_algorithm"),
    ("sha256WithRSA", {"sign_algo_oid": "1.2.3.4"}, "unsupported_algorithm"),
    ("pss-sha256-null", {"sign_algo_params": None}, "bad_parameters"),
    ("pss-sha256-null", {"sign_algo_params": b"\x04\x02ab"}, "bad_parameters"),
    ("pss-sha256-null", {"sign_algo_params": pss_params("sha256", "sha256", 20)}, "bad_value"),
    ("sha256WithRSA", {"digest": digest()[:31]}, "digest_length"),
])
def test_malformed_input_is_rejected_with_reason(case_id, changes, reason) -> None:
    assert reason_of(BY_ID[case_id], **changes) == reason


def test_pss_params_defaults_and_values() -> None:
    p = parse_pss_params(pss_params("sha384", "sha256", 48))
    assert (p.hash_oid, p.mgf_hash_oid, p.salt_length, p.trailer_field) == (
        o.SHA384, o.SHA256, 48, 1)
    # an empty SEQUENCE means all RFC 8017 defaults: SHA-1, MGF1-SHA-1, salt 20
    d = parse_pss_params(b"\x30\x00")
    assert (d.hash_oid, d.mgf_hash_oid, d.salt_length) == (o.SHA1, o.SHA1, 20)


def test_error_message_says_why() -> None:
    with pytest.raises(VerificationError, match=r"255 bytes; the 2048-bit modulus needs 256"):
        BY_ID["sha256WithRSA"].verify(signature=BY_ID["sha256WithRSA"].signature[1:])
