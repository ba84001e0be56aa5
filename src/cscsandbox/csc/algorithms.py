"""Signature and hash algorithm OIDs the service accepts, and how a request maps onto them.

spec-notes §5: PKCS#1 v1.5 (rsaEncryption + separate hash, or sha*WithRSAEncryption),
RSASSA-PSS with DER RSASSA-PSS-params, ecdsa-with-SHA* (DER value) and BSI plain ECDSA (r||s),
including the bare BSI arc with the hash given separately (as PrimeSign advertises it).
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import algos as asn1_algos
from cryptography.hazmat.primitives import hashes


@dataclass(frozen=True)
class HashAlg:
    oid: str
    name: str
    size: int

    def algorithm(self) -> hashes.HashAlgorithm:
        return _HASH_CLASSES[self.name]()


_HASH_CLASSES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512,
}
SHA256 = HashAlg("2.16.840.1.101.3.4.2.1", "sha256", 32)
SHA384 = HashAlg("2.16.840.1.101.3.4.2.2", "sha384", 48)
SHA512 = HashAlg("2.16.840.1.101.3.4.2.3", "sha512", 64)
HASHES = {h.oid: h for h in (SHA256, SHA384, SHA512)}
_BY_NAME = {h.name: h for h in HASHES.values()}

RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
RSASSA_PSS = "1.2.840.113549.1.1.10"
MGF1 = "1.2.840.113549.1.1.8"
BSI_PLAIN_ARC = "0.4.0.127.0.7.1.1.4.1"


@dataclass(frozen=True)
class AlgoKind:
    """What a signAlgo OID means: the encoding family and the hash it implies (if any)."""

    family: str  # rsa-pkcs1 | rsa-pss | ecdsa-der | ecdsa-plain
    key_type: str  # rsa | ec
    implied_hash: HashAlg | None


SIGN_ALGOS: dict[str, AlgoKind] = {
    RSA_ENCRYPTION: AlgoKind("rsa-pkcs1", "rsa", None),
    "1.2.840.113549.1.1.11": AlgoKind("rsa-pkcs1", "rsa", SHA256),
    "1.2.840.113549.1.1.12": AlgoKind("rsa-pkcs1", "rsa", SHA384),
    "1.2.840.113549.1.1.13": AlgoKind("rsa-pkcs1", "rsa", SHA512),
    RSASSA_PSS: AlgoKind("rsa-pss", "rsa", None),
    "1.2.840.10045.4.3.2": AlgoKind("ecdsa-der", "ec", SHA256),
    "1.2.840.10045.4.3.3": AlgoKind("ecdsa-der", "ec", SHA384),
    "1.2.840.10045.4.3.4": AlgoKind("ecdsa-der", "ec", SHA512),
    BSI_PLAIN_ARC + ".3": AlgoKind("ecdsa-plain", "ec", SHA256),
    BSI_PLAIN_ARC + ".4": AlgoKind("ecdsa-plain", "ec", SHA384),
    BSI_PLAIN_ARC + ".5": AlgoKind("ecdsa-plain", "ec", SHA512),
    BSI_PLAIN_ARC: AlgoKind("ecdsa-plain", "ec", None),
}

#: The PSS parameters advertised in v2 info (SHA-256, MGF1-SHA-256, salt 32; spec-notes §5.2).
PSS_SHA256_PARAMS_B64 = "MDSgDzANBglghkgBZQMEAgEFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgEFAKIDAgEg"


def key_algos(key_type: str) -> list[str]:
    """The ``key/algo`` list of a credential: every signAlgo usable with its key."""
    return [oid for oid, kind in SIGN_ALGOS.items() if kind.key_type == key_type]


def advertised_params(oid: str) -> str:
    return PSS_SHA256_PARAMS_B64 if oid == RSASSA_PSS else ""


@dataclass(frozen=True)
class PssParams:
    hash: HashAlg
    mgf_hash: HashAlg
    salt_length: int


def parse_pss_params(der: bytes) -> PssParams | None:
    """RSASSA-PSS-params (RFC 8017 A.2.3) restricted to SHA-2 and MGF1; None if unusable."""
    try:
        params = asn1_algos.RSASSAPSSParams.load(der, strict=True)
        hash_name = params["hash_algorithm"]["algorithm"].native
        mgf = params["mask_gen_algorithm"]
        mgf_name = mgf["parameters"]["algorithm"].native
        salt = params["salt_length"].native
        trailer = params["trailer_field"].native
        if mgf["algorithm"].dotted != MGF1 or trailer not in ("trailer_field_bc", 1):
            return None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if hash_name not in _BY_NAME or mgf_name not in _BY_NAME or not isinstance(salt, int):
        return None
    return PssParams(_BY_NAME[hash_name], _BY_NAME[mgf_name], salt)
