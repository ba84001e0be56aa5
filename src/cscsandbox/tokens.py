"""The shared token table: service/credential access tokens, refresh tokens and SADs.

Owned by the signing service, used by the authorization server (docs/architecture.md). Only the
SHA-256 of a token is stored, so a database dump reveals no usable token. ``lookup`` returns the
record even when it is expired or revoked: callers decide, because the CSC answers differ
("SAD expired" vs "Invalid parameter SAD"); ``is_live`` is the plain validity test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from cscsandbox import db

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS tokens (
        token_hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        scope TEXT NOT NULL,
        client_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        grant_id TEXT NOT NULL,
        api_version TEXT NOT NULL,
        credential_id TEXT,
        num_signatures INTEGER,
        hashes TEXT,
        hash_algo_oid TEXT,
        signatures_used INTEGER NOT NULL DEFAULT 0,
        issued_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0,
        transaction_id TEXT
    );
    CREATE INDEX IF NOT EXISTS tokens_grant ON tokens(grant_id);
    """
)

_COLUMNS = (
    "token_hash, kind, scope, client_id, user_id, grant_id, api_version, credential_id, "
    "num_signatures, hashes, hash_algo_oid, signatures_used, issued_at, expires_at, revoked, "
    "transaction_id"
)


@dataclass(frozen=True)
class TokenRecord:
    token_hash: str
    kind: str  # "access" | "refresh" | "sad"
    scope: str  # "service" | "credential"
    client_id: str
    user_id: str
    grant_id: str  # ties refresh + access tokens of one grant together
    api_version: str  # "v1" | "v2"
    credential_id: str | None
    num_signatures: int | None
    hashes: tuple[bytes, ...] | None  # raw digests bound at authorization (None = not bound)
    hash_algo_oid: str | None
    signatures_used: int
    issued_at: float
    expires_at: float
    revoked: bool
    transaction_id: str | None  # clientTransactionId from clientData

    def is_expired(self, now: float | None = None) -> bool:
        return (time.time() if now is None else now) >= self.expires_at

    def is_live(self, now: float | None = None) -> bool:
        """Neither revoked nor expired."""
        return not self.revoked and not self.is_expired(now)


def hash_token(raw_token: str) -> str:
    """The stored form of a token (hex SHA-256)."""
    return hashlib.sha256(raw_token.encode("utf-8", "surrogatepass")).hexdigest()


def _encode_hashes(hashes: tuple[bytes, ...] | list[bytes] | None) -> str | None:
    if hashes is None:
        return None
    return json.dumps([base64.b64encode(h).decode("ascii") for h in hashes])


def _decode_hashes(text: str | None) -> tuple[bytes, ...] | None:
    if text is None:
        return None
    return tuple(base64.b64decode(h) for h in json.loads(text))


def issue(
    *,
    kind: str,
    scope: str,
    client_id: str,
    user_id: str,
    grant_id: str,
    api_version: str,
    lifetime_s: float,
    credential_id: str | None = None,
    num_signatures: int | None = None,
    hashes: tuple[bytes, ...] | list[bytes] | None = None,
    hash_algo_oid: str | None = None,
    transaction_id: str | None = None,
) -> str:
    """Create a token and return the raw value (the only time it exists in clear)."""
    raw = secrets.token_urlsafe(32)
    now = time.time()
    with db.transaction() as conn:
        conn.execute(
            f"INSERT INTO tokens ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?,0,?)",
            (
                hash_token(raw), kind, scope, client_id, user_id, grant_id, api_version,
                credential_id, num_signatures, _encode_hashes(hashes), hash_algo_oid,
                now, now + lifetime_s, transaction_id,
            ),
        )
    return raw


_LOOKUP = f"SELECT {_COLUMNS} FROM tokens WHERE token_hash = ?"


def lookup(raw_token: str) -> TokenRecord | None:
    """The record of ``raw_token`` (also when expired or revoked), or None if unknown.

    Always read from the database (two per signHash: access token and SAD), never cached:
    another process or thread may have revoked or used up the token since.
    """
    row = db.current().execute(_LOOKUP, (hash_token(raw_token),)).fetchone()
    if row is None:
        return None
    values = list(row)
    values[9] = _decode_hashes(values[9])
    values[14] = bool(values[14])
    return TokenRecord(*values)


_CONSUME = "UPDATE tokens SET signatures_used = signatures_used + ? WHERE token_hash = ?"
_CONSUME_WITHIN_LIMIT = (
    _CONSUME + " AND (num_signatures IS NULL OR signatures_used + ? <= num_signatures)"
)


def consume_signatures(raw_token: str, count: int, *, enforce_limit: bool = True) -> bool:
    """Atomically add ``count`` used signatures; False if that would pass ``num_signatures``.

    ``enforce_limit=False`` (an extension used only by deliberate defects) counts regardless.
    """
    token_hash = hash_token(raw_token)
    with db.transaction() as conn:
        if enforce_limit:
            cur = conn.execute(_CONSUME_WITHIN_LIMIT, (count, token_hash, count))
        else:
            cur = conn.execute(_CONSUME, (count, token_hash))
    return cur.rowcount == 1


def revoke(raw_token: str) -> TokenRecord | None:
    """Mark one token revoked; returns its record (as before revocation) or None if unknown."""
    record = lookup(raw_token)
    if record is not None:
        with db.transaction() as conn:
            conn.execute("UPDATE tokens SET revoked = 1 WHERE token_hash = ?", (record.token_hash,))
    return record


def revoke_grant(grant_id: str) -> int:
    """Revoke every token of a grant (refresh-token revocation cascade); returns how many."""
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE tokens SET revoked = 1 WHERE grant_id = ? AND revoked = 0", (grant_id,)
        )
    return cur.rowcount
