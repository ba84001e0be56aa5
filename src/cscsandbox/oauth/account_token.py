"""CSC v1 §8.3.1 ``account_token``: an HS256 JWT keyed with SHA-256(client secret).

Checked at ``oauth2/authorize`` (and when a request is pushed): signature, ``sub`` a registered
account of the client, ``iat`` within the configured lifetime, ``jti`` never seen before (kept in
SQLite so several processes agree), ``azp`` equal to ``client_id``. ``alg: none`` passes only for a
client configured to allow it (a PrimeSign test-system convenience, never CSC conformance), and
only with the empty signature part an Unsecured JWT has [RFC 7519 §6.1, RFC 7518 §3.6].
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sqlite3
import time
from typing import Any

from authlib.oauth2.rfc6749.errors import InvalidRequestError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from cscsandbox import db, defects
from cscsandbox.config import ClientConfig

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS oauth_account_token_jti (
        client_id TEXT NOT NULL,
        jti TEXT NOT NULL,
        expires_at REAL NOT NULL,
        PRIMARY KEY (client_id, jti)
    );
    """
)

#: Clock skew tolerated for ``iat`` in the future.
_SKEW_S = 60


def _refuse(reason: str) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid parameter account_token: {reason}")


def _segment(text: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError):
        raise _refuse("not a JWT") from None
    if not isinstance(value, dict):
        raise _refuse("not a JWT")
    return value


def _claims(token: str, client: ClientConfig) -> dict[str, Any]:
    """Verify the signature (or the allowed ``none``) and return the claims."""
    parts = token.split(".")
    if len(parts) != 3:
        raise _refuse("not a JWT")
    header = _segment(parts[0])
    if header.get("alg") == "none":
        if not (client.account_token_alg_none or defects.active("alg-none-accepted")):
            raise _refuse("alg none is not allowed for this client")
        if parts[2]:  # an Unsecured JWS has an empty signature [RFC 7519 §6.1, RFC 7518 §3.6]
            raise _refuse("an alg none token must have an empty signature")
        return _segment(parts[1])
    if header.get("alg") != "HS256":
        raise _refuse("alg must be HS256")
    if defects.active("account-token-signature-unchecked"):
        return _segment(parts[1])
    key = OctKey.import_key(hashlib.sha256((client.secret or "").encode()).digest())
    try:
        return dict(jwt.decode(token, key, algorithms=["HS256"]).claims)
    except (JoseError, ValueError):
        raise _refuse("signature does not verify") from None


def _check_claims(claims: dict[str, Any], client: ClientConfig, lifetime_s: int) -> str:
    sub, iat, jti = claims.get("sub"), claims.get("iat"), claims.get("jti")
    if not isinstance(sub, str) or sub not in client.accounts:
        raise _refuse("sub is not a registered account")
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        raise _refuse("iat missing")
    now = time.time()
    if iat > now + _SKEW_S or iat < now - lifetime_s:
        raise _refuse("iat outside the accepted lifetime")
    if not isinstance(jti, str) or not jti:
        raise _refuse("jti missing")
    if claims.get("azp") != client.client_id:
        raise _refuse("azp does not match client_id")
    if "iss" in claims and not isinstance(claims["iss"], str):
        raise _refuse("iss must be a string")
    return jti


def _remember_jti(client_id: str, jti: str, lifetime_s: int) -> None:
    """Record the jti; a second use is a replay [CSC1 §8.3.1]."""
    if defects.active("account-token-jti-replay"):
        return
    now = time.time()
    try:
        with db.transaction() as conn:
            conn.execute("DELETE FROM oauth_account_token_jti WHERE expires_at < ?", (now,))
            conn.execute(
                "INSERT INTO oauth_account_token_jti (client_id, jti, expires_at) VALUES (?,?,?)",
                (client_id, jti, now + lifetime_s + _SKEW_S),
            )
    except sqlite3.IntegrityError:
        raise _refuse("jti was already used") from None


def verify(token: str | None, client: ClientConfig, lifetime_s: int) -> str | None:
    """Check the token of an authorize request; returns the account (``sub``) or None."""
    if not token:
        if client.account_token_required:
            raise InvalidRequestError("Missing parameter account_token")
        return None
    claims = _claims(token, client)
    jti = _check_claims(claims, client, lifetime_s)
    _remember_jti(client.client_id, jti, lifetime_s)
    return str(claims["sub"])
