"""``v1-external-ec``: external service tokens, implicit credentials, EC keys, v1 only.

CSC1 §8.1 (authType external), §8.2 and §11.6 (implicit: credentials/authorize without factors).
"""

from __future__ import annotations

import base64
import os

import pytest
from flask.testing import FlaskClient

from ..helpers import SHA256, assert_error, certificate, sign_body, verify
from .conftest import PersonaClient
from .test_service_auth import bearer

ECDSA_SHA256 = "1.2.840.10045.4.3.2"


@pytest.fixture
def client(persona: PersonaClient) -> FlaskClient:
    return persona("v1-external-ec")


def external_token(client: FlaskClient, user: str = "alice", **extra: str) -> str:
    answer = client.post("/_sandbox/token", data={"user": user, **extra})
    assert answer.status_code == 200, answer.json
    assert answer.json["token_type"] == "Bearer"
    return str(answer.json["access_token"])


def test_an_external_token_acts_for_its_user(client: FlaskClient) -> None:
    answer = client.post("/csc/v1/credentials/list", json={},
                         headers=bearer(external_token(client, "bob")))
    assert answer.json["credentialIDs"] == ["bob-p256"]


def test_implicit_authorization_needs_no_factors_and_signs(client: FlaskClient) -> None:
    headers = bearer(external_token(client))
    info = client.post("/csc/v1/credentials/info", headers=headers,
                       json={"credentialID": "alice-p384", "authInfo": True}).json
    assert info["authMode"] == "implicit" and "PIN" not in info and "OTP" not in info
    assert info["key"]["curve"] == "1.3.132.0.34"
    answer = client.post("/csc/v1/credentials/authorize", headers=headers,
                         json={"credentialID": "alice-p256", "numSignatures": 1})
    assert answer.status_code == 200, answer.json
    digest = os.urandom(32)
    signed = client.post("/csc/v1/signatures/signHash", headers=headers, json=sign_body(
        "v1", "alice-p256", answer.json["SAD"], [digest], ECDSA_SHA256, SHA256))
    assert signed.status_code == 200, signed.json
    verify(certificate(client, "v1", "alice-p256", headers),
           base64.b64decode(signed.json["signatures"][0]), digest, "ecdsa", SHA256)


def test_rsa_signing_is_refused_on_an_ec_key(client: FlaskClient) -> None:
    headers = bearer(external_token(client))
    sad = client.post("/csc/v1/credentials/authorize", headers=headers,
                      json={"credentialID": "alice-p256", "numSignatures": 1}).json["SAD"]
    body = sign_body("v1", "alice-p256", sad, [os.urandom(32)], "1.2.840.113549.1.1.1", SHA256)
    answer = client.post("/csc/v1/signatures/signHash", headers=headers, json=body)
    assert_error(answer, 400, "invalid_request", "Invalid parameter signAlgo")


def test_an_expired_external_token_is_refused(client: FlaskClient) -> None:
    import time

    token = external_token(client, expires_in="1")
    time.sleep(1.1)
    answer = client.post("/csc/v1/credentials/list", json={}, headers=bearer(token))
    assert_error(answer, 401, "expired_token")


@pytest.mark.parametrize(("data", "description"), [
    ({}, "Missing or invalid parameter user or expires_in"),
    ({"user": "alice", "expires_in": "-5"}, "Missing or invalid parameter user or expires_in"),
    ({"user": "mallory"}, "unknown user 'mallory'"),
])
def test_bad_token_requests_are_refused(client: FlaskClient, data: dict[str, str],
                                        description: str) -> None:
    assert_error(client.post("/_sandbox/token", data=data), 400, "invalid_request", description)


def test_no_external_tokens_where_the_personality_does_not_accept_them(
    persona: PersonaClient
) -> None:
    answer = persona("primesign").post("/_sandbox/token", data={"user": "alice"})
    assert_error(answer, 400, "invalid_request",
                 "this personality does not accept external tokens (authType)")


def test_no_token_endpoint_without_test_endpoints(tmp_path: object) -> None:
    import uuid

    from cscsandbox import config
    from cscsandbox.app import create_app
    from cscsandbox.context import SandboxContext

    ctx = SandboxContext(config=config.load(None, "v1-external-ec"),
                         db_path=f"{tmp_path}/{uuid.uuid4().hex}.db", test_endpoints=False)
    answer = create_app(ctx).test_client().post("/_sandbox/token", data={"user": "alice"})
    assert answer.status_code == 404
