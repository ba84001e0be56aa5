"""Audit trail of authorizations and signatures, queryable by clientTransactionId.

PrimeSign lets the signing application tag a transaction with ``clientData``
``{"clientTransactionId": ...}`` (spec-notes §1.3); the sandbox records it with every event so a
test can prove it arrived. The ``client-transaction-id-dropped`` defect lives here, in the one
place every part records through.
"""

from __future__ import annotations

import json
import time
from typing import Any

from cscsandbox import db, defects

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts REAL NOT NULL,
        event TEXT NOT NULL,
        transaction_id TEXT,
        client_id TEXT,
        user_id TEXT,
        detail TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS audit_tx ON audit_events(transaction_id);
    """
)


def transaction_id_from_client_data(client_data: object) -> str | None:
    """The ``clientTransactionId`` inside a JSON ``clientData`` string, if any (never raises)."""
    if not isinstance(client_data, str):
        return None
    try:
        parsed = json.loads(client_data)
    except (ValueError, RecursionError):
        return None
    value = parsed.get("clientTransactionId") if isinstance(parsed, dict) else None
    return value if isinstance(value, str) else None


def record(
    event: str,
    *,
    transaction_id: str | None,
    client_id: str | None,
    user_id: str | None,
    detail: dict[str, Any],
) -> None:
    """Append one event. ``detail`` must never hold secrets (tokens, SADs, codes, PINs)."""
    if defects.active("client-transaction-id-dropped"):
        transaction_id = None
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO audit_events (ts, event, transaction_id, client_id, user_id, detail) "
            "VALUES (?,?,?,?,?,?)",
            (time.time(), event, transaction_id, client_id, user_id, json.dumps(detail)),
        )


def query(transaction_id: str) -> list[dict[str, Any]]:
    """Events recorded for ``transaction_id``, oldest first."""
    rows = db.current().execute(
        "SELECT ts, event, transaction_id, client_id, user_id, detail FROM audit_events "
        "WHERE transaction_id = ? ORDER BY id",
        (transaction_id,),
    ).fetchall()
    return [
        {
            "event": event,
            "ts": ts,
            "transaction_id": tx,
            "client_id": client,
            "user_id": user,
            "detail": json.loads(detail),
        }
        for ts, event, tx, client, user, detail in rows
    ]
