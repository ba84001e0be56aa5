"""Verify a signHash value against the end-entity certificate, for every algorithm family.

The service signs a *precomputed digest*, so every path verifies with cryptography's
``Prehashed``: RSA PKCS#1 v1.5 (DigestInfo built by cryptography), RSASSA-PSS with the parameters
the client sent, ECDSA as DER ``Ecdsa-Sig-Value`` and BSI plain ``r||s`` (converted to DER).
Failures raise a typed :mod:`cscsuite.crypto.errors` exception that says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from asn1crypto import algos
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)

from cscsuite.crypto import oids
from cscsuite.crypto.certs import public_key
from cscsuite.crypto.errors import (
    BadAlgorithmParameters,
    BadSignatureValue,
    DigestLengthMismatch,
    EncodingConfusion,
    MalformedSignature,
    UnsupportedAlgorithm,
    WrongAlgorithmFamily,
    WrongSignatureLength,
)

Encoding = Literal["der", "plain", "unknown"]


@dataclass(frozen=True)
class PssParams:
    """RSASSA-PSS-params (RFC 8017 A.2.3) with the RFC defaults applied."""

    hash_oid: str
    mgf_hash_oid: str
    salt_length: int
    trailer_field: int


def parse_pss_params(der: bytes | None) -> PssParams:
    """Decode DER RSASSA-PSS-params; reject what cannot be used for verification."""
    if not der:
        raise BadAlgorithmParameters("RSASSA-PSS needs signAlgoParams (DER RSASSA-PSS-params)")
    try:
        params = algos.RSASSAPSSParams.load(der)
        params.native  # noqa: B018 - force a full parse
        mgf = params["mask_gen_algorithm"]
        result = PssParams(
            hash_oid=params["hash_algorithm"]["algorithm"].dotted,
            mgf_hash_oid=mgf["parameters"]["algorithm"].dotted,
            salt_length=params["salt_length"].native,
            trailer_field=1 if params["trailer_field"].native == "trailer_field_bc" else 0,
        )
        mgf_oid = mgf["algorithm"].dotted
    except (ValueError, TypeError, KeyError) as exc:
        raise BadAlgorithmParameters(
            f"signAlgoParams is not DER RSASSA-PSS-params: {exc}") from None
    if mgf_oid != oids.MGF1:
        raise BadAlgorithmParameters(f"mask generation function {mgf_oid} is not MGF1")
    if result.trailer_field != 1:
        raise BadAlgorithmParameters("trailerField must be 1 (0xBC)")
    for oid in (result.hash_oid, result.mgf_hash_oid):
        if oid not in oids.HASHES:
            raise BadAlgorithmParameters(f"unknown hash {oid} in RSASSA-PSS-params")
    return result


def _key(key: CertificatePublicKeyTypes | bytes | str) -> CertificatePublicKeyTypes:
    return public_key(key) if isinstance(key, bytes | str) else key


def field_size(key: ec.EllipticCurvePublicKey) -> int:
    """Bytes per integer in a plain ECDSA value (P-256: 32, P-384: 48, P-521: 66)."""
    return (key.curve.key_size + 7) // 8


def _strict_der(signature: bytes) -> tuple[int, int] | None:
    """(r, s) when the value is canonical DER Ecdsa-Sig-Value with positive integers."""
    try:
        r, s = decode_dss_signature(signature)
    except ValueError:
        return None
    if r <= 0 or s <= 0 or encode_dss_signature(r, s) != signature:
        return None
    return r, s


def encoding_of(signature: bytes, key: CertificatePublicKeyTypes | bytes | str) -> Encoding:
    """Tell a DER ECDSA value from a plain ``r||s`` one for this EC key (certificate or key)."""
    pk = _key(key)
    if not isinstance(pk, ec.EllipticCurvePublicKey):
        raise WrongAlgorithmFamily("encoding_of needs an EC key")
    if _strict_der(signature) is not None:
        return "der"
    return "plain" if len(signature) == 2 * field_size(pk) else "unknown"


def _resolve_hash(algo: oids.SignAlgorithm, hash_algo_oid: str | None) -> str:
    hash_oid = algo.hash_oid or hash_algo_oid  # an implied hash wins (CSC1 §11.9)
    if hash_oid is None:
        raise UnsupportedAlgorithm(f"signAlgo {algo.oid} needs a separate hash algorithm OID")
    if hash_oid not in oids.HASHES:
        raise UnsupportedAlgorithm(f"unknown hash algorithm OID {hash_oid}")
    return hash_oid


def _check_family(algo: oids.SignAlgorithm, pk: CertificatePublicKeyTypes) -> None:
    actual = "rsa" if isinstance(pk, rsa.RSAPublicKey) else (
        "ec" if isinstance(pk, ec.EllipticCurvePublicKey) else type(pk).__name__)
    if actual != algo.family:
        raise WrongAlgorithmFamily(
            f"signAlgo {algo.oid} needs an {algo.family.upper()} key; the certificate holds "
            f"{actual.upper()}")


def _verify_rsa(pk: rsa.RSAPublicKey, digest: bytes, signature: bytes, hash_oid: str,
                pad: padding.AsymmetricPadding) -> None:
    modulus_len = (pk.key_size + 7) // 8
    if len(signature) != modulus_len:
        raise WrongSignatureLength(
            f"RSA signature is {len(signature)} bytes; the {pk.key_size}-bit modulus needs "
            f"{modulus_len}")
    try:
        pk.verify(signature, digest, pad, Prehashed(oids.hash_algorithm(hash_oid)))
    except InvalidSignature:
        raise BadSignatureValue("RSA signature does not verify for this digest and key") from None


def _verify_ecdsa_der(pk: ec.EllipticCurvePublicKey, digest: bytes, signature: bytes,
                      hash_oid: str) -> None:
    enc = encoding_of(signature, pk)
    if enc == "plain":
        raise EncodingConfusion(
            f"value is plain r||s ({len(signature)} bytes) where DER Ecdsa-Sig-Value is due")
    if enc != "der":
        raise MalformedSignature(
            f"value ({len(signature)} bytes) is not DER Ecdsa-Sig-Value")
    _ecdsa(pk, digest, signature, hash_oid)


def _verify_ecdsa_plain(pk: ec.EllipticCurvePublicKey, digest: bytes, signature: bytes,
                        hash_oid: str) -> None:
    n = field_size(pk)
    if len(signature) != 2 * n:
        if _strict_der(signature) is not None:
            raise EncodingConfusion(
                f"value is DER Ecdsa-Sig-Value ({len(signature)} bytes) where plain r||s "
                f"of {2 * n} bytes is due")
        raise WrongSignatureLength(
            f"plain ECDSA value is {len(signature)} bytes; this curve needs exactly {2 * n}")
    r, s = int.from_bytes(signature[:n], "big"), int.from_bytes(signature[n:], "big")
    if r == 0 or s == 0:
        raise BadSignatureValue("plain ECDSA value has r or s equal to zero")
    _ecdsa(pk, digest, encode_dss_signature(r, s), hash_oid)


def _ecdsa(pk: ec.EllipticCurvePublicKey, digest: bytes, der: bytes, hash_oid: str) -> None:
    try:
        pk.verify(der, digest, ec.ECDSA(Prehashed(oids.hash_algorithm(hash_oid))))
    except InvalidSignature:
        raise BadSignatureValue("ECDSA signature does not verify for this digest and key") from None


def verify_signature(cert_der: bytes | str, digest: bytes, signature: bytes, sign_algo_oid: str,
                     hash_algo_oid: str | None = None,
                     sign_algo_params: bytes | None = None) -> None:
    """Verify one signHash value over ``digest``; raise a VerificationError subclass on failure."""
    algo = oids.SIGN_ALGORITHMS.get(sign_algo_oid)
    if algo is None:
        raise UnsupportedAlgorithm(f"unknown signature algorithm OID {sign_algo_oid}")
    pk = public_key(cert_der)
    _check_family(algo, pk)
    pss = parse_pss_params(sign_algo_params) if algo.scheme == "pss" else None
    hash_oid = pss.hash_oid if pss else _resolve_hash(algo, hash_algo_oid)
    expected_len = oids.digest_size(hash_oid)
    if len(digest) != expected_len:
        raise DigestLengthMismatch(
            f"digest is {len(digest)} bytes; {oids.HASHES[hash_oid][0]} gives {expected_len}")
    if isinstance(pk, rsa.RSAPublicKey):
        pad: padding.AsymmetricPadding = padding.PKCS1v15() if pss is None else padding.PSS(
            mgf=padding.MGF1(oids.hash_algorithm(pss.mgf_hash_oid)), salt_length=pss.salt_length)
        _verify_rsa(pk, digest, signature, hash_oid, pad)
    elif isinstance(pk, ec.EllipticCurvePublicKey):
        if algo.scheme == "ecdsa-plain":
            _verify_ecdsa_plain(pk, digest, signature, hash_oid)
        else:
            _verify_ecdsa_der(pk, digest, signature, hash_oid)
