"""oauth2/revoke (RFC 7009, CSC1 §8.3.4; spec-notes §3.15, items 96-102)."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from cscsandbox import tokens

from .flows import (
    REVOKE,
    SHA256,
    TOKEN,
    Pkce,
    b64url,
    basic,
    code_for,
    digest,
    exchange,
    service_tokens,
)

Factory = Callable[..., FlaskClient]
SHA256_WITH_RSA = "1.2.840.113549.1.1.11"


def revoke(client: FlaskClient, token: str, headers: dict[str, str] | None = None,
           **extra: str):
    return client.post(REVOKE, data={"token": token, **extra},
                       headers=basic() if headers is None else headers)


def credentials_list(client: FlaskClient, access_token: str) -> int:
    response = client.post("/csc/v2/credentials/list", json={},
                           headers={"Authorization": f"Bearer {access_token}"})
    return response.status_code


def refresh(client: FlaskClient, refresh_token: str) -> int:
    return client.post(TOKEN, data={"grant_type": "refresh_token",
                                     "refresh_token": refresh_token}, headers=basic()).status_code


def test_revoking_an_access_token_stops_it_but_not_the_refresh_token(
        oauth_client: FlaskClient) -> None:
    body = service_tokens(oauth_client)
    assert credentials_list(oauth_client, body["access_token"]) == 200
    response = revoke(oauth_client, body["access_token"], token_type_hint="access_token")
    assert response.status_code == 200  # item 96 (RFC 7009 default)
    assert credentials_list(oauth_client, body["access_token"]) == 401
    assert refresh(oauth_client, body["refresh_token"]) == 200  # item 98


def test_success_status_knob_204(with_oauth: Factory) -> None:
    client = with_oauth(revoke_success_status=204)
    response = revoke(client, service_tokens(client)["access_token"])
    assert response.status_code == 204 and response.get_data() == b""


def test_revoking_a_refresh_token_cascades_to_the_grant(oauth_client: FlaskClient) -> None:
    body = service_tokens(oauth_client)
    assert revoke(oauth_client, body["refresh_token"]).status_code == 200
    assert credentials_list(oauth_client, body["access_token"]) == 401  # item 97
    assert refresh(oauth_client, body["refresh_token"]) == 400


def test_cascade_is_missing_under_defect(make_client: Factory) -> None:
    client = make_client(defects=["refresh-revocation-not-cascading"])
    body = service_tokens(client)
    revoke(client, body["refresh_token"])
    assert credentials_list(client, body["access_token"]) == 200


def test_unknown_token_is_success_per_rfc(oauth_client: FlaskClient) -> None:
    assert revoke(oauth_client, "unknown-token").status_code == 200  # item 99


def test_unknown_token_knob_gives_the_csc_error(with_oauth: Factory) -> None:
    response = revoke(with_oauth(revoke_unknown_token="error"), "unknown-token")
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_bogus_token_type_hint_is_ignored(oauth_client: FlaskClient) -> None:
    body = service_tokens(oauth_client)
    response = revoke(oauth_client, body["access_token"], token_type_hint="bogus")  # item 100
    assert response.status_code == 200
    assert credentials_list(oauth_client, body["access_token"]) == 401


def test_missing_token_is_invalid_request(oauth_client: FlaskClient) -> None:
    response = oauth_client.post(REVOKE, data={}, headers=basic())
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_request"
    assert response.get_json()["error_description"]


@pytest.mark.parametrize("headers", [basic(secret="wrong"), {}, {"Authorization": "Basic !!"}])
def test_wrong_client_credentials_are_invalid_client(
        oauth_client: FlaskClient, headers: dict[str, str]) -> None:
    body = service_tokens(oauth_client)
    response = revoke(oauth_client, body["access_token"], headers=headers)  # item 101
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"
    assert credentials_list(oauth_client, body["access_token"]) == 200


def test_client_secret_post_works_for_revoke(oauth_client: FlaskClient) -> None:
    body = service_tokens(oauth_client)
    response = revoke(oauth_client, body["access_token"], headers={},
                      client_id="sandbox-client", client_secret="sandbox-client-secret")
    assert response.status_code == 200


def test_token_of_another_client_is_not_revoked(oauth_client: FlaskClient) -> None:
    body = service_tokens(oauth_client)
    response = revoke(oauth_client, body["access_token"],
                      headers=basic("other-client", "other-client-secret"))
    assert response.status_code == 400
    assert credentials_list(oauth_client, body["access_token"]) == 200


def _sign(client: FlaskClient, service: str, sad: str, data: bytes) -> int:
    body = {"credentialID": "alice-rsa2048", "SAD": sad, "hashes": [
        base64.b64encode(data).decode()], "hashAlgorithmOID": SHA256,
        "signAlgo": SHA256_WITH_RSA}
    response = client.post("/csc/v2/signatures/signHash", json=body,
                           headers={"Authorization": f"Bearer {service}"})
    return response.status_code


def _credential_token(client: FlaskClient) -> str:
    pkce = Pkce.new()
    code = code_for(client, scope="credential", credentialID="alice-rsa2048", numSignatures="1",
                    hashes=b64url(digest("r")), hashAlgorithmOID=SHA256, **pkce.params())
    token: str = exchange(client, code, verifier=pkce.verifier).get_json()["access_token"]
    return token


def test_credential_token_revoked_before_use_cannot_sign(oauth_client: FlaskClient) -> None:
    service = service_tokens(oauth_client)["access_token"]
    sad = _credential_token(oauth_client)
    assert revoke(oauth_client, sad).status_code == 200
    record = tokens.lookup(sad)
    assert record is not None and record.revoked
    assert _sign(oauth_client, service, sad, digest("r")) == 400  # item 102


def test_unrevoked_credential_token_signs(oauth_client: FlaskClient) -> None:
    service = service_tokens(oauth_client)["access_token"]
    assert _sign(oauth_client, service, _credential_token(oauth_client), digest("r")) == 200
