"""Every advertised algorithm on both versions: the value verifies against the certificate."""

from __future__ import annotations

import base64

import pytest
from flask.testing import FlaskClient

from .conftest import MintToken
from .helpers import (
    BSI_ARC,
    PSS_SHA256,
    RSA_ENCRYPTION,
    RSASSA_PSS,
    SHA256,
    SHA384,
    SHA512,
    certificate,
    digest,
    sign_body,
    verify,
)

# (credential suffix, signAlgo, hash OID sent separately or None, family, hash of the digests)
CASES = [
    ("rsa2048", RSA_ENCRYPTION, SHA256, "rsa-pkcs1", SHA256),
    ("rsa2048", RSA_ENCRYPTION, SHA384, "rsa-pkcs1", SHA384),
    ("rsa2048", RSA_ENCRYPTION, SHA512, "rsa-pkcs1", SHA512),
    ("rsa2048", "1.2.840.113549.1.1.11", None, "rsa-pkcs1", SHA256),
    ("rsa3072", "1.2.840.113549.1.1.12", None, "rsa-pkcs1", SHA384),
    ("rsa2048", "1.2.840.113549.1.1.13", None, "rsa-pkcs1", SHA512),
    ("rsa3072", RSASSA_PSS, None, "rsa-pss", SHA256),
    ("p256", "1.2.840.10045.4.3.2", None, "ecdsa-der", SHA256),
    ("p384", "1.2.840.10045.4.3.3", None, "ecdsa-der", SHA384),
    ("p256", "1.2.840.10045.4.3.4", None, "ecdsa-der", SHA512),
    ("p256", BSI_ARC + ".3", None, "ecdsa-plain", SHA256),
    ("p384", BSI_ARC + ".4", None, "ecdsa-plain", SHA384),
    ("p384", BSI_ARC + ".5", None, "ecdsa-plain", SHA512),
    ("p256", BSI_ARC, SHA256, "ecdsa-plain", SHA256),
    ("p384", BSI_ARC, SHA384, "ecdsa-plain", SHA384),
]


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize(("suffix", "sign_algo", "hash_oid", "family", "digest_oid"), CASES)
def test_signature_verifies_against_certificate(
    client: FlaskClient,
    mint_token: MintToken,
    version: str,
    suffix: str,
    sign_algo: str,
    hash_oid: str | None,
    family: str,
    digest_oid: str,
) -> None:
    credential_id = f"alice-{suffix}"
    headers = {"Authorization": f"Bearer {mint_token(api_version=version)}"}
    sad = mint_token(
        scope="credential", credential_id=credential_id, num_signatures=1, api_version=version
    )
    value = digest(b"document " + sign_algo.encode(), digest_oid)
    extra = {"signAlgoParams": PSS_SHA256} if family == "rsa-pss" else {}
    body = sign_body(version, credential_id, sad, [value], sign_algo, hash_oid, **extra)
    answer = client.post(f"/csc/{version}/signatures/signHash", json=body, headers=headers)
    assert answer.status_code == 200, answer.json
    signatures = answer.json["signatures"]
    assert len(signatures) == 1
    cert = certificate(client, version, credential_id, headers)
    verify(cert, base64.b64decode(signatures[0]), value, family, digest_oid)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_batch_signatures_come_back_in_hash_order(
    client: FlaskClient, mint_token: MintToken, version: str
) -> None:
    credential_id = "alice-rsa2048-multi"
    headers = {"Authorization": f"Bearer {mint_token(api_version=version)}"}
    sad = mint_token(scope="credential", credential_id=credential_id, num_signatures=5)
    values = [digest(f"doc {i}".encode()) for i in range(5)]
    body = sign_body(version, credential_id, sad, values, "1.2.840.113549.1.1.11")
    answer = client.post(f"/csc/{version}/signatures/signHash", json=body, headers=headers)
    assert answer.status_code == 200, answer.json
    cert = certificate(client, version, credential_id, headers)
    for value, signature in zip(values, answer.json["signatures"], strict=True):
        verify(cert, base64.b64decode(signature), value, "rsa-pkcs1", SHA256)


def test_pss_with_other_parameters_verifies(client: FlaskClient, mint_token: MintToken) -> None:
    """SHA-512 / MGF1-SHA-512 / salt 20, parameters without NULL, built independently."""
    from asn1crypto import algos

    params = algos.RSASSAPSSParams(
        {
            "hash_algorithm": {"algorithm": "sha512"},
            "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha512"}},
            "salt_length": 20,
        }
    ).dump()
    headers = {"Authorization": f"Bearer {mint_token()}"}
    sad = mint_token(scope="credential", credential_id="alice-rsa2048", num_signatures=1)
    value = digest(b"pss", SHA512)
    body = sign_body(
        "v2",
        "alice-rsa2048",
        sad,
        [value],
        RSASSA_PSS,
        signAlgoParams=base64.b64encode(params).decode(),
    )
    answer = client.post("/csc/v2/signatures/signHash", json=body, headers=headers)
    assert answer.status_code == 200, answer.json
    cert = certificate(client, "v2", "alice-rsa2048", headers)
    verify(cert, base64.b64decode(answer.json["signatures"][0]), value, "rsa-pss", SHA512, 20)
