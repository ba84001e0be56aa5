"""Helpers that drive the authorization server through Flask's test client (no browser)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

ISSUER = "/realms/sandbox"
AUTHORIZE = ISSUER + "/oauth2/authorize"
TOKEN = ISSUER + "/oauth2/token"
REVOKE = ISSUER + "/oauth2/revoke"
PAR = ISSUER + "/oauth2/pushed_authorize"
CLIENT_ID = "sandbox-client"
SECRET = "sandbox-client-secret"
REDIRECT = "https://client.example/callback"
SHA256 = "2.16.840.1.101.3.4.2.1"


def basic(client_id: str = CLIENT_ID, secret: str = SECRET) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


@dataclass
class Pkce:
    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> Pkce:
        verifier = secrets.token_urlsafe(48)
        return cls(verifier, b64url(hashlib.sha256(verifier.encode()).digest()))

    def params(self) -> dict[str, str]:
        return {"code_challenge": self.challenge, "code_challenge_method": "S256"}


def query(response: TestResponse) -> dict[str, str]:
    """The query parameters of a redirect's Location."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def location_path(response: TestResponse) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return urlsplit(response.headers["Location"]).path


def authorize(client: FlaskClient, **params: Any) -> TestResponse:
    """GET authorize with defaults (code, sandbox-client, registered redirect URI)."""
    defaults = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT,
                "state": "st-" + secrets.token_hex(4)}
    merged = {k: v for k, v in {**defaults, **params}.items() if v is not None}
    return client.get(AUTHORIZE, query_string=merged)


def login(client: FlaskClient, start: TestResponse, *, username: str = "alice",
          password: str = "alice-password", consent: str | None = "approve") -> TestResponse:
    """Password + SMS code (+ consent): returns the redirect to the client."""
    assert location_path(start).endswith("/login/password")
    response = client.post(ISSUER + "/login/password",
                           data={"username": username, "password": password})
    assert location_path(response).endswith("/login/otp")
    code = client.get("/_sandbox/sms", query_string={"user": username}).get_json()["code"]
    response = client.post(ISSUER + "/login/otp", data={"code": code, "action": "verify"})
    if consent and location_path(response).endswith("/login/consent"):
        response = client.post(ISSUER + "/login/consent", data={"action": consent})
    return response


def exchange(client: FlaskClient, code: str, *, verifier: str | None = None,
             redirect_uri: str | None = REDIRECT, headers: dict[str, str] | None = None,
             **extra: str) -> TestResponse:
    data = {"grant_type": "authorization_code", "code": code, **extra}
    if redirect_uri:
        data["redirect_uri"] = redirect_uri
    if verifier:
        data["code_verifier"] = verifier
    return client.post(TOKEN, data=data, headers=basic() if headers is None else headers)


def code_for(client: FlaskClient, **params: Any) -> str:
    """Authorize + log in as alice; returns the authorization code."""
    result = query(login(client, authorize(client, **params)))
    assert "code" in result, result
    return result["code"]


def service_tokens(client: FlaskClient, **params: Any) -> dict[str, Any]:
    code = code_for(client, scope="service", **params)
    response = exchange(client, code)
    assert response.status_code == 200, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def account_token(claims: dict[str, Any] | None = None, *, secret: str = SECRET,
                  alg: str = "HS256", **overrides: Any) -> str:
    """A CSC v1 §8.3.1 account_token (HS256 with key SHA-256(secret), or alg none)."""
    import hmac

    payload = {"sub": "acct-alice", "iat": int(time.time()), "jti": secrets.token_hex(8),
               "iss": "test-app", "azp": CLIENT_ID, **(claims or {}), **overrides}
    header = b64url(json.dumps({"typ": "JWT", "alg": alg}).encode())
    body = b64url(json.dumps(payload).encode())
    if alg == "none":
        return f"{header}.{body}."
    key = hashlib.sha256(secret.encode()).digest()
    sig = hmac.new(key, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64url(sig)}"
