"""credentials/authorize for explicit and implicit credentials (CSC §11.6)."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from cscsandbox import tokens
from cscsandbox.config import SandboxConfig

from .conftest import mint
from .helpers import SHA256, assert_error, b64, digest, sign_body

SHA256_RSA = "1.2.840.113549.1.1.11"


def _authorize(
    client: FlaskClient, version: str, body: dict[str, Any], headers: dict[str, str]
) -> Any:
    return client.post(f"/csc/{version}/credentials/authorize", json=body, headers=headers)


def _factors(version: str, pin: str = "1234", otp: str = "123456") -> dict[str, Any]:
    if version == "v1":
        return {"PIN": pin, "OTP": otp}
    return {"authData": [{"id": "PIN", "value": pin}, {"id": "OTP", "value": otp}]}


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_explicit_sad_signs_as_many_hashes_as_authorized(
    client: FlaskClient, auth_headers: dict[str, str], version: str
) -> None:
    body = {"credentialID": "alice-explicit", "numSignatures": 2, **_factors(version)}
    answer = _authorize(client, version, body, auth_headers)
    assert answer.status_code == 200, answer.json
    assert answer.json["expiresIn"] == 300
    sad = answer.json["SAD"]
    sign = sign_body(version, "alice-explicit", sad, [digest(b"1"), digest(b"2")], SHA256_RSA)
    signed = client.post(f"/csc/{version}/signatures/signHash", json=sign, headers=auth_headers)
    assert signed.status_code == 200 and len(signed.json["signatures"]) == 2
    again = client.post(f"/csc/{version}/signatures/signHash", json=sign, headers=auth_headers)
    assert_error(again, 400, "invalid_request", "Invalid parameter SAD")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_implicit_needs_no_factors(
    client: FlaskClient, auth_headers: dict[str, str], version: str
) -> None:
    answer = _authorize(
        client, version, {"credentialID": "alice-implicit", "numSignatures": 1}, auth_headers
    )
    assert answer.status_code == 200, answer.json
    record = tokens.lookup(answer.json["SAD"])
    assert record is not None and record.kind == "sad" and record.credential_id == "alice-implicit"


def test_hashes_given_at_authorization_are_bound(
    client: FlaskClient, auth_headers: dict[str, str]
) -> None:
    bound = digest(b"bound")
    body = {
        "credentialID": "alice-implicit",
        "numSignatures": 1,
        "hashes": [b64(bound)],
        "hashAlgorithmOID": SHA256,
        "authData": [],
    }
    sad = _authorize(client, "v2", body, auth_headers).json["SAD"]
    record = tokens.lookup(sad)
    assert record is not None and record.hashes == (bound,) and record.hash_algo_oid == SHA256
    other = sign_body("v2", "alice-implicit", sad, [digest(b"other")], SHA256_RSA)
    answer = client.post("/csc/v2/signatures/signHash", json=other, headers=auth_headers)
    assert_error(answer, 400, "invalid_request", "Hash is not authorized by the SAD.")


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize(
    ("body", "status", "error", "description"),
    [
        ({"credentialID": "alice-rsa2048", "numSignatures": 1}, 400, "invalid_request", None),
        ({"credentialID": "alice-disabled", "numSignatures": 1}, 400, "invalid_request", None),
        (
            {"credentialID": "alice-implicit"},
            400,
            "invalid_request",
            "Missing (or invalid type) integer parameter numSignatures",
        ),
        (
            {"credentialID": "alice-implicit", "numSignatures": "1"},
            400,
            "invalid_request",
            "Missing (or invalid type) integer parameter numSignatures",
        ),
        (
            {"credentialID": "alice-implicit", "numSignatures": 0},
            400,
            "invalid_request",
            "Invalid value for parameter numSignatures",
        ),
        (
            {"credentialID": "alice-implicit", "numSignatures": 6},
            400,
            "invalid_request",
            "Numbers of signatures is too high",
        ),
        (
            {"numSignatures": 1},
            400,
            "invalid_request",
            "Missing (or invalid type) string parameter credentialID",
        ),
        (
            {"credentialID": "bob-implicit", "numSignatures": 1},
            400,
            "invalid_request",
            "Invalid parameter credentialID",
        ),
    ],
)
def test_authorize_errors(
    client: FlaskClient,
    auth_headers: dict[str, str],
    version: str,
    body: dict[str, Any],
    status: int,
    error: str,
    description: str | None,
) -> None:
    answer = _authorize(client, version, body, auth_headers)
    assert_error(answer, status, error, description)
    if body.get("credentialID") == "alice-disabled":
        assert answer.json["error_description"] == (
            "The credential identified by credentialID is disabled"
        )


def test_v1_wrong_pin_and_otp(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    base = {"credentialID": "alice-explicit", "numSignatures": 1}
    assert_error(
        _authorize(client, "v1", {**base, **_factors("v1", pin="0000")}, auth_headers),
        400,
        "invalid_pin",
        "The PIN is invalid",
    )
    assert_error(
        _authorize(client, "v1", {**base, **_factors("v1", otp="000000")}, auth_headers),
        400,
        "invalid_otp",
        "The OTP is invalid",
    )
    assert_error(
        _authorize(client, "v1", base, auth_headers),
        400,
        "invalid_request",
        "Missing (or invalid type) string parameter PIN",
    )


def test_v2_wrong_auth_data(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    base = {"credentialID": "alice-explicit", "numSignatures": 1}
    for data in (_factors("v2", pin="0"), {"authData": []}):
        assert_error(
            _authorize(client, "v2", {**base, **data}, auth_headers),
            400,
            "invalid_authentication_data",
            "The authentication data is invalid",
        )
    assert_error(
        _authorize(client, "v2", {**base, "authData": "x"}, auth_headers),
        400,
        "invalid_request",
        "Missing (or invalid type) array parameter authData",
    )


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_scal2_requires_hashes(
    make_client: Callable[..., FlaskClient], default_config: SandboxConfig, version: str
) -> None:
    creds = tuple(
        dataclasses.replace(c, scal="2") if c.credential_id == "alice-implicit" else c
        for c in default_config.credentials
    )
    client = make_client(config=dataclasses.replace(default_config, credentials=creds))
    headers = {"Authorization": f"Bearer {mint()}"}
    field = "hash" if version == "v1" else "hashes"
    body: dict[str, Any] = {"credentialID": "alice-implicit", "numSignatures": 1}
    assert_error(
        _authorize(client, version, body, headers),
        400,
        "invalid_request",
        f"Missing (or invalid type) array parameter {field}",
    )
    body[field] = [b64(digest(b"x"))]
    if version == "v2":
        body["hashAlgorithmOID"] = SHA256
    assert _authorize(client, version, body, headers).status_code == 200


def test_v2_hashes_need_a_hash_algorithm(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    body = {
        "credentialID": "alice-implicit",
        "numSignatures": 1,
        "hashes": [base64.b64encode(digest(b"x")).decode()],
    }
    assert_error(
        _authorize(client, "v2", body, auth_headers),
        400,
        "invalid_request",
        "Missing (or invalid type) string parameter hashAlgorithmOID",
    )
    body["hashAlgorithmOID"] = "1.2.3"
    assert_error(
        _authorize(client, "v2", body, auth_headers),
        400,
        "invalid_request",
        "Invalid parameter hashAlgorithmOID",
    )
