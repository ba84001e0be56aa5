"""The browser context a login runs in: a fresh one, or one kept warm across logins and wiped.

A fresh context and its page cost a new renderer process, about a third of a login's browser CPU
(``benchmarks/browser_costs.py`` measures both ways). A login needs a clean state, not a new
process: so by default a worker keeps one context and page and, between two logins, wipes every
cookie and, for each origin the last login touched, its local and session storage, IndexedDB,
Cache Storage and service workers (Chrome DevTools Protocol ``Storage.clearDataForOrigin``). The
HTTP cache stays, as in a real browser. A login that failed, crashed or was traced leaves its
context to be closed, so the next one starts fresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, CDPSession, Page
from playwright.sync_api import Error as PlaywrightError

from cscsuite.browser_callback import CallbackCatcher

__all__ = ["Lease", "WarmContext", "origin_of"]


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, else ``None`` (about:, data:, chrome-...)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Lease:
    """A context and page for one login, and the origins it touched (what a wipe must clear)."""

    context: BrowserContext
    page: Page
    warm: WarmContext | None = None
    origins: set[str] = field(default_factory=set)
    _detach: list[Callable[[], None]] = field(default_factory=list)

    def touched(self, url: str) -> None:
        origin = origin_of(url)
        if origin is not None:
            self.origins.add(origin)

    def on_detach(self, undo: Callable[[], None]) -> None:
        """Remember how to remove a listener or route this login added."""
        self._detach.append(undo)

    def detach(self) -> None:
        """Remove the login's listeners and routes, so a warm context serves the next login
        with none of this one's handlers (and none of its state) still attached."""
        undo, self._detach = self._detach, []
        for step in reversed(undo):
            try:
                step()
            except PlaywrightError:
                pass


class WarmContext:
    """One context and page kept for a worker's logins (see the module docstring)."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.page = context.new_page()
        self._cdp: CDPSession = context.new_cdp_session(self.page)
        self.catcher = CallbackCatcher(self._cdp)
        self.logins = 0

    def lease(self) -> Lease:
        self.logins += 1
        return Lease(self.context, self.page, self)

    def wipe(self, origins: Iterable[str]) -> None:
        """Forget what the last login left: every cookie, and the storage of each origin it
        touched. The page stays on the AS's last page (the redirect to the client was answered
        in the browser: ``browser_callback``); the next login navigates away from it. Raises
        ``PlaywrightError`` when the browser cannot."""
        self.context.clear_cookies()
        for origin in sorted(origins):
            self._cdp.send("Storage.clearDataForOrigin",
                           {"origin": origin, "storageTypes": "all"})

    def close(self) -> None:
        try:
            self.context.close()
        except PlaywrightError:
            pass
