"""Browser logins with Playwright (sync API): one browser per worker, a clean context per login.

The authorization code is captured from the browser's request to the redirect URI, so no redirect
server is needed and the redirect URI may be unresolvable. Playwright routes only see the first
URL of a redirect chain, and an AS answers with a 302, so the context's ``request`` event is what
captures the callback; a route also fulfils direct navigations (form posts, scripts) with a tiny
page. A warm context answers the redirect inside the browser instead (``browser_callback``).
A failed login keeps one screenshot with the secret fields masked and the page's HTML; with
``trace="retain-on-failure"`` every login is traced (DOM snapshots, no screenshots; about a sixth
of a login's cost) and a failed one also keeps the trace, every text entry rewritten through the
redactor, so no password, one-time code or authorization code survives in the evidence.
Successful logins keep nothing. A step that no longer matches its page is counted by the run's
login circuit breaker (``login_breaker``): once it has failed often enough, later logins end at
that step at once, quoting the first failure.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from playwright.sync_api import (
    BrowserContext,
    Frame,
    Page,
    Request,
    Response,
    Route,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cscsuite.browser_breaker import judge_step_failure, record_crash
from cscsuite.browser_context import Lease
from cscsuite.browser_errors import (
    BrowserCrashed,
    BrowserUnavailable,
    LoginCircuitOpen,
    LoginError,
    raise_if_unreachable,
)
from cscsuite.browser_evidence import keep_failure_evidence
from cscsuite.browser_fragment import observe_redirect
from cscsuite.browser_login_state import LoginState, RecipeError, Values
from cscsuite.browser_otp import HttpOtp, fetch_otp
from cscsuite.browser_pageload import PageLoad, measure_page_load
from cscsuite.browser_pool import (
    CHROMIUM_ARGS,
    SYSTEM_CHROMIUM,
    SYSTEM_HEADLESS_SHELL,
    BrowserPool,
    TracePolicy,
    resolve_executable,
)
from cscsuite.browser_recipe import (
    Decision,
    RecipeRunner,
    StepFailed,
    Stop,
    first_line,
    page_url,
)
from cscsuite.browser_trace import scrub_trace
from cscsuite.login_breaker import LoginBreaker, recipe_id
from cscsuite.oauth import parse_callback
from cscsuite.redact import REDACTOR, Redactor
from cscsuite.world import Secret

if TYPE_CHECKING:
    from cscsuite.evidence import Evidence
    from cscsuite.profile_types import Identity, LoginStep

__all__ = [
    "CHROMIUM_ARGS",
    "SYSTEM_CHROMIUM",
    "SYSTEM_HEADLESS_SHELL",
    "BrowserCrashed",
    "BrowserPool",
    "BrowserUnavailable",
    "LoginCircuitOpen",
    "LoginError",
    "LoginResult",
    "PageLoad",
    "measure_page_load",
    "resolve_executable",
    "run_login",
    "scrub_trace",
]

CALLBACK_PAGE = "<!doctype html><title>callback</title><p>Authorization response received.</p>"


@dataclass(frozen=True)
class LoginResult:
    """The outcome of one browser login. ``page_error``: the AS showed an error, no redirect."""

    callback_url: str | None = field(repr=False)
    code: Secret | None = field(repr=False)
    state: str | None
    error: str | None
    error_description: str | None
    iss: str | None
    pages_seen: tuple[str, ...]
    page_error: str | None = None
    declined_on: tuple[str, ...] = ()  # the pages where the signer declined (deny_name clicked)
    queried: tuple[str, ...] = ()  # the pages whose address carried a query (per-login state?)
    entered_on: dict[str, str] = field(default_factory=dict)  # value reference -> its page


def _redirect_prefix(redirect_uri: str) -> str:
    return redirect_uri.split("?", 1)[0].split("#", 1)[0]


def _observe(state: LoginState, url: str) -> None:
    if state.callback_url is None and state.captured(url):
        state.callback_url = url


def _watch(page: Page, state: LoginState, lease: Lease) -> None:
    """Record main-frame navigations and HTTP error pages served by the AS."""

    def on_navigated(frame: Frame) -> None:
        if frame is not page.main_frame:
            return
        state.navigations += 1
        url = frame.url
        if not (state.captured(url) or url.startswith("chrome-")):
            seen = page_url(url)
            state.pages_seen.append(seen)
            if urlsplit(url).query:
                state.queried.append(seen)

    def on_response(response: Response) -> None:
        request, status = response.request, response.status
        if (request.is_navigation_request() and request.frame is page.main_frame
                and status >= 400 and not state.captured(request.url)):
            state.http_error = f"HTTP {status} at {page_url(request.url)}"

    handlers: dict[str, Callable[..., None]] = {
        "framenavigated": on_navigated, "response": on_response,
        "request": lambda _: state.request_started(),
        "requestfinished": lambda _: state.request_ended(),
        "requestfailed": lambda _: state.request_ended()}
    for event, handler in handlers.items():
        page.on(event, handler)  # type: ignore[call-overload]
        lease.on_detach(partial(page.remove_listener, event, handler))


def run_login(pool: BrowserPool, *, authorize_url: str, redirect_uri: str, identity: Identity,
              recipe: Sequence[LoginStep], otp_fetcher: Callable[[], str] | HttpOtp | None,
              evidence: Evidence | None, timeout_s: float, decision: Decision = "approve",
              overrides: Mapping[str, str] | None = None,
              redactor: Redactor = REDACTOR) -> LoginResult:
    """Open ``authorize_url`` in a fresh context, run ``recipe`` and capture the callback.

    Returns the callback (``code`` or ``error``), or ``page_error`` when the AS refused in the
    page. Raises ``LoginError`` when a step cannot be done in time (its message lists what the
    page offered), ``LoginCircuitOpen`` when that step already failed too often in this run, and
    ``BrowserCrashed`` when the browser dies; a failed login leaves a scrubbed trace and a masked
    screenshot as evidence.
    """
    if decision == "deny" and not any(s.deny_name for s in recipe):
        raise ValueError("decision 'deny' needs a recipe step with deny_name (the consent button)")
    values = Values(identity, None if isinstance(otp_fetcher, HttpOtp) else otp_fetcher,
                    overrides)
    state = LoginState(_redirect_prefix(redirect_uri))
    if evidence is not None:  # the evidence writer redacts account_token and the like
        evidence.note(f"browser login: GET {authorize_url} (redirect_uri {redirect_uri})")
    lease = pool.lease()
    context = lease.context
    if isinstance(otp_fetcher, HttpOtp):
        source = otp_fetcher
        values.otp_fetcher = lambda: fetch_otp(context, source)
    failure: str | None = None
    recipe_key = recipe_id(identity.login or "", recipe)
    breaker = pool.breaker if pool.breaker is not None and pool.breaker.enabled else None
    runner: RecipeRunner | None = None
    clean = False
    try:
        page = _prepare(lease, state, pool.trace)
        runner = RecipeRunner(page, state, values, time.monotonic() + timeout_s, decision,
                              recipe_name=identity.login or "", settle_s=pool.settle_s,
                              circuit=partial(breaker.open_failure, recipe_key) if breaker
                              else None)
        failure = _drive(runner, authorize_url, recipe)
        if failure is not None:
            failure = _failed(context, runner, failure, breaker, recipe_key, evidence,
                              redactor, traced=pool.trace == "retain-on-failure")
        clean = failure is None
    except PlaywrightError as exc:
        reason = redactor.text(first_line(exc))
        raise_if_unreachable(authorize_url, reason)
        if not pool.connected():
            record_crash(breaker, recipe_key, runner, reason)
            raise BrowserCrashed(f"the browser crashed during the login: {reason}") from None
        raise LoginError(f"browser login failed: {reason}") from None
    finally:
        pool.release(lease, clean=clean)
        pool.clear_traces()
    return _result(state, values, redactor, evidence, failure)


def _failed(context: BrowserContext, runner: RecipeRunner, failure: str,
            breaker: LoginBreaker | None, recipe_key: str, evidence: Evidence | None,
            redactor: Redactor, *, traced: bool) -> str:
    """Keep the evidence of a failed login and judge a failed step (which may end the login).

    A login ended by the breaker keeps no screenshot of its own: it quotes the first failure's.
    """
    failed = runner.failed if runner.state.page_error is None else None
    if failed is not None and failed.tripped is not None:
        if traced:
            context.tracing.stop()
        if evidence is not None:
            evidence.note(f"browser login ended by the circuit breaker: {failed}")
        judge_step_failure(breaker, recipe_key, failed, None, redactor)  # raises
    shot = keep_failure_evidence(context, runner.page, runner, runner.values, redactor,
                                 evidence, traced=traced)
    if failed is None:
        return failure
    return judge_step_failure(breaker, recipe_key, failed, shot, redactor)


def _prepare(lease: Lease, state: LoginState, trace: TracePolicy) -> Page:
    """Tracing (when asked for), callback capture and page listeners for this login; the lease
    removes them again when the login ends."""
    context, page = lease.context, lease.page
    if trace == "retain-on-failure":
        context.tracing.start(snapshots=True, screenshots=False, sources=False)

    def capture(route: Route) -> None:
        _observe(state, route.request.url)
        route.fulfill(status=200, content_type="text/html", body=CALLBACK_PAGE)

    def on_request(request: Request) -> None:
        lease.touched(request.url)
        _observe(state, request.url)

    if lease.warm is not None:  # answered in the browser, the page staying on the AS's site
        lease.warm.catcher.start(state)
        lease.on_detach(lease.warm.catcher.stop)
    else:
        pattern = re.compile("^" + re.escape(state.redirect_prefix))
        context.route(pattern, capture)
        lease.on_detach(partial(context.unroute, pattern, capture))
    # Routes miss redirect hops and Chromium refuses some ports (9 is "unsafe") before any route
    # runs; the request event sees the redirect in every case.
    on_response = partial(observe_redirect, state)
    context.on("response", on_response)  # first: it sees the fragment
    context.on("request", on_request)
    lease.on_detach(partial(context.remove_listener, "response", on_response))
    lease.on_detach(partial(context.remove_listener, "request", on_request))
    _watch(page, state, lease)
    return page


def _drive(runner: RecipeRunner, authorize_url: str, recipe: Sequence[LoginStep]) -> str | None:
    """Run the login; returns why it failed, or ``None`` when the callback was captured."""
    try:
        _open(runner.page, authorize_url, runner.state, runner.remaining_ms())
        runner.run(recipe)
        runner.wait_for_callback()
    except Stop:
        pass
    except StepFailed as exc:
        runner.failed = exc
        return str(exc)
    except RecipeError as exc:
        return str(exc)
    except PlaywrightTimeout as exc:
        return f"timed out: {first_line(exc)}"
    if runner.state.callback_url is None:
        return runner.state.page_error or "no redirect to the client"
    return None


def _open(page: Page, url: str, state: LoginState, timeout_ms: float) -> None:
    """Navigate to the authorize URL; an immediate redirect to the client ends the login."""
    try:
        page.goto(url, timeout=timeout_ms, wait_until="commit")
    except PlaywrightError:
        if state.callback_url is None:  # the redirect target failing to load is expected
            raise


def _result(state: LoginState, values: Values, redactor: Redactor, evidence: Evidence | None,
            failure: str | None) -> LoginResult:
    redactor.add(*values.secrets)
    pages = tuple(state.pages_seen)
    if state.callback_url is None:
        message = failure or "no redirect to the client"
        if evidence is not None:
            evidence.note(f"browser login failed: {message}; pages: {', '.join(pages)}")
        if state.page_error is None:
            raise_if_unreachable(state.pages_seen[-1] if state.pages_seen else "", message)
            raise LoginError(f"browser login failed: {message}")
        return LoginResult(None, None, None, None, None, None, pages, state.page_error)
    callback = parse_callback(state.callback_url)
    redactor.add(callback.code)
    if evidence is not None:
        outcome = f"error={callback.error}" if callback.error else "code received"
        evidence.note(f"browser login: {outcome}; pages: {', '.join(pages)}")
    return LoginResult(state.callback_url, callback.code, callback.state, callback.error,
                       callback.error_description, callback.iss, pages,
                       declined_on=tuple(state.declined_on), queried=tuple(state.queried),
                       entered_on=dict(state.entered_on))
