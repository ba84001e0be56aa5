"""signHash error table (spec-notes §3.9): exact status, code and description per case."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from .conftest import MintToken
from .helpers import (
    RSA_ENCRYPTION,
    RSASSA_PSS,
    SHA256,
    assert_error,
    b64,
    digest,
    hash_algo_field,
    hash_field,
    sign_body,
)

SHA256_RSA = "1.2.840.113549.1.1.11"
VERSIONS = ["v1", "v2"]


def _post(client: FlaskClient, version: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"/csc/{version}/signatures/signHash", json=body, headers=headers)


@pytest.fixture
def setup(client: FlaskClient, mint_token: MintToken) -> tuple[dict[str, str], str]:
    headers = {"Authorization": f"Bearer {mint_token()}"}
    sad = mint_token(scope="credential", credential_id="alice-rsa2048", num_signatures=1)
    return headers, sad


def _good(version: str, sad: str) -> dict[str, Any]:
    return sign_body(version, "alice-rsa2048", sad, [digest(b"x")], SHA256_RSA)


def _without(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != name}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("mutate", "description"),
    [
        (
            lambda v, b: _without(b, "credentialID"),
            "Missing (or invalid type) string parameter credentialID",
        ),
        (
            lambda v, b: {**b, "credentialID": 7},
            "Missing (or invalid type) string parameter credentialID",
        ),
        (lambda v, b: {**b, "credentialID": "nope"}, "Invalid parameter credentialID"),
        (lambda v, b: {**b, "credentialID": "bob-rsa2048"}, "Invalid parameter credentialID"),
        (lambda v, b: {**b, "SAD": 5}, "Missing (or invalid type) string parameter SAD"),
        (lambda v, b: {**b, "SAD": "garbage"}, "Invalid parameter SAD"),
        (lambda v, b: _without(b, hash_field(v)), None),
        (lambda v, b: {**b, hash_field(v): "abc"}, None),
        (lambda v, b: {**b, hash_field(v): []}, "Empty hash array"),
        (lambda v, b: {**b, hash_field(v): ["!!"]}, "Invalid Base64 hash string parameter"),
        (lambda v, b: {**b, hash_field(v): [3]}, "Invalid Base64 hash string parameter"),
        (lambda v, b: {**b, hash_field(v): [b64(b"\x01" * 31)]}, "Invalid digest value length"),
        (
            lambda v, b: _without(b, "signAlgo"),
            "Missing (or invalid type) string parameter signAlgo",
        ),
        (lambda v, b: {**b, "signAlgo": "1.2.3"}, "Invalid parameter signAlgo"),
        (lambda v, b: {**b, "signAlgo": "1.2.840.10045.4.3.2"}, "Invalid parameter signAlgo"),
        (lambda v, b: {**b, "signAlgo": RSA_ENCRYPTION}, None),
        (lambda v, b: {**b, "signAlgo": RSA_ENCRYPTION, hash_algo_field(v): "1.3.14.3.2.26"}, None),
        (
            lambda v, b: {**b, "signAlgo": RSASSA_PSS},
            "Missing (or invalid type) string parameter signAlgoParams",
        ),
        (
            lambda v, b: {**b, "signAlgo": RSASSA_PSS, "signAlgoParams": b64(b"\x30\x00\x01")},
            "Invalid parameter signAlgoParams",
        ),
        (lambda v, b: {**b, "clientData": 5}, "Invalid parameter clientData"),
    ],
)
def test_bad_request_is_a_400_invalid_request(
    client: FlaskClient,
    setup: tuple[dict[str, str], str],
    version: str,
    mutate: Any,
    description: str | None,
) -> None:
    headers, sad = setup
    body = mutate(version, _good(version, sad))
    if description is None:  # version-dependent field names
        description = _expected_for(version, body)
    assert_error(_post(client, version, body, headers), 400, "invalid_request", description)


def _expected_for(version: str, body: dict[str, Any]) -> str:
    field = hash_field(version)
    if not isinstance(body.get(field), list):
        return f"Missing (or invalid type) array parameter {field}"
    if hash_algo_field(version) in body:
        return f"Invalid parameter {hash_algo_field(version)}"
    return f"Missing (or invalid type) string parameter {hash_algo_field(version)}"


def test_v1_missing_sad(client: FlaskClient, setup: tuple[dict[str, str], str]) -> None:
    headers, sad = setup
    body = _without(_good("v1", sad), "SAD")
    assert_error(
        _post(client, "v1", body, headers),
        400,
        "invalid_request",
        "Missing (or invalid type) string parameter SAD",
    )


def test_v2_missing_sad_with_service_token(
    client: FlaskClient, setup: tuple[dict[str, str], str]
) -> None:
    headers, sad = setup
    body = _without(_good("v2", sad), "SAD")
    assert_error(
        _post(client, "v2", body, headers),
        400,
        "invalid_request",
        "Missing (or invalid type) string parameter SAD",
    )


@pytest.mark.parametrize("mode", ["A", "X", 1])
def test_v2_operation_mode_other_than_synchronous(
    client: FlaskClient, setup: tuple[dict[str, str], str], mode: object
) -> None:
    headers, sad = setup
    body = {**_good("v2", sad), "operationMode": mode}
    assert_error(
        _post(client, "v2", body, headers),
        400,
        "invalid_request",
        "Invalid parameter operationMode",
    )


@pytest.mark.parametrize(
    ("suffix", "description"),
    [
        ("disabled", "The credential identified by credentialID is disabled"),
        ("expired", "is expired."),
        ("revoked", "is revoked."),
    ],
)
def test_unusable_credentials_refuse_to_sign(
    client: FlaskClient, mint_token: MintToken, suffix: str, description: str
) -> None:
    credential_id = f"alice-{suffix}"
    headers = {"Authorization": f"Bearer {mint_token()}"}
    sad = mint_token(scope="credential", credential_id=credential_id, num_signatures=1)
    body = sign_body("v2", credential_id, sad, [digest(b"x")], SHA256_RSA)
    answer = _post(client, "v2", body, headers)
    assert_error(answer, 400, "invalid_request")
    assert answer.json["error_description"].endswith(description)
    if suffix != "disabled":
        assert answer.json["error_description"].startswith("Signing certificate '")


def test_rsa_encryption_with_sha256_hash_oid_is_accepted(
    client: FlaskClient, setup: tuple[dict[str, str], str]
) -> None:
    headers, sad = setup
    body = {**_good("v1", sad), "signAlgo": RSA_ENCRYPTION, "hashAlgo": SHA256}
    assert _post(client, "v1", body, headers).status_code == 200
