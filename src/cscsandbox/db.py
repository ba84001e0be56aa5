"""SQLite access shared by all modules: thread-local connections, WAL, one schema registry.

Several processes and restarts share one database file, so every state change goes through
SQLite (WAL mode, busy timeout) and never lives only in memory. ``current()`` runs several times
per request (token lookups, the SAD transaction, audit), so it is kept cheap: no import per call,
one thread-local dict lookup once the connection exists.
"""

from __future__ import annotations

import sqlite3
import threading

from flask import current_app, has_app_context

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


def _open(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def connect(path: str) -> sqlite3.Connection:
    """This thread's connection to ``path`` (created on first use, schemas applied)."""
    conns: dict[str, tuple[sqlite3.Connection, int]] | None = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    entry = conns.get(path)
    if entry is not None and entry[1] == len(_schemas):
        return entry[0]
    conn, applied = entry if entry is not None else (_open(path), 0)
    for sql in _schemas[applied:]:
        conn.executescript(sql)
    conns[path] = (conn, len(_schemas))
    return conn


def current_path() -> str:
    """The database of the running app, else the default path."""
    if has_app_context():
        ctx = current_app.extensions.get("cscsandbox")
        if ctx is not None:
            return str(ctx.db_path)
    if _default_path is None:
        raise RuntimeError("no database configured (create_app or db.set_default_path first)")
    return _default_path


def current() -> sqlite3.Connection:
    """This thread's connection to the current database."""
    return connect(current_path())


class _Transaction:
    """``with transaction() as conn``: a class, not a generator context manager, because three
    of them nest on every signHash (SAD consumption inside the request's transaction, audit)."""

    __slots__ = ("conn", "outer")

    def __enter__(self) -> sqlite3.Connection:
        conn = self.conn = current()
        self.outer = not conn.in_transaction
        if self.outer:
            conn.execute("BEGIN IMMEDIATE")
        return conn

    def __exit__(self, exc_type: type[BaseException] | None, *_exc: object) -> None:
        if self.outer:
            self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")


def transaction() -> _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on any exception, which propagates);
    nested uses join the outer transaction (one commit)."""
    return _Transaction()
