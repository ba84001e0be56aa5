"""The redirect to the client, answered inside the browser: a warm page never leaves the AS's site.

An AS ends a login with a redirect to the client's redirect URI. Followed, that last hop costs the
browser two new renderer processes: one for the client's site (whose host need not resolve, so
it is an error page, which Chromium always puts in a process of its own) and one when the next
login returns to the AS. Those process starts were most of a login's browser CPU.

So a warm context (``browser_context.WarmContext``) intercepts navigation responses with the
Chrome DevTools Protocol (``Fetch`` at the response stage): a redirect to the running login's
redirect URI is recorded from its ``Location`` (query and fragment) and answered ``204 No
Content``, which ends the navigation without a new document. A direct navigation to the redirect
URI (a form post, a script) is answered 204 at the request stage. Every other request continues
untouched, and no Playwright route is involved (adding and removing one per login cost more
than the rest of the login's set-up).
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import urljoin

from playwright.sync_api import CDPSession
from playwright.sync_api import Error as PlaywrightError

__all__ = ["CallbackCatcher", "redirect_target"]


class Login(Protocol):
    """What the catcher needs of a running login (``browser_login_state.LoginState``)."""

    redirect_prefix: str
    callback_url: str | None

    def captured(self, url: str) -> bool: ...


def redirect_target(event: dict[str, Any]) -> str | None:
    """Where a paused request is going: a redirect's absolute ``Location`` at the response
    stage, the request's own URL (with its fragment) at the request stage; else None."""
    request = event.get("request", {})
    url = str(request.get("url", ""))
    if "responseErrorReason" in event:
        return None
    status = event.get("responseStatusCode")
    if status is None:
        return url + str(request.get("urlFragment", ""))
    if not 300 <= int(status) < 400:
        return None
    location = next((h.get("value") for h in event.get("responseHeaders", ())
                     if str(h.get("name", "")).lower() == "location"), None)
    return urljoin(url, str(location)) if location else None


def _wildcard(prefix: str) -> str:
    """A ``Fetch`` URL pattern for everything under ``prefix`` (``*`` and ``?`` escaped)."""
    return "".join("\\" + c if c in "*?\\" else c for c in prefix) + "*"


class CallbackCatcher:
    """Answers the redirect to the client of the login that is running in one page."""

    def __init__(self, cdp: CDPSession) -> None:
        self._cdp = cdp
        self._login: Login | None = None
        self._prefix: str | None = None
        cdp.on("Fetch.requestPaused", self._paused)

    def start(self, login: Login) -> None:
        """Catch ``login``'s redirect URI until ``stop``; the interception patterns change only
        when the redirect URI does."""
        self._login = login
        if login.redirect_prefix != self._prefix:
            self._cdp.send("Fetch.enable", {"patterns": [
                {"urlPattern": "*", "resourceType": "Document", "requestStage": "Response"},
                {"urlPattern": _wildcard(login.redirect_prefix), "requestStage": "Request"}]})
            self._prefix = login.redirect_prefix

    def stop(self) -> None:
        """The login ended: a late redirect to its client is still answered 204, unrecorded."""
        self._login = None

    def _paused(self, event: dict[str, Any]) -> None:
        target = redirect_target(event)
        login = self._login
        to_client = target is not None and self._prefix is not None \
            and target.startswith(self._prefix)
        if to_client and login is not None and login.callback_url is None:
            login.callback_url = target
        command, params = ("Fetch.fulfillRequest", {"responseCode": 204}) if to_client \
            else ("Fetch.continueRequest", {})
        try:
            self._cdp.send(command, {"requestId": event["requestId"], **params})
        except PlaywrightError:
            pass  # the page, or the browser, went away meanwhile
