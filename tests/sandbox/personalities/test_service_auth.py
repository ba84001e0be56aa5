"""auth/login and auth/revoke of the ``basic-explicit`` personality (CSC1 §11.2, §11.3)."""

from __future__ import annotations

import base64

import pytest
from flask.testing import FlaskClient

from ..helpers import assert_error
from .conftest import PersonaClient

VERSIONS = ["v1", "v2"]


def basic(credentials: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(persona: PersonaClient) -> FlaskClient:
    return persona("basic-explicit")


def login(client: FlaskClient, version: str = "v1", **body: object) -> dict[str, object]:
    answer = client.post(f"/csc/{version}/auth/login", json=body,
                         headers=basic("alice:alice-password"))
    assert answer.status_code == 200, answer.json
    return dict(answer.json)


def listing(client: FlaskClient, token: str, version: str = "v1") -> int:
    return client.post(f"/csc/{version}/credentials/list", json={},
                       headers=bearer(token)).status_code


@pytest.mark.parametrize("version", VERSIONS)
def test_basic_login_gives_a_service_token_for_the_user(client: FlaskClient, version: str) -> None:
    body = login(client, version)
    assert set(body) == {"access_token", "expires_in"}  # no rememberMe: no refresh token
    assert body["expires_in"] == 3600
    answer = client.post(f"/csc/{version}/credentials/list", json={},
                         headers=bearer(str(body["access_token"])))
    assert "alice-explicit" in answer.json["credentialIDs"]
    assert "bob-explicit" not in answer.json["credentialIDs"]


def test_remember_me_gives_a_refresh_token_that_renews(client: FlaskClient) -> None:
    body = login(client, rememberMe=True)
    renewed = client.post("/csc/v1/auth/login", json={"refresh_token": body["refresh_token"]})
    assert renewed.status_code == 200
    assert renewed.json["access_token"] != body["access_token"]
    assert listing(client, renewed.json["access_token"]) == 200


@pytest.mark.parametrize(("headers", "status", "error", "description"), [
    ({}, 401, "invalid_request", "Malformed authentication parameter."),
    (bearer("abc"), 401, "invalid_request", "Malformed authentication parameter."),
    ({"Authorization": "Basic %%%"}, 400, "invalid_request", "Malformed username-password."),
    (basic("alice"), 400, "invalid_request", "Malformed username-password."),
    (basic("alice:wrong"), 400, "authentication_error",
     "An error occurred during authentication process"),
    (basic("mallory:alice-password"), 400, "authentication_error",
     "An error occurred during authentication process"),
])
def test_bad_basic_credentials_are_refused(
    client: FlaskClient, headers: dict[str, str], status: int, error: str, description: str
) -> None:
    answer = client.post("/csc/v1/auth/login", json={}, headers=headers)
    assert_error(answer, status, error, description)


@pytest.mark.parametrize(("value", "description"), [
    (42, "Invalid string parameter: refresh_token"),
    ("", "Invalid string parameter: refresh_token"),
    ("not-a-token", "Invalid refresh_token"),
])
def test_bad_refresh_tokens_are_refused(client: FlaskClient, value: object,
                                        description: str) -> None:
    answer = client.post("/csc/v1/auth/login", json={"refresh_token": value})
    assert_error(answer, 400, "invalid_request", description)


def test_an_access_token_is_no_refresh_token(client: FlaskClient) -> None:
    token = login(client)["access_token"]
    answer = client.post("/csc/v1/auth/login", json={"refresh_token": token})
    assert_error(answer, 400, "invalid_request", "Invalid refresh_token")


def test_revoking_the_access_token_ends_it_but_not_the_refresh_token(client: FlaskClient) -> None:
    body = login(client, rememberMe=True)
    token = str(body["access_token"])
    answer = client.post("/csc/v1/auth/revoke", json={"token": token}, headers=bearer(token))
    assert answer.status_code == 204 and answer.data == b""
    assert listing(client, token) == 401
    renewed = client.post("/csc/v1/auth/login", json={"refresh_token": body["refresh_token"]})
    assert renewed.status_code == 200


def test_revoking_the_refresh_token_ends_its_access_tokens(client: FlaskClient) -> None:
    body = login(client, "v2", rememberMe=True)
    token, refresh = str(body["access_token"]), str(body["refresh_token"])
    answer = client.post("/csc/v2/auth/revoke", headers=bearer(token),
                         json={"token": refresh, "token_type_hint": "refresh_token"})
    assert answer.status_code == 204
    assert listing(client, token, "v2") == 401
    again = client.post("/csc/v2/auth/login", json={"refresh_token": refresh})
    assert_error(again, 400, "invalid_request", "Invalid refresh_token")


@pytest.mark.parametrize(("body", "description"), [
    ({}, "Missing (or invalid type) string parameter token"),
    ({"token": 7}, "Missing (or invalid type) string parameter token"),
    ({"token": "x", "token_type_hint": "id_token"}, "Invalid string parameter token_type_hint"),
    ({"token": "unknown"}, "Invalid string parameter token"),
])
def test_bad_revocations_are_refused(client: FlaskClient, body: dict[str, object],
                                     description: str) -> None:
    token = str(login(client)["access_token"])
    answer = client.post("/csc/v1/auth/revoke", json=body, headers=bearer(token))
    assert_error(answer, 400, "invalid_request", description)


def test_another_users_token_cannot_be_revoked(client: FlaskClient) -> None:
    alice = str(login(client)["access_token"])
    bob = client.post("/csc/v1/auth/login", json={}, headers=basic("bob:bob-password")).json
    answer = client.post("/csc/v1/auth/revoke", json={"token": bob["access_token"]},
                         headers=bearer(alice))
    assert_error(answer, 400, "invalid_request", "Invalid string parameter token")
    assert listing(client, bob["access_token"]) == 200


def test_revoke_needs_a_bearer_token(client: FlaskClient) -> None:
    answer = client.post("/csc/v1/auth/revoke", json={"token": "x"})
    assert answer.status_code == 401


def test_auth_login_is_501_where_basic_is_not_offered(persona: PersonaClient) -> None:
    answer = persona("primesign").post("/csc/v1/auth/login", json={},
                                       headers=basic("alice:alice-password"))
    assert_error(answer, 501, "not_implemented")
