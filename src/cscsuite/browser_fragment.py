"""Answers in the redirect URI's fragment (RFC 6749 §4.2.2.1: ``response_type=token``).

A fragment never reaches the network: the request to the redirect URI carries only the query,
and an unresolvable redirect URI never commits a page whose address would show it. The
authorization server's redirect does carry it, in its ``Location`` header, and the browser reports
that response before it requests the redirect URI: so the callback is taken from there.
"""

from __future__ import annotations

from urllib.parse import urljoin

from playwright.sync_api import Response

from cscsuite.browser_login_state import LoginState


def observe_redirect(state: LoginState, response: Response) -> None:
    """Capture the callback (query and fragment) from a redirect to the redirect URI."""
    location = response.headers.get("location")
    if state.callback_url is not None or not location or not 300 <= response.status < 400:
        return
    target = urljoin(response.url, location)
    if state.captured(target):
        state.callback_url = target
