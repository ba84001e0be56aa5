"""SQLite access shared by all modules: thread-local connections, WAL, one schema registry.

Several processes and restarts share one database file, so every state change goes through
SQLite (WAL mode, busy timeout) and never lives only in memory.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_schemas: list[str] = []
_local = threading.local()
_default_path: str | None = None
_lock = threading.Lock()


def register_schema(sql: str) -> None:
    """Add ``CREATE TABLE IF NOT EXISTS ...`` statements applied to every database used."""
    with _lock:
        if sql not in _schemas:
            _schemas.append(sql)


def set_default_path(path: str) -> None:
    """The database used outside a Flask application context (CLI, test helpers)."""
    global _default_path
    _default_path = path


def connect(path: str) -> sqlite3.Connection:
    """This thread's connection to ``path`` (created on first use, schemas applied)."""
    conns: dict[str, tuple[sqlite3.Connection, int]] = _local.__dict__.setdefault("conns", {})
    entry = conns.get(path)
    if entry is None:
        conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=10000")
        entry = (conn, 0)
    conn, applied = entry
    if applied < len(_schemas):
        for sql in _schemas[applied:]:
            conn.executescript(sql)
        entry = (conn, len(_schemas))
    conns[path] = entry
    return conn


def current_path() -> str:
    """The database of the running app, else the default path."""
    try:
        from flask import current_app, has_app_context

        if has_app_context():
            return str(current_app.extensions["cscsandbox"].db_path)
    except (ImportError, KeyError):
        pass
    if _default_path is None:
        raise RuntimeError("no database configured (create_app or db.set_default_path first)")
    return _default_path


def current() -> sqlite3.Connection:
    """This thread's connection to the current database."""
    return connect(current_path())


@contextmanager
def transaction() -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; nested uses join the outer transaction (one commit)."""
    conn = current()
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
