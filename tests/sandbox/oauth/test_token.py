"""oauth2/token (CSC1 §8.3.3; spec-notes §3.14, items 58-64)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from cscsandbox import tokens

from .flows import (
    REDIRECT,
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


def assert_error(response, status: int | tuple[int, ...], error: str) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == error and isinstance(body.get("error_description"), str)
    assert "access_token" not in body


def test_service_code_gives_bearer_access_and_refresh_token(oauth_client: FlaskClient) -> None:
    body = service_tokens(oauth_client)  # item 62
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int)
    assert body["refresh_token"]


def test_missing_grant_type_is_invalid_request(oauth_client: FlaskClient) -> None:
    response = oauth_client.post(TOKEN, data={"code": "x"}, headers=basic())  # item 58
    assert_error(response, 400, "invalid_request")


def test_password_grant_is_unsupported(oauth_client: FlaskClient) -> None:
    response = oauth_client.post(TOKEN, data={"grant_type": "password", "username": "alice",
                                              "password": "alice-password"}, headers=basic())
    assert_error(response, 400, "unsupported_grant_type")


def test_missing_code_is_invalid_request(oauth_client: FlaskClient) -> None:
    response = oauth_client.post(TOKEN, data={"grant_type": "authorization_code"},
                                 headers=basic())
    assert_error(response, 400, "invalid_request")


def test_unknown_code_is_invalid_grant(oauth_client: FlaskClient) -> None:
    assert_error(exchange(oauth_client, "not-a-code"), 400, "invalid_grant")


def test_code_is_single_use_and_reuse_revokes_the_grant(oauth_client: FlaskClient) -> None:
    code = code_for(oauth_client)
    first = exchange(oauth_client, code).get_json()
    assert_error(exchange(oauth_client, code), 400, "invalid_grant")  # item 59
    record = tokens.lookup(first["access_token"])
    assert record is not None and record.revoked


def test_code_reuse_defect(make_client: Factory) -> None:
    client = make_client(defects=["auth-code-reusable"])
    code = code_for(client)
    exchange(client, code)
    assert exchange(client, code).status_code == 200


def test_redirect_uri_must_match_the_authorize_one(oauth_client: FlaskClient) -> None:
    code = code_for(oauth_client)
    other = "http://127.0.0.1:9/callback"
    assert_error(exchange(oauth_client, code, redirect_uri=other), 400, "invalid_grant")  # 60


def test_redirect_uri_is_required_when_it_was_sent(oauth_client: FlaskClient) -> None:
    code = code_for(oauth_client)
    assert_error(exchange(oauth_client, code, redirect_uri=None), 400, "invalid_grant")


@pytest.mark.parametrize("headers", [basic(secret="wrong"), {}])
def test_bad_or_missing_client_credentials_are_refused(
        oauth_client: FlaskClient, headers: dict[str, str]) -> None:
    code = code_for(oauth_client)
    response = exchange(oauth_client, code, headers=headers)  # item 61
    assert_error(response, (400, 401), "invalid_client")


def test_client_secret_post_is_accepted(oauth_client: FlaskClient) -> None:
    code = code_for(oauth_client)
    response = exchange(oauth_client, code, headers={}, client_id="sandbox-client",
                        client_secret="sandbox-client-secret")
    assert response.status_code == 200


def test_code_is_bound_to_its_client(oauth_client: FlaskClient) -> None:
    code = code_for(oauth_client)
    response = exchange(oauth_client, code, headers=basic("other-client", "other-client-secret"))
    assert_error(response, 400, "invalid_grant")


def test_code_expires(with_oauth: Factory) -> None:
    client = with_oauth(code_lifetime=1)
    code = code_for(client)
    time.sleep(1.1)
    assert_error(exchange(client, code), 400, "invalid_grant")


def _v2_code(client: FlaskClient, pkce: Pkce) -> str:
    return code_for(client, scope="credential", credentialID="alice-rsa2048", numSignatures="1",
                    hashes=b64url(digest("t")), hashAlgorithmOID=SHA256, **pkce.params())


def test_wrong_code_verifier_is_invalid_grant(oauth_client: FlaskClient) -> None:
    code = _v2_code(oauth_client, Pkce.new())
    response = exchange(oauth_client, code, verifier=Pkce.new().verifier)  # item 64
    assert_error(response, 400, "invalid_grant")


def test_missing_code_verifier_is_invalid_request(oauth_client: FlaskClient) -> None:
    assert_error(exchange(oauth_client, _v2_code(oauth_client, Pkce.new())), 400,
                 "invalid_request")


def test_wrong_verifier_accepted_under_defect(make_client: Factory) -> None:
    client = make_client(defects=["pkce-verifier-ignored"])
    code = _v2_code(client, Pkce.new())
    assert exchange(client, code, verifier=Pkce.new().verifier).status_code == 200


def test_credential_tokens_have_no_refresh_token(oauth_client: FlaskClient) -> None:
    pkce = Pkce.new()
    body = exchange(oauth_client, _v2_code(oauth_client, pkce), verifier=pkce.verifier).get_json()
    assert "refresh_token" not in body  # item 63
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300


def test_v1_credential_token_type_is_sad_and_bearer_under_defect(make_client: Factory) -> None:
    for defects, expected in (((), "SAD"), (("v1-token-type-bearer",), "Bearer")):
        client = make_client(defects=defects)
        code = code_for(client, scope="credential", credentialID="alice-rsa2048",
                        numSignatures="1")
        assert exchange(client, code).get_json()["token_type"] == expected


def test_refresh_token_gives_a_new_access_token(oauth_client: FlaskClient) -> None:
    first = service_tokens(oauth_client)
    response = oauth_client.post(TOKEN, data={"grant_type": "refresh_token",
                                              "refresh_token": first["refresh_token"]},
                                 headers=basic())
    assert response.status_code == 200
    body = response.get_json()
    assert body["access_token"] != first["access_token"] and body["token_type"] == "Bearer"


@pytest.mark.parametrize("headers", [basic("other-client", "other-client-secret"), basic()])
def test_refresh_token_of_another_client_or_garbage_is_invalid_grant(
        oauth_client: FlaskClient, headers: dict[str, str]) -> None:
    first = service_tokens(oauth_client)
    other = headers != basic()
    token = first["refresh_token"] if other else "junk"
    response = oauth_client.post(TOKEN, data={"grant_type": "refresh_token",
                                              "refresh_token": token}, headers=headers)
    assert_error(response, 400, "invalid_grant")


def test_access_token_is_not_a_refresh_token(oauth_client: FlaskClient) -> None:
    first = service_tokens(oauth_client)
    response = oauth_client.post(TOKEN, data={"grant_type": "refresh_token",
                                              "refresh_token": first["access_token"]},
                                 headers=basic())
    assert_error(response, 400, "invalid_grant")


def test_missing_refresh_token_is_invalid_request(oauth_client: FlaskClient) -> None:
    response = oauth_client.post(TOKEN, data={"grant_type": "refresh_token"}, headers=basic())
    assert_error(response, 400, "invalid_request")


def test_token_endpoint_never_answers_500_to_odd_input(oauth_client: FlaskClient) -> None:
    for data in ("grant_type=authorization_code&code=%ff%fe", "grant_type=" + "x" * 5000,
                 "grant_type=authorization_code&code=", "grant_type=refresh_token&scope=%00"):
        response = oauth_client.post(TOKEN, data=data, headers=basic(),
                                     content_type="application/x-www-form-urlencoded")
        assert 400 <= response.status_code < 500 and response.get_json()["error"]
    assert oauth_client.post(TOKEN, data="{{", content_type="application/json").status_code < 500


def test_redirect_constant_is_registered() -> None:
    assert REDIRECT.startswith("https://")
