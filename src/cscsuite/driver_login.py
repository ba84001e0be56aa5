"""What a browser login came to: ``Granted``, ``Refused`` by the service, or a ``HarnessFailure``.

A login that stops is only the service's refusal when the service said so where the scenario
expects it: an error redirect to the client (RFC 6749 §4.1.2.1) anywhere, or an error page or
alert of the authorization server at the step where the refusal must happen. Everything else (a
recipe that no longer matches, a timeout, a crashed browser, an alert on an earlier page than the
one under test) is the suite's failure, never evidence that the service refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cscsuite.browser import LoginResult
from cscsuite.browser_recipe import page_url, url_matches
from cscsuite.outcomes import Granted, HarnessFailure, Outcome, Refused
from cscsuite.profile_types import LoginStep

#: Where a page refusal must show: at the authorization request (before the signer is asked
#: anything), or on the page that asks for one recipe value (``"otp"``, ``"identity.password"``).
AUTHORIZATION_REQUEST = "authorization request"
ANYWHERE = "anywhere"

_HTTP_ERROR = re.compile(r"^HTTP (\d{3}) at (\S+)")


def refusal_page(result: LoginResult) -> tuple[int, str]:
    """(HTTP status or 0, page) of the page on which the login stopped with an error."""
    found = _HTTP_ERROR.match(result.page_error or "")
    if found:
        return int(found.group(1)), page_url(found.group(2))
    return 0, result.pages_seen[-1] if result.pages_seen else ""


def page_for_value(recipe: Sequence[LoginStep], value: str) -> str | None:
    """The URL pattern of the page on which the recipe enters ``value`` (its nearest preceding
    ``wait_url``), or ``None`` when the recipe does not say."""
    pattern: str | None = None
    for step in recipe:
        if step.action == "wait_url":
            pattern = step.pattern
        elif step.value == value:
            return pattern
    return None


def login_outcome(result: LoginResult, *, expected_at: str, authorize_endpoint: str,
                  recipe: Sequence[LoginStep], evidence: str | None = None) -> Outcome:
    """Classify a finished login (``run_login`` returned; it raises for failed logins)."""
    if result.code:
        return Granted("authorization response", result.code, evidence)
    if result.error:
        return Refused("authorization response", 0, result.error, result.error_description,
                       evidence)
    status, page = refusal_page(result)
    why = page_refusal_misplaced(result, page, expected_at, authorize_endpoint, recipe)
    if why:
        return HarnessFailure(why, evidence)
    return Refused(f"authorization server page {page}", status, None, result.page_error,
                   evidence)


def page_refusal_misplaced(result: LoginResult, page: str, expected_at: str,
                           authorize_endpoint: str, recipe: Sequence[LoginStep]) -> str | None:
    """Why an error page does not count as the refusal under test (``None``: it counts)."""
    shown = f"the login stopped on {page or 'an unknown page'} ({result.page_error})"
    if expected_at == ANYWHERE:
        return None
    if expected_at == AUTHORIZATION_REQUEST:
        endpoint = page_url(authorize_endpoint)
        if page == endpoint and all(p == endpoint for p in result.pages_seen):
            return None
        return f"{shown}, after leaving the authorization endpoint {endpoint}, so the " \
               "authorization request itself was not refused"
    pattern = page_for_value(recipe, expected_at)
    if pattern is None or url_matches(pattern, page):
        return None
    return f"{shown}, not on the page matching {pattern!r} that asks for {expected_at!r}"


def page_after(result: LoginResult, page: str) -> str | None:
    """The page a login showed right after ``page`` (the first time it showed it)."""
    pages = list(result.pages_seen)
    later = [p for p in pages[pages.index(page) + 1:] if p != page] if page in pages else []
    return later[0] if later else None


def going_past(recipe: Sequence[LoginStep], value: str, address: str) -> tuple[LoginStep, ...]:
    """``recipe`` with the page that asks for ``value`` passed over: from the step entering it,
    straight to ``address`` (``goto``), then on from the first later step that belongs to
    another page (one waiting for a page, or one bound to a page by ``if_url``)."""
    at = next(i for i, step in enumerate(recipe) if step.value == value)
    resume = next((i for i in range(at + 1, len(recipe))
                   if recipe[i].action == "wait_url" or recipe[i].if_url), len(recipe))
    return (*recipe[:at], LoginStep(action="goto", pattern=address), *recipe[resume:])
