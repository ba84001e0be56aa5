"""Tokens a worker's scenarios share: one login per identity, client and scope, kept fresh.

Most scenarios need a service access token and are not about how it was obtained, so each
worker obtains one per (authorization server, identity, client, scope) and hands it to every such
scenario; both API versions share it when they name the same token endpoint. The cache is a
layer around "obtain a token": whoever obtains it (a browser login, a client-credentials grant,
another style) passes an ``obtain`` function, and the cache decides only *whether* to call it. A
token near its expiry is refreshed with its refresh token (no login), and only obtained anew when
that fails. A token the suite revokes or refreshes is forgotten at once, so a scenario that
spends one can never hand a dead token to the next.

The cache belongs to a session-scoped fixture (never module state), keeps secrets wrapped, and
teaches the redactor every token it hands on, so no later scenario's evidence can show one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cscsuite.redact import REDACTOR, Redactor
from cscsuite.secret import Secret

__all__ = ["DEFAULT_LIFETIME_S", "Grant", "TokenCache", "TokenKey"]

#: Lifetime assumed for a token whose response names none (RFC 6749 §5.1: RECOMMENDED field).
DEFAULT_LIFETIME_S = 300.0


@dataclass(frozen=True)
class TokenKey:
    """What a shared token is for: one login per key and worker (``server``: the token
    endpoint that issued it)."""

    server: str
    identity: str = "signer"
    client: str = "main"
    scope: str = "service"


@dataclass(frozen=True)
class Grant:
    """A token as the token endpoint issued it (``expires_in`` seconds, when it said)."""

    access_token: Secret
    refresh_token: Secret | None = field(default=None, repr=False)
    expires_in: float | None = None

    def lifetime_s(self) -> float:
        return float(self.expires_in) if self.expires_in else DEFAULT_LIFETIME_S


@dataclass
class _Entry:
    grant: Grant
    expires_at: float


@dataclass
class CacheStats:
    """What the cache did in this worker (for the run's report)."""

    hits: int = 0
    obtained: int = 0
    refreshed: int = 0
    refresh_failed: int = 0
    forgotten: int = 0


class TokenCache:
    """Shared tokens per ``TokenKey``; a token counts as expired ``margin_s`` before it is."""

    def __init__(self, margin_s: float = 30.0, clock: Callable[[], float] = time.time,
                 redactor: Redactor = REDACTOR) -> None:
        self.margin_s = margin_s
        self.clock = clock
        self.redactor = redactor
        self.stats = CacheStats()
        self._entries: dict[TokenKey, _Entry] = {}
        self._lock = threading.Lock()

    def token(self, key: TokenKey, obtain: Callable[[], Grant],
              refresh: Callable[[Secret], Grant | None] | None = None) -> Secret:
        """The shared token for ``key``: cached, refreshed when it nears expiry, else obtained.

        ``refresh`` takes the refresh token and returns the new grant, or ``None`` when the
        token endpoint refused (the cache then obtains a new token)."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry.expires_at - self.margin_s > self.clock():
            self.stats.hits += 1
            return entry.grant.access_token
        grant = self._refreshed(entry, refresh) if entry is not None else None
        if grant is None:
            grant = obtain()
            self.stats.obtained += 1
        self.put(key, grant)
        return grant.access_token

    def _refreshed(self, entry: _Entry,
                   refresh: Callable[[Secret], Grant | None] | None) -> Grant | None:
        old = entry.grant
        if refresh is None or old.refresh_token is None:
            return None
        grant = refresh(old.refresh_token)
        if grant is None:
            self.stats.refresh_failed += 1
            return None
        self.stats.refreshed += 1
        if grant.refresh_token is None:  # no rotation: the old refresh token stays valid
            grant = Grant(grant.access_token, old.refresh_token, grant.expires_in)
        return grant

    def put(self, key: TokenKey, grant: Grant) -> None:
        self.redactor.add(grant.access_token, grant.refresh_token)
        with self._lock:
            self._entries[key] = _Entry(grant, self.clock() + grant.lifetime_s())

    def get(self, key: TokenKey) -> Secret | None:
        """The cached token for ``key`` while it is fresh (no obtaining, no refreshing)."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry.expires_at - self.margin_s <= self.clock():
            return None
        return entry.grant.access_token

    def holds(self, token: str) -> bool:
        """Whether ``token`` is a shared access or refresh token."""
        with self._lock:
            return any(_matches(e.grant, token) for e in self._entries.values())

    def forget(self, token: str) -> bool:
        """Drop every entry whose access or refresh token is ``token`` (it was revoked, or its
        refresh token used by a scenario); returns whether one was dropped."""
        with self._lock:
            gone = [k for k, e in self._entries.items() if _matches(e.grant, token)]
            for k in gone:
                del self._entries[k]
        self.stats.forgotten += len(gone)
        return bool(gone)


def _matches(grant: Grant, token: str) -> bool:
    return str(grant.access_token) == token or (
        grant.refresh_token is not None and str(grant.refresh_token) == token)
