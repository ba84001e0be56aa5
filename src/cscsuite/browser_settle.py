"""Telling a settled login page from a loading one, and listing what a page offers.

A recipe step whose label no longer exists would wait out the whole login timeout. A page that
has finished loading, has no request in flight and whose URL and accessible names have not
changed for a while will not grow the missing element either, so the runner may end the step
early. The accessible names (buttons, links, fields) also make the failure message useful: they
show what the page calls the control the recipe looked for.
"""

from __future__ import annotations

import re
import time
from typing import Protocol

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

__all__ = ["LABEL_ROLES", "SettleWatch", "page_labels"]


class Activity(Protocol):
    """What the settle rule reads of ``browser_login_state.LoginState`` (the page's network
    activity); a protocol, so the recipe runner can import this module without an import circle."""

    inflight: int
    last_activity: float

#: Roles whose accessible names a failure lists (what recipe steps can address).
LABEL_ROLES = ("button", "link", "textbox", "combobox", "listbox", "checkbox", "radio",
               "searchbox", "spinbutton")
_ARIA_LINE = re.compile(rf'^\s*- ({"|".join(LABEL_ROLES)}) "((?:[^"\\]|\\.)*)"', re.MULTILINE)
#: At most this many names in a message.
MAX_LABELS = 30
#: A step that waited less than this is not watched at all: elements normally appear well
#: before, so ordinary logins pay nothing for the settle rule.
WATCH_AFTER_S = 2.0


def page_labels(page: Page, timeout_ms: float = 2000) -> tuple[str, ...]:
    """``role "name"`` of the page's buttons, links and fields, in page order (none on error).

    Read from Playwright's ARIA snapshot, which computes accessible names the way
    ``get_by_role``/``get_by_label`` match them; field values are not part of the result.
    """
    try:
        snapshot = page.locator("body").aria_snapshot(timeout=timeout_ms)
    except PlaywrightError:
        return ()
    labels = [f'{role} "{name}"' for role, name in _ARIA_LINE.findall(snapshot)]
    return tuple(dict.fromkeys(labels))[:MAX_LABELS]


class SettleWatch:
    """Whether the page has stood still (loaded, no request in flight, same URL and names)."""

    def __init__(self, page: Page, state: Activity) -> None:
        self.page = page
        self.state = state
        self.signature: tuple[object, ...] | None = None
        self.started = self.since = time.monotonic()

    def restart(self) -> None:
        self.signature, self.started = None, time.monotonic()
        self.since = self.started

    def still_for(self, seconds: float) -> bool:
        """True once nothing has changed for ``seconds``; every change restarts the clock."""
        now = time.monotonic()
        if now - self.started < WATCH_AFTER_S:
            return False
        signature = self._signature()
        if signature is None or signature != self.signature:
            self.signature, self.since = signature, now
            return False
        quiet_since = max(self.since, self.state.last_activity)
        return self.state.inflight == 0 and now - quiet_since >= seconds

    def _signature(self) -> tuple[object, ...] | None:
        try:
            ready = self.page.evaluate("document.readyState")
        except PlaywrightError:  # navigating: the context is being replaced
            return None
        if ready != "complete":
            return None
        return (self.page.url, page_labels(self.page, timeout_ms=1000))
