"""Object identifiers the verifier understands (spec-notes §5), with what each one implies.

A signature algorithm OID tells the verifier three things: the key family it needs (RSA or EC),
the padding or encoding of the value (PKCS#1 v1.5, PSS, DER ``Ecdsa-Sig-Value``, plain ``r||s``)
and, unless it is a bare key OID or the bare BSI arc, the hash. Keeping that in one table makes
every verification path read the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives import hashes

Family = Literal["rsa", "ec"]
Scheme = Literal["pkcs1v15", "pss", "ecdsa-der", "ecdsa-plain"]

SHA1 = "1.3.14.3.2.26"
SHA224 = "2.16.840.1.101.3.4.2.4"
SHA256 = "2.16.840.1.101.3.4.2.1"
SHA384 = "2.16.840.1.101.3.4.2.2"
SHA512 = "2.16.840.1.101.3.4.2.3"
SHA3_256 = "2.16.840.1.101.3.4.2.8"
SHA3_384 = "2.16.840.1.101.3.4.2.9"
SHA3_512 = "2.16.840.1.101.3.4.2.10"

#: Hash OID -> (name, cryptography hash factory). SHA-1 is here only to recognise legacy values
#: (e.g. the PSS MGF1 default); CSC1 §11.9 asks for SHA-256 or stronger.
HASHES: dict[str, tuple[str, type[hashes.HashAlgorithm]]] = {
    SHA1: ("sha1", hashes.SHA1),
    SHA224: ("sha224", hashes.SHA224),
    SHA256: ("sha256", hashes.SHA256),
    SHA384: ("sha384", hashes.SHA384),
    SHA512: ("sha512", hashes.SHA512),
    SHA3_256: ("sha3_256", hashes.SHA3_256),
    SHA3_384: ("sha3_384", hashes.SHA3_384),
    SHA3_512: ("sha3_512", hashes.SHA3_512),
}
HASH_BY_NAME: dict[str, str] = {name: oid for oid, (name, _) in HASHES.items()}

RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
RSASSA_PSS = "1.2.840.113549.1.1.10"
MGF1 = "1.2.840.113549.1.1.8"
EC_PUBLIC_KEY = "1.2.840.10045.2.1"
BSI_PLAIN_ARC = "0.4.0.127.0.7.1.1.4.1"

CURVES: dict[str, tuple[str, int]] = {
    # curve OID -> (NIST name, field size in bytes)
    "1.2.840.10045.3.1.7": ("P-256", 32),
    "1.3.132.0.34": ("P-384", 48),
    "1.3.132.0.35": ("P-521", 66),
}
CURVE_BY_SECG_NAME: dict[str, str] = {
    "secp256r1": "1.2.840.10045.3.1.7",
    "secp384r1": "1.3.132.0.34",
    "secp521r1": "1.3.132.0.35",
}


@dataclass(frozen=True)
class SignAlgorithm:
    """What a signature algorithm OID implies. ``hash_oid`` None: taken from a separate hash OID."""

    oid: str
    family: Family
    scheme: Scheme
    hash_oid: str | None


def _table() -> dict[str, SignAlgorithm]:
    rows: list[tuple[str, Family, Scheme, str | None]] = [
        (RSA_ENCRYPTION, "rsa", "pkcs1v15", None),
        ("1.2.840.113549.1.1.5", "rsa", "pkcs1v15", SHA1),
        ("1.2.840.113549.1.1.14", "rsa", "pkcs1v15", SHA224),
        ("1.2.840.113549.1.1.11", "rsa", "pkcs1v15", SHA256),
        ("1.2.840.113549.1.1.12", "rsa", "pkcs1v15", SHA384),
        ("1.2.840.113549.1.1.13", "rsa", "pkcs1v15", SHA512),
        ("2.16.840.1.101.3.4.3.14", "rsa", "pkcs1v15", SHA3_256),
        ("2.16.840.1.101.3.4.3.15", "rsa", "pkcs1v15", SHA3_384),
        ("2.16.840.1.101.3.4.3.16", "rsa", "pkcs1v15", SHA3_512),
        (RSASSA_PSS, "rsa", "pss", None),
        (EC_PUBLIC_KEY, "ec", "ecdsa-der", None),
        ("1.2.840.10045.4.3.1", "ec", "ecdsa-der", SHA224),
        ("1.2.840.10045.4.3.2", "ec", "ecdsa-der", SHA256),
        ("1.2.840.10045.4.3.3", "ec", "ecdsa-der", SHA384),
        ("1.2.840.10045.4.3.4", "ec", "ecdsa-der", SHA512),
        ("2.16.840.1.101.3.4.3.10", "ec", "ecdsa-der", SHA3_256),
        ("2.16.840.1.101.3.4.3.11", "ec", "ecdsa-der", SHA3_384),
        ("2.16.840.1.101.3.4.3.12", "ec", "ecdsa-der", SHA3_512),
        # BSI TR-03111 ecdsa-plain-signatures: .1..5 = SHA-1/224/256/384/512, .9..11 = SHA3
        (BSI_PLAIN_ARC, "ec", "ecdsa-plain", None),
        (BSI_PLAIN_ARC + ".1", "ec", "ecdsa-plain", SHA1),
        (BSI_PLAIN_ARC + ".2", "ec", "ecdsa-plain", SHA224),
        (BSI_PLAIN_ARC + ".3", "ec", "ecdsa-plain", SHA256),
        (BSI_PLAIN_ARC + ".4", "ec", "ecdsa-plain", SHA384),
        (BSI_PLAIN_ARC + ".5", "ec", "ecdsa-plain", SHA512),
        (BSI_PLAIN_ARC + ".9", "ec", "ecdsa-plain", SHA3_256),
        (BSI_PLAIN_ARC + ".10", "ec", "ecdsa-plain", SHA3_384),
        (BSI_PLAIN_ARC + ".11", "ec", "ecdsa-plain", SHA3_512),
    ]
    return {oid: SignAlgorithm(oid, fam, scheme, h) for oid, fam, scheme, h in rows}


SIGN_ALGORITHMS: dict[str, SignAlgorithm] = _table()


def hash_algorithm(oid: str) -> hashes.HashAlgorithm:
    """A cryptography hash object for a hash OID (KeyError when unknown)."""
    return HASHES[oid][1]()


def digest_size(oid: str) -> int:
    """Digest length in bytes for a hash OID (KeyError when unknown)."""
    return hash_algorithm(oid).digest_size
