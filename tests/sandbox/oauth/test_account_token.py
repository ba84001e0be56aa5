"""account_token at oauth2/authorize (CSC1 §8.3.1; spec-notes §1.2, items 52-56)."""

from __future__ import annotations

import base64
import hashlib
import hmac as hmac_mod
import time
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from .flows import account_token, authorize, b64url, location_path, query

Factory = Callable[..., FlaskClient]
ACCT = "sandbox-client-acct"
ACCT_SECRET = "sandbox-client-acct-secret"


def start(client: FlaskClient, token: str | None, client_id: str = ACCT):
    return authorize(client, client_id=client_id, account_token=token, state="at")


def valid(**overrides: object) -> str:
    return account_token({"azp": ACCT, **overrides}, secret=ACCT_SECRET)


def test_valid_account_token_starts_the_login(oauth_client: FlaskClient) -> None:
    assert location_path(start(oauth_client, valid())).endswith("/login/password")


def test_required_account_token_missing_is_refused(oauth_client: FlaskClient) -> None:
    result = query(start(oauth_client, None))
    assert result["error"] == "invalid_request" and result["state"] == "at"


def test_optional_account_token_may_be_absent(oauth_client: FlaskClient) -> None:
    assert location_path(authorize(oauth_client)).endswith("/login/password")


@pytest.mark.parametrize(("token", "why"), [
    (account_token(secret="wrong-secret", azp=ACCT), "bad HMAC (item 52)"),
    (valid(iat=int(time.time()) - 3600), "iat too old (item 54)"),
    (valid(iat=int(time.time()) + 3600), "iat in the future"),
    (valid(azp="sandbox-client"), "azp differs (item 55)"),
    (valid(sub="acct-unknown"), "sub not registered"),
    (valid(jti=""), "jti missing"),
    (account_token(secret=ACCT_SECRET, azp=ACCT, alg="none"), "alg none not allowed (item 56)"),
    ("garbage", "not a JWT"),
])
def test_bad_account_tokens_are_refused(oauth_client: FlaskClient, token: str, why: str) -> None:
    result = query(start(oauth_client, token))
    assert result["error"] == "invalid_request", why


def test_hex_digest_key_is_not_the_binary_key(oauth_client: FlaskClient) -> None:
    token = valid()
    head, body, _sig = token.split(".")
    hex_key = hashlib.sha256(ACCT_SECRET.encode()).hexdigest().encode()
    wrong = b64url(hmac_mod.new(hex_key, f"{head}.{body}".encode(), hashlib.sha256).digest())
    assert query(start(oauth_client, f"{head}.{body}.{wrong}"))["error"] == "invalid_request"


def test_replayed_jti_is_refused(oauth_client: FlaskClient) -> None:
    token = valid(jti="once")
    assert start(oauth_client, token).headers["Location"].endswith("/login/password")
    assert query(start(oauth_client, token))["error"] == "invalid_request"  # item 53


def test_replayed_jti_is_accepted_under_defect(make_client: Factory) -> None:
    client = make_client(defects=["account-token-jti-replay"])
    token = valid(jti="twice")
    start(client, token)
    assert location_path(start(client, token)).endswith("/login/password")


def test_bad_signature_is_accepted_under_defect(make_client: Factory) -> None:
    client = make_client(defects=["account-token-signature-unchecked"])
    token = account_token(secret="wrong-secret", azp=ACCT)
    assert location_path(start(client, token)).endswith("/login/password")


def test_alg_none_is_accepted_for_the_configured_client(oauth_client: FlaskClient) -> None:
    token = account_token(alg="none", azp="sandbox-client-none")
    response = start(oauth_client, token, client_id="sandbox-client-none")
    assert location_path(response).endswith("/login/password")


@pytest.mark.parametrize("signature", ["c2ln", "AAAA", "x"])
def test_alg_none_with_a_signature_part_is_refused(
    oauth_client: FlaskClient, signature: str
) -> None:
    """An Unsecured JWT's third part is empty [RFC 7519 §6.1, RFC 7518 §3.6]: issue 15 item 6."""
    token = account_token(alg="none", azp="sandbox-client-none") + signature
    result = query(start(oauth_client, token, client_id="sandbox-client-none"))
    assert result["error"] == "invalid_request"
    assert "empty signature" in result["error_description"]


def test_alg_none_with_a_signature_part_is_refused_under_defect(make_client: Factory) -> None:
    client = make_client(defects=["alg-none-accepted"])
    token = account_token(alg="none", azp=ACCT) + "c2ln"
    assert query(start(client, token))["error"] == "invalid_request"


def test_alg_none_is_accepted_everywhere_under_defect(make_client: Factory) -> None:
    client = make_client(defects=["alg-none-accepted"])
    token = account_token(alg="none", azp=ACCT)
    assert location_path(start(client, token)).endswith("/login/password")


def test_other_algorithms_are_refused(oauth_client: FlaskClient) -> None:
    token = valid()
    head = base64.urlsafe_b64encode(b'{"typ":"JWT","alg":"HS512"}').rstrip(b"=").decode()
    forged = head + token[token.index("."):]
    assert query(start(oauth_client, forged))["error"] == "invalid_request"
