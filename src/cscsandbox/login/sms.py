"""The sandbox's SMS outbox: the last one-time code "sent" to each user.

The outbox is the one deliberate place where a one-time code is readable (for automation, via
``GET /_sandbox/sms``); switch it off with ``[oauth] sms_outbox = false``.
"""

from __future__ import annotations

import secrets
import time

from cscsandbox import db
from cscsandbox.login.sessions import digest

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS sms_outbox (
        username TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        sent_at REAL NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sms_by_login (
        sid_hash TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        sent_at REAL NOT NULL
    );
    """
)



def new_code() -> str:
    """A 6-digit one-time code."""
    return f"{secrets.randbelow(1_000_000):06d}"


def send(username: str, code: str, *, outbox: bool, login_sid: str | None = None) -> None:
    """Deliver ``code``: into the outbox when enabled, otherwise nowhere (as a real SMS).

    The outbox remembers the login session the code belongs to as well, so automation can read
    the code of *its* login while other logins of the same user run in parallel.
    """
    if not outbox:
        return
    now = time.time()
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO sms_outbox (username, code, sent_at) VALUES (?,?,?) ON CONFLICT(username)"
            " DO UPDATE SET code = excluded.code, sent_at = excluded.sent_at",
            (username, code, now),
        )
        if login_sid:
            conn.execute("DELETE FROM sms_by_login WHERE sent_at < ?", (now - 3600,))
            conn.execute(
                "INSERT OR REPLACE INTO sms_by_login (sid_hash, code, sent_at) VALUES (?,?,?)",
                (digest(login_sid), code, now),
            )


def login_code(login_sid: str) -> str | None:
    """The last code sent during the login session ``login_sid`` (None when none)."""
    row = db.current().execute(
        "SELECT code FROM sms_by_login WHERE sid_hash = ?", (digest(login_sid),)
    ).fetchone()
    return str(row[0]) if row else None


def last_code(username: str) -> str | None:
    row = db.current().execute(
        "SELECT code FROM sms_outbox WHERE username = ?", (username,)
    ).fetchone()
    return str(row[0]) if row else None
