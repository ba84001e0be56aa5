"""One-time codes read through the login's own browser context.

Reading the code with the browser's request API sends that login's cookies along, so an
automation endpoint can answer with the code of this very login even while parallel workers log
the same test identity in.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

from cscsuite.browser_login_state import RecipeError
from cscsuite.browser_recipe import first_line

__all__ = ["HttpOtp", "fetch_otp"]


@dataclass(frozen=True)
class HttpOtp:
    """A one-time code read over HTTP *through the login's own browser context*.

    The request then carries that login's cookies, so an automation endpoint can answer with the
    code of this very login even while parallel workers log the same test identity in.
    """

    url: str
    field: str = "code"
    timeout_s: float = 10.0


def fetch_otp(context: BrowserContext, source: HttpOtp) -> str:
    try:
        resp = context.request.get(source.url, timeout=source.timeout_s * 1000)
        body = resp.json() if resp.ok else {}
    except (PlaywrightError, ValueError) as exc:
        raise RecipeError(f"cannot read the one-time code: {first_line(exc)}") from None
    code = body.get(source.field) if isinstance(body, dict) else None
    if not isinstance(code, str | int):
        raise RecipeError(f"no one-time code at {source.url.split('?', 1)[0]} "
                          f"(HTTP {resp.status}, field {source.field!r})")
    return str(code)
