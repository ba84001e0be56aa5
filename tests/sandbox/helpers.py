"""Request builders and independent signature verification for the sandbox tests."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from flask.testing import FlaskClient

SHA256 = "2.16.840.1.101.3.4.2.1"
SHA384 = "2.16.840.1.101.3.4.2.2"
SHA512 = "2.16.840.1.101.3.4.2.3"
HASH_BY_OID: dict[str, tuple[str, type[hashes.HashAlgorithm]]] = {
    SHA256: ("sha256", hashes.SHA256),
    SHA384: ("sha384", hashes.SHA384),
    SHA512: ("sha512", hashes.SHA512),
}
RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
RSASSA_PSS = "1.2.840.113549.1.1.10"
BSI_ARC = "0.4.0.127.0.7.1.1.4.1"
PSS_SHA256 = "MDSgDzANBglghkgBZQMEAgEFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgEFAKIDAgEg"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def digest(data: bytes, hash_oid: str = SHA256) -> bytes:
    return hashlib.new(HASH_BY_OID[hash_oid][0], data).digest()


def hash_field(version: str) -> str:
    return "hash" if version == "v1" else "hashes"


def hash_algo_field(version: str) -> str:
    return "hashAlgo" if version == "v1" else "hashAlgorithmOID"


def sign_body(
    version: str,
    credential_id: str,
    sad: str | None,
    digests: list[bytes],
    sign_algo: str,
    hash_oid: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "credentialID": credential_id,
        hash_field(version): [b64(d) for d in digests],
        "signAlgo": sign_algo,
    }
    if sad is not None:
        body["SAD"] = sad
    if hash_oid is not None:
        body[hash_algo_field(version)] = hash_oid
    body.update(extra)
    return body


def certificate(
    client: FlaskClient, version: str, credential_id: str, headers: dict[str, str]
) -> x509.Certificate:
    answer = client.post(
        f"/csc/{version}/credentials/info", json={"credentialID": credential_id}, headers=headers
    )
    assert answer.status_code == 200, answer.json
    return x509.load_der_x509_certificate(base64.b64decode(answer.json["cert"]["certificates"][0]))


def verify(
    cert: x509.Certificate,
    signature: bytes,
    digest_value: bytes,
    family: str,
    hash_oid: str,
    salt: int = 32,
) -> None:
    """Raise InvalidSignature unless ``signature`` is right for the certificate's key."""
    algorithm = HASH_BY_OID[hash_oid][1]()
    prehashed = utils.Prehashed(algorithm)
    key = cert.public_key()
    if family in ("rsa-pkcs1", "rsa-pss"):
        assert isinstance(key, rsa.RSAPublicKey)
        assert len(signature) == (key.key_size + 7) // 8
        pad: padding.AsymmetricPadding = (
            padding.PKCS1v15()
            if family == "rsa-pkcs1"
            else padding.PSS(padding.MGF1(algorithm), salt)
        )
        key.verify(signature, digest_value, pad, prehashed)
        return
    assert isinstance(key, ec.EllipticCurvePublicKey)
    if family == "ecdsa-plain":
        size = (key.curve.key_size + 7) // 8
        assert len(signature) == 2 * size, "plain ECDSA must be r||s of twice the field size"
        r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
        signature = utils.encode_dss_signature(r, s)
    else:
        utils.decode_dss_signature(signature)  # must be a DER SEQUENCE{r, s}
    key.verify(signature, digest_value, ec.ECDSA(prehashed))


def assert_error(answer: Any, status: int, error: str, description: str | None = None) -> None:
    """A CSC JSON error with this status, code and (if given) exact description."""
    body = answer.json
    assert answer.status_code == status, (answer.status_code, body)
    assert answer.headers["Content-Type"].startswith("application/json")
    assert body["error"] == error, body
    if description is not None:
        assert body["error_description"] == description, body
