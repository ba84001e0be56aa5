"""The business words of the features, mapped to what the adapters need.

Feature files speak of "SHA-256 with RSA" or "the signer's ECDSA P-256 credential"; this table
turns those words into OIDs and profile roles. Nothing here knows an API version.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from asn1crypto import algos


@dataclass(frozen=True)
class Hash:
    oid: str
    name: str  # hashlib name


@dataclass(frozen=True)
class Algorithm:
    oid: str
    family: str  # rsa | ecdsa | plain_ecdsa: the encoding of the signature value
    send_hash: bool = False  # the algorithm does not imply the hash: send it separately
    pss_hash: str | None = None  # RSASSA-PSS: the hash of its parameters


HASHES: dict[str, Hash] = {
    "SHA-256": Hash("2.16.840.1.101.3.4.2.1", "sha256"),
    "SHA-384": Hash("2.16.840.1.101.3.4.2.2", "sha384"),
    "SHA-512": Hash("2.16.840.1.101.3.4.2.3", "sha512"),
}

ALGORITHMS: dict[str, Algorithm] = {
    "SHA-256 with RSA": Algorithm("1.2.840.113549.1.1.11", "rsa"),
    "SHA-384 with RSA": Algorithm("1.2.840.113549.1.1.12", "rsa"),
    "SHA-512 with RSA": Algorithm("1.2.840.113549.1.1.13", "rsa"),
    "RSA with a separate hash algorithm": Algorithm("1.2.840.113549.1.1.1", "rsa", True),
    "RSASSA-PSS with SHA-256": Algorithm("1.2.840.113549.1.1.10", "rsa", pss_hash="sha256"),
    "ECDSA with SHA-256": Algorithm("1.2.840.10045.4.3.2", "ecdsa"),
    "ECDSA with SHA-384": Algorithm("1.2.840.10045.4.3.3", "ecdsa"),
    "plain ECDSA with SHA-256": Algorithm("0.4.0.127.0.7.1.1.4.1.3", "plain_ecdsa"),
    "plain ECDSA with a separate hash algorithm": Algorithm("0.4.0.127.0.7.1.1.4.1",
                                                            "plain_ecdsa", True),
}

#: "the signer's <role> credential" -> the role key in the profile's identity credentials.
ROLES: dict[str, str] = {
    "signing": "signing", "RSA 2048": "rsa2048", "RSA 3072": "rsa3072",
    "ECDSA P-256": "p256", "ECDSA P-384": "p384", "SCAL 2": "scal2",
    "multi-signature": "multisign", "disabled": "disabled", "expired": "expired",
    "revoked": "revoked", "explicit": "explicit", "implicit": "implicit",
    "online OTP": "online_otp", "PIN-only": "pin_only", "direct SCAL 1": "direct_scal1",
    "direct SCAL 2": "direct_scal2",
}

#: Phrases of "lists the credentials asking for ..." -> neutral list options.
LIST_OPTIONS: dict[str, dict[str, object]] = {
    "details": {"credential_info": True},
    "certificate details": {"cert_info": True},
    "authorization details": {"auth_info": True},
    "only valid ones": {"only_valid": True},
}

#: Phrases of "reads the ... credential asking for ..." -> neutral info options.
INFO_OPTIONS: dict[str, dict[str, object]] = {
    "no certificates": {"certificates": "none"},
    "the certificate chain": {"certificates": "chain"},
    "certificate details": {"cert_info": True},
    "authorization details": {"auth_info": True},
}


def pss_params(hash_name: str) -> bytes:
    """DER RSASSA-PSS-params: hash, MGF1 with the same hash, salt = digest length (RFC 8017)."""
    size = {"sha256": 32, "sha384": 48, "sha512": 64}[hash_name]
    return algos.RSASSAPSSParams({
        "hash_algorithm": {"algorithm": hash_name},
        "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": hash_name}},
        "salt_length": size,
    }).dump()


def alphabet_sensitive(digest: bytes) -> bool:
    """True when the standard and URL-safe base64 texts of ``digest`` differ (+ or /)."""
    text = base64.b64encode(digest).decode()
    return "+" in text or "/" in text


def split_phrases(text: str) -> list[str]:
    """'details, certificate details and authorization details' -> three phrases."""
    return [p.strip() for p in text.replace(" and ", ", ").split(",") if p.strip()]
