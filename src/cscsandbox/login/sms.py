"""The sandbox's SMS outbox: the last one-time code "sent" to each user.

The outbox is the one deliberate place where a one-time code is readable (for automation, via
``GET /_sandbox/sms``); switch it off with ``[oauth] sms_outbox = false``.
"""

from __future__ import annotations

import secrets
import time

from cscsandbox import db

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS sms_outbox (
        username TEXT PRIMARY KEY,
        code TEXT NOT NULL,
        sent_at REAL NOT NULL
    );
    """
)


def new_code() -> str:
    """A 6-digit one-time code."""
    return f"{secrets.randbelow(1_000_000):06d}"


def send(username: str, code: str, *, outbox: bool) -> None:
    """Deliver ``code``: into the outbox when enabled, otherwise nowhere (as a real SMS)."""
    if not outbox:
        return
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO sms_outbox (username, code, sent_at) VALUES (?,?,?) ON CONFLICT(username)"
            " DO UPDATE SET code = excluded.code, sent_at = excluded.sent_at",
            (username, code, time.time()),
        )


def last_code(username: str) -> str | None:
    row = db.current().execute(
        "SELECT code FROM sms_outbox WHERE username = ?", (username,)
    ).fetchone()
    return str(row[0]) if row else None
