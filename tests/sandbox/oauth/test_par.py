"""oauth2/pushed_authorize (RFC 9126; spec-notes §3.13, §6, §10 items 65-72)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from .flows import (
    AUTHORIZE,
    CLIENT_ID,
    PAR,
    REDIRECT,
    SHA256,
    Pkce,
    b64url,
    basic,
    digest,
    exchange,
    login,
    query,
)

Factory = Callable[..., FlaskClient]


def push(client: FlaskClient, headers: dict[str, str] | None = None, **params: str):
    data = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT,
            "scope": "service", "state": "par-state", **Pkce.new().params(), **params}
    return client.post(PAR, data=data, headers=basic() if headers is None else headers)


def use(client: FlaskClient, request_uri: str, client_id: str = CLIENT_ID):
    return client.get(AUTHORIZE, query_string={"client_id": client_id, "request_uri": request_uri})


def test_push_answers_201_with_urn_request_uri_and_expires_in(oauth_client: FlaskClient) -> None:
    response = push(oauth_client)  # items 65, 72
    assert response.status_code == 201
    body = response.get_json()
    assert body["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")
    assert isinstance(body["expires_in"], int) and body["expires_in"] > 0
    assert "no-store" in response.headers["Cache-Control"]


def test_push_with_client_secret_post_works(oauth_client: FlaskClient) -> None:
    response = push(oauth_client, headers={}, client_secret="sandbox-client-secret")
    assert response.status_code == 201


@pytest.mark.parametrize("headers", [{}, basic(secret="wrong")])
def test_push_without_valid_client_authentication_is_refused(
        oauth_client: FlaskClient, headers: dict[str, str]) -> None:
    response = push(oauth_client, headers=headers)  # item 66
    assert response.status_code in (400, 401)
    assert response.get_json()["error"] == "invalid_client"


def test_push_without_client_auth_is_accepted_only_under_defect(make_client: Factory) -> None:
    assert push(make_client(defects=["par-without-client-auth"]), headers={}).status_code == 201


def test_push_containing_request_uri_is_invalid_request(oauth_client: FlaskClient) -> None:
    response = push(oauth_client, request_uri="urn:ietf:params:oauth:request_uri:x")  # item 67
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_get_on_par_endpoint_is_405(oauth_client: FlaskClient) -> None:
    response = oauth_client.get(PAR)  # item 68
    assert response.status_code == 405
    assert response.get_json()["error"]


@pytest.mark.parametrize(("params", "error"), [
    ({"redirect_uri": "https://evil.example/cb"}, "invalid_request"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"scope": "foo"}, "invalid_scope"),
    ({"code_challenge": ""}, "invalid_request"),
    ({"client_id": "other-client"}, "invalid_request"),
])
def test_push_is_validated_like_an_authorize_request(
        oauth_client: FlaskClient, params: dict[str, str], error: str) -> None:
    response = push(oauth_client, **params)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == error and body["error_description"]


def test_request_uri_works_once(oauth_client: FlaskClient) -> None:
    request_uri = push(oauth_client).get_json()["request_uri"]
    result = query(login(oauth_client, use(oauth_client, request_uri)))  # item 69
    assert result["code"] and result["state"] == "par-state"
    second = use(oauth_client, request_uri)
    assert second.status_code == 400 and "Location" not in second.headers


def test_reusable_request_uri_defect(make_client: Factory) -> None:
    client = make_client(defects=["par-request-uri-reusable"])
    request_uri = push(client).get_json()["request_uri"]
    use(client, request_uri)
    assert use(client, request_uri).status_code == 302


def test_expired_request_uri_is_refused(with_oauth: Factory) -> None:
    client = with_oauth(par_expires_in=1)
    request_uri = push(client).get_json()["request_uri"]
    time.sleep(1.1)
    assert use(client, request_uri).status_code == 400  # item 70


def test_expired_request_uri_is_accepted_under_defect(with_oauth: Factory) -> None:
    client = with_oauth(defects=["par-expiry-ignored"], par_expires_in=1)
    request_uri = push(client).get_json()["request_uri"]
    time.sleep(1.1)
    assert use(client, request_uri).status_code == 302


def test_request_uri_of_another_client_is_refused(oauth_client: FlaskClient) -> None:
    request_uri = push(oauth_client).get_json()["request_uri"]
    assert use(oauth_client, request_uri, client_id="other-client").status_code == 400  # 71
    assert use(oauth_client, request_uri).status_code == 302  # still unused


def test_unknown_request_uri_is_refused(oauth_client: FlaskClient) -> None:
    assert use(oauth_client, "urn:ietf:params:oauth:request_uri:nothing").status_code == 400


def test_pushed_credential_request_is_v2_with_pkce(oauth_client: FlaskClient) -> None:
    pkce = Pkce.new()
    response = push(oauth_client, scope="credential", credentialID="alice-rsa2048",
                    numSignatures="1", hashes=b64url(digest("p")), hashAlgorithmOID=SHA256,
                    **pkce.params())
    request_uri = response.get_json()["request_uri"]
    code = query(login(oauth_client, use(oauth_client, request_uri)))["code"]
    body = exchange(oauth_client, code, verifier=pkce.verifier).get_json()
    assert body["token_type"] == "Bearer"
