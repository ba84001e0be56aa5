"""``oauth2client``: the client-credentials grant gives service tokens [RFC 6749 §4.4]."""

from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient

from ..helpers import RSA_ENCRYPTION, SHA256, assert_error, sign_body
from ..oauth.flows import TOKEN, authorize, basic, exchange, login, query
from .conftest import PersonaClient
from .test_service_auth import bearer


@pytest.fixture
def client(persona: PersonaClient) -> FlaskClient:
    return persona("oauth2client")


def grant(client: FlaskClient, client_id: str = "sandbox-client", secret: str | None = None,
          **form: str) -> object:
    return client.post(TOKEN, data={"grant_type": "client_credentials", **form},
                       headers=basic(client_id, secret or f"{client_id}-secret"))


@pytest.mark.parametrize(("client_id", "user_credential"), [
    ("sandbox-client", "alice-rsa2048"), ("other-client", "bob-rsa2048"),
])
def test_the_token_acts_for_the_client_s_service_user(
    client: FlaskClient, client_id: str, user_credential: str
) -> None:
    answer = grant(client, client_id)
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert "refresh_token" not in body  # RFC 6749 §4.4.3
    listed = client.post("/csc/v2/credentials/list", json={},
                         headers=bearer(body["access_token"])).json["credentialIDs"]
    assert user_credential in listed and len({c.split("-")[0] for c in listed}) == 1


def test_client_secret_post_works_too(client: FlaskClient) -> None:
    answer = client.post(TOKEN, data={"grant_type": "client_credentials",
                                      "client_id": "sandbox-client",
                                      "client_secret": "sandbox-client-secret",
                                      "scope": "service"})
    assert answer.status_code == 200, answer.json


@pytest.mark.parametrize(("kwargs", "status", "error"), [
    ({"secret": "wrong"}, 401, "invalid_client"),
    ({"client_id": "unmapped-client"}, 400, "unauthorized_client"),
    ({"scope": "credential"}, 400, "invalid_scope"),
])
def test_refusals(client: FlaskClient, kwargs: dict[str, str], status: int, error: str) -> None:
    assert_error(grant(client, **kwargs), status, error)  # type: ignore[arg-type]


def test_the_code_grant_for_scope_service_is_not_offered(client: FlaskClient) -> None:
    result = query(authorize(client, scope="service"))
    assert result["error"] == "invalid_scope"


def test_metadata_names_the_offered_grants(client: FlaskClient) -> None:
    meta = client.get("/.well-known/oauth-authorization-server/realms/sandbox").json
    assert meta["grant_types_supported"] == ["authorization_code", "client_credentials"]


def test_the_default_personality_has_no_client_credentials_grant(persona: PersonaClient) -> None:
    client = persona("primesign")
    assert_error(grant(client), 400, "unsupported_grant_type")
    meta = client.get("/.well-known/oauth-authorization-server/realms/sandbox").json
    assert meta["grant_types_supported"] == ["authorization_code", "refresh_token"]


def _sad(client: FlaskClient, username: str) -> str:
    start = authorize(client, scope="credential", credentialID="alice-rsa2048", numSignatures="1")
    result = query(login(client, start, username=username, password=f"{username}-password"))
    if "code" not in result:
        return ""
    return str(exchange(client, result["code"]).json["access_token"])


def test_an_oauth2code_sad_signs_for_the_service_user(client: FlaskClient) -> None:
    service = bearer(grant(client).json["access_token"])
    sad = _sad(client, "alice")
    body = sign_body("v1", "alice-rsa2048", sad, [os.urandom(32)], RSA_ENCRYPTION, SHA256)
    answer = client.post("/csc/v1/signatures/signHash", json=body, headers=service)
    assert answer.status_code == 200, answer.json


def test_another_signer_cannot_authorize_the_service_user_s_credential(
    client: FlaskClient
) -> None:
    """bob logging in for alice's credential is refused (access_denied at the consent)."""
    assert _sad(client, "bob") == ""
