"""The signature operation per algorithm family, over a digest computed by the client."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

from cscsandbox import defects
from cscsandbox.csc.algorithms import HashAlg, PssParams
from cscsandbox.pki.keys import PrivateKey


@dataclass(frozen=True)
class SignSpec:
    """A fully resolved request: family, hash of the digests, PSS parameters if any."""

    family: str
    hash: HashAlg
    pss: PssParams | None = None


def sign_digest(key: PrivateKey, spec: SignSpec, digest: bytes) -> bytes:
    """One signature value; ECDSA plain is r||s, each left-padded to the field size."""
    prehashed = utils.Prehashed(spec.hash.algorithm())
    if isinstance(key, rsa.RSAPrivateKey):
        if spec.family == "rsa-pss" and spec.pss is not None:
            pss = padding.PSS(padding.MGF1(spec.pss.mgf_hash.algorithm()), spec.pss.salt_length)
            return key.sign(digest, pss, prehashed)
        return key.sign(digest, padding.PKCS1v15(), prehashed)
    der = key.sign(digest, ec.ECDSA(prehashed))
    if spec.family != "ecdsa-plain":
        return der
    if defects.active("der-instead-of-plain"):
        return der
    r, s = utils.decode_dss_signature(der)
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def max_pss_salt(key: PrivateKey, hash_alg: HashAlg) -> int:
    """The largest salt RFC 8017 §9.1.1 allows for this key and hash."""
    em_len = (key.key_size - 1 + 7) // 8
    return em_len - hash_alg.size - 2
