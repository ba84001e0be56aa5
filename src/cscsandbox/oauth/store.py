"""SQLite state of the AS: authorization codes and pushed authorization requests.

Codes and request URIs are stored as SHA-256 hashes only, so a database dump reveals neither.
Both are single use; the consume step is one atomic UPDATE so concurrent redemptions in several
processes cannot both win.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin

from cscsandbox import db, tokens

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS oauth_codes (
        code_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        redirect_uri TEXT,
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        grant_id TEXT NOT NULL,
        code_challenge TEXT,
        code_challenge_method TEXT,
        grant TEXT NOT NULL,
        expires_at REAL NOT NULL,
        used INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS oauth_par (
        uri_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        params TEXT NOT NULL,
        expires_at REAL NOT NULL,
        used INTEGER NOT NULL DEFAULT 0
    );
    """
)

PAR_URN_PREFIX = "urn:ietf:params:oauth:request_uri:"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class AuthorizationCode(AuthorizationCodeMixin):
    """A redeemed code; ``grant`` holds what the tokens must carry (JSON-safe dict)."""

    client_id: str
    redirect_uri: str | None
    scope: str
    user_id: str
    grant_id: str
    code_challenge: str | None
    code_challenge_method: str | None
    grant: dict[str, Any]

    def get_redirect_uri(self) -> str | None:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


def save_code(code: str, record: AuthorizationCode, lifetime_s: int) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, scope, user_id,"
            " grant_id, code_challenge, code_challenge_method, grant, expires_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                _digest(code), record.client_id, record.redirect_uri, record.scope, record.user_id,
                record.grant_id, record.code_challenge, record.code_challenge_method,
                json.dumps(record.grant), time.time() + lifetime_s,
            ),
        )


def consume_code(code: str, client_id: str | None, *,
                 single_use: bool) -> AuthorizationCode | None:
    """The code's record if it is live and was issued to ``client_id`` (``None``: to any
    client, only for the ``code-not-bound-to-client`` defect); marks it used.

    A second redemption returns None and revokes what the first one issued [RFC 6749 §4.1.2].
    """
    conn = db.current()
    row = conn.execute(
        "SELECT client_id, redirect_uri, scope, user_id, grant_id, code_challenge,"
        " code_challenge_method, grant, expires_at, used FROM oauth_codes WHERE code_hash = ?",
        (_digest(code),),
    ).fetchone()
    if row is None or client_id not in (None, row[0]) or row[8] < time.time():
        return None
    record = AuthorizationCode(*row[:7], json.loads(row[7]))
    if single_use:
        with db.transaction() as tx:
            cur = tx.execute(
                "UPDATE oauth_codes SET used = 1 WHERE code_hash = ? AND used = 0", (_digest(code),)
            )
        if cur.rowcount != 1:
            tokens.revoke_grant(record.grant_id)
            return None
    return record


def push_request(client_id: str, params: dict[str, str], lifetime_s: int) -> str:
    """Store a pushed request; returns its ``request_uri`` [RFC 9126 §2.2]."""
    request_uri = PAR_URN_PREFIX + secrets.token_urlsafe(24)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO oauth_par (uri_hash, client_id, params, expires_at) VALUES (?,?,?,?)",
            (_digest(request_uri), client_id, json.dumps(params), time.time() + lifetime_s),
        )
    return request_uri


@dataclass(frozen=True)
class PushedRequest:
    client_id: str
    params: dict[str, str]
    expired: bool
    used: bool


def find_pushed(request_uri: str) -> PushedRequest | None:
    row = db.current().execute(
        "SELECT client_id, params, expires_at, used FROM oauth_par WHERE uri_hash = ?",
        (_digest(request_uri),),
    ).fetchone()
    if row is None:
        return None
    return PushedRequest(row[0], json.loads(row[1]), row[2] < time.time(), bool(row[3]))


def mark_pushed_used(request_uri: str) -> bool:
    """Atomically mark the request_uri used; False if another request won."""
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE oauth_par SET used = 1 WHERE uri_hash = ? AND used = 0",
            (_digest(request_uri),),
        )
    return cur.rowcount == 1
