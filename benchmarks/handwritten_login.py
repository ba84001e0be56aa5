"""The floor for a login: the same pages driven by a minimal hand-written Playwright script.

What a tester would write for the sandbox's ``password_sms`` login with no framework: a fresh
context, the authorization URL, username and password, the SMS code read through the context
(so the automation endpoint answers for this very login), consent when it is shown, and the
callback caught from the context's ``request`` event (the AS answers with a 302, which a route
never sees). It uses the same element addresses and the same key presses as the suite's recipe,
so the ratio of the two measures what the recipe runner adds (its waits, probes, listeners and
bookkeeping), not a different way of pressing buttons. No checks beyond what a login needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Browser, Request


@dataclass(frozen=True)
class HandwrittenLogin:
    """The inputs a hand-written script hard-codes: identity values and the code's address."""

    username: str
    password: str
    otp_url: str
    timeout_ms: float = 30_000


def login(browser: Browser, script: HandwrittenLogin, authorize_url: str,
          redirect_uri: str) -> str:
    """One login in a fresh context; returns the callback URL (raises when none came)."""

    def callback(request: Request) -> bool:
        return request.url.startswith(redirect_uri)

    def callback_or_consent(request: Request) -> bool:
        return callback(request) or "/login/consent" in request.url

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(authorize_url, wait_until="commit", timeout=script.timeout_ms)
        page.get_by_label("Username", exact=True).fill(script.username)
        page.get_by_label("Password", exact=True).fill(script.password)
        page.get_by_role("button", name="Sign in", exact=True).press("Enter")
        page.wait_for_url("**/login/otp*", wait_until="commit", timeout=script.timeout_ms)
        code = context.request.get(script.otp_url).json()["code"]
        page.get_by_label("One-time code", exact=True).fill(str(code))
        with context.expect_event("request", callback_or_consent,
                                  timeout=script.timeout_ms) as next_request:
            page.get_by_role("button", name="Verify", exact=True).press("Enter")
        if callback(next_request.value):
            return next_request.value.url
        with context.expect_event("request", callback, timeout=script.timeout_ms) as redirect:
            page.get_by_role("button", name="Approve", exact=True).press("Enter")
        return redirect.value.url
    finally:
        context.close()
