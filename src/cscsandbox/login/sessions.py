"""Login state between the pages, in SQLite (several processes), keyed by an opaque cookie.

Only the SHA-256 of the cookie value and of the one-time code are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from cscsandbox import db

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS login_sessions (
        sid_hash TEXT PRIMARY KEY,
        pending TEXT NOT NULL,
        user_id TEXT,
        stage TEXT NOT NULL,
        password_attempts INTEGER NOT NULL DEFAULT 0,
        otp_attempts INTEGER NOT NULL DEFAULT 0,
        otp_hash TEXT,
        expires_at REAL NOT NULL
    );
    """
)

COOKIE = "cscsandbox_login"
#: The whole host, so the automation SMS endpoint can tell which login asks for its code
#: (parallel test workers log the same identity in at the same time).
COOKIE_PATH = "/"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class LoginSession:
    sid: str
    pending: dict[str, Any]
    user_id: str | None
    stage: str  # "login" | "otp" | "consent"
    password_attempts: int
    otp_attempts: int
    otp_hash: str | None

    def otp_matches(self, code: str) -> bool:
        return self.otp_hash is not None and hmac.compare_digest(self.otp_hash, digest(code))


def create(pending: dict[str, Any], lifetime_s: int) -> str:
    sid = secrets.token_urlsafe(32)
    with db.transaction() as conn:
        conn.execute("DELETE FROM login_sessions WHERE expires_at < ?", (time.time(),))
        conn.execute(
            "INSERT INTO login_sessions (sid_hash, pending, stage, expires_at) VALUES (?,?,?,?)",
            (digest(sid), json.dumps(pending), "login", time.time() + lifetime_s),
        )
    return sid


def load(sid: str | None) -> LoginSession | None:
    if not sid:
        return None
    row = db.current().execute(
        "SELECT pending, user_id, stage, password_attempts, otp_attempts, otp_hash, expires_at"
        " FROM login_sessions WHERE sid_hash = ?", (digest(sid),),
    ).fetchone()
    if row is None or row[6] < time.time():
        return None
    return LoginSession(sid, json.loads(row[0]), row[1], row[2], row[3], row[4], row[5])


def count_failure(sid: str, column: str) -> int:
    """Add one failed attempt (``password_attempts`` or ``otp_attempts``); returns the total."""
    if column not in ("password_attempts", "otp_attempts"):
        raise ValueError(column)
    with db.transaction() as conn:
        conn.execute(
            f"UPDATE login_sessions SET {column} = {column} + 1 WHERE sid_hash = ?", (digest(sid),)
        )
        row = conn.execute(
            f"SELECT {column} FROM login_sessions WHERE sid_hash = ?", (digest(sid),)
        ).fetchone()
    return int(row[0]) if row else 0


def advance(sid: str, stage: str, user_id: str, otp: str | None = None) -> None:
    """Move to the next page; a new one-time code resets the code attempts."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE login_sessions SET stage = ?, user_id = ?, otp_hash = ?, otp_attempts = 0"
            " WHERE sid_hash = ?",
            (stage, user_id, digest(otp) if otp else None, digest(sid)),
        )


def finish(sid: str) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM login_sessions WHERE sid_hash = ?", (digest(sid),))
