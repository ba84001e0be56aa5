"""One real browser login against its floor and a static page load, in the same launched browser.

All are timed the same way, from ``new_context`` to the context's close: the suite's ``run_login``
drives the sandbox profile's ``password_sms`` recipe (password page, SMS code read from the
automation endpoint, consent when shown) until the authorization code is captured; the floor is
``handwritten_login``, a minimal Playwright script over the same pages of the same identity, so
the ratio of the two is what the suite's recipe runner adds. The static page is a small HTML
page served by a thread on 127.0.0.1. A fourth figure, the login with
``--login-trace=retain-on-failure`` (a Playwright trace of every login, kept for failed ones),
shows what that option adds. The suite's login runs in the worker's warm context (wiped between
logins, the default); a fifth figure runs it in a fresh context per login, as the floor does
(``--fresh-login-context``), so both comparisons are on the table. The CPU figures count the
processes alive at the end of each step: a fresh context's renderer, gone by then, is missed, so
the fresh-context CPU figures are low. Browser launch is excluded.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import cpu_costs
import handwritten_login

from cscsuite import oauth
from cscsuite.adapters import make_adapter
from cscsuite.adapters.base import AuthorizationRequest
from cscsuite.browser import BrowserPool, HttpOtp, measure_page_load, run_login
from cscsuite.http import ApiClient
from cscsuite.profile import expand, load_profile
from cscsuite.session import SuiteSession

STATIC_PAGE = (b"<!doctype html><html lang=en><title>static</title>"
               b"<h1>Static page</h1><p>A small page for the browser benchmark.</p></html>")
VERSION = "v2"


@dataclass
class BrowserCosts:
    """Seconds per operation, one entry per repetition: wall time, and CPU time of this process
    tree (the browser, Playwright's driver and the sandbox included), which survives load."""

    login_s: list[float] = field(default_factory=list)
    handwritten_s: list[float] = field(default_factory=list)
    static_s: list[float] = field(default_factory=list)
    login_traced_s: list[float] = field(default_factory=list)
    login_fresh_s: list[float] = field(default_factory=list)
    login_fresh_cpu_s: list[float] = field(default_factory=list)
    login_cpu_s: list[float] = field(default_factory=list)
    handwritten_cpu_s: list[float] = field(default_factory=list)
    static_cpu_s: list[float] = field(default_factory=list)
    login_traced_cpu_s: list[float] = field(default_factory=list)


class _StaticHandler(BaseHTTPRequestHandler):
    """``STATIC_PAGE`` at ``/``, an empty 404 elsewhere (the browser asks for a favicon)."""

    def do_GET(self) -> None:
        body = STATIC_PAGE if self.path == "/" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the context closed while a request was in flight

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def static_server() -> Iterator[str]:
    """A loopback HTTP server for ``STATIC_PAGE``; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StaticHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def timed(action: Callable[[], object], wall: list[float], cpu: list[float]) -> None:
    """Run ``action``; append its wall time and the CPU time the process tree spent on it."""
    cpu_before, started = cpu_costs.tree_cpu_s(), time.perf_counter()
    action()
    wall.append(time.perf_counter() - started)
    cpu.append(cpu_costs.tree_cpu_s() - cpu_before)


def _traced(sandbox: SandboxLogin) -> Callable[[], None]:
    """One login as ``--login-trace=retain-on-failure`` runs it."""

    def login() -> None:
        sandbox.pool.trace = "retain-on-failure"
        try:
            sandbox.login()
        finally:
            sandbox.pool.trace = "off"

    return login


def _fresh(sandbox: SandboxLogin) -> Callable[[], None]:
    """One login as ``--fresh-login-context`` runs it: a new context, like the floor's."""

    def login() -> None:
        sandbox.pool.reuse_contexts = False
        try:
            sandbox.login()
        finally:
            sandbox.pool.reuse_contexts = True

    return login


class SandboxLogin:
    """The suite's view of the embedded service, ready to run one login per call."""

    def __init__(self, session: SuiteSession, pool: BrowserPool) -> None:
        self.session = session
        self.pool = pool
        self.target = session.discover()
        self.profile = session.profile_with_url()
        self.client = self.profile.clients["main"]
        self.identity = self.profile.identities["signer"]
        http = ApiClient(session.http, None, timeout_s=self.profile.timeouts.request_s)
        self.adapter = make_adapter(VERSION, http, self.target.csc_base_url(VERSION))
        endpoints = self.target.endpoints[VERSION]
        if endpoints is None:
            raise RuntimeError("the sandbox names no authorization server")
        self.authorize_endpoint = endpoints.authorize

    def _otp(self) -> HttpOtp:
        """The code of this very login, read through its browser context (as the suite does)."""
        src = self.identity.otp
        assert src is not None and src.url
        url = expand(src.url, base_url=self.target.base_url,
                     username=str(self.identity.values.get("username", "")))
        return HttpOtp(url, src.field or "code")

    def _request(self) -> tuple[AuthorizationRequest, str]:
        """A fresh service authorization request (state, PKCE) and its authorize URL."""
        pkce = oauth.make_pkce("S256")
        request = AuthorizationRequest(scope="service", redirect_uri=self.client.redirect_uri,
                                       state=oauth.new_state(), code_challenge=pkce.challenge,
                                       code_challenge_method="S256")
        return request, self.adapter.authorize_url(self.authorize_endpoint, self.client, request)

    def login(self) -> None:
        """One full login; raises when no authorization code comes back."""
        request, url = self._request()
        result = run_login(self.pool, authorize_url=url, redirect_uri=request.redirect_uri,
                           identity=self.identity,
                           recipe=self.profile.login_recipes[self.identity.login],
                           otp_fetcher=self._otp(), evidence=None,
                           timeout_s=self.profile.timeouts.login_s)
        if result.code is None:
            raise RuntimeError(f"login ended without a code: {result.error or result.page_error}")

    def handwritten(self) -> None:
        """The same login as the minimal hand-written script does it (the floor)."""
        request, url = self._request()
        values = self.identity.values
        script = handwritten_login.HandwrittenLogin(
            str(values["username"]), str(values["password"]), self._otp().url,
            self.profile.timeouts.login_s * 1000)
        callback = handwritten_login.login(self.pool.browser(), script, url,
                                           request.redirect_uri)
        if "code=" not in callback:
            raise RuntimeError("the hand-written login ended without a code")


def measure(repeats: int, root: Path, ws_endpoint: str | None = None) -> BrowserCosts:
    """Alternate suite login, hand-written login, static load and traced login ``repeats`` times
    (after a warm-up); the suite and the floor swap places every round, so drift hits both."""
    costs = BrowserCosts()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp, static_server() as url:
        session = SuiteSession(profile=load_profile("sandbox", root), versions=(VERSION,),
                               reports_dir=Path(tmp))
        pool = BrowserPool(ws_endpoint=ws_endpoint)
        try:
            sandbox = SandboxLogin(session, pool)
            pool.browser()  # launch outside the measurements
            sandbox.login()  # warm-up: first page render, template caches, connections
            sandbox.handwritten()
            measure_page_load(pool, url)
            for round_ in range(repeats):
                pair = [(sandbox.login, costs.login_s, costs.login_cpu_s),
                        (sandbox.handwritten, costs.handwritten_s, costs.handwritten_cpu_s)]
                for action, wall, cpu in pair if round_ % 2 == 0 else pair[::-1]:
                    timed(action, wall, cpu)
                timed(lambda: measure_page_load(pool, url), costs.static_s, costs.static_cpu_s)
                timed(_traced(sandbox), costs.login_traced_s, costs.login_traced_cpu_s)
                timed(_fresh(sandbox), costs.login_fresh_s, costs.login_fresh_cpu_s)
        finally:
            pool.close()
            session.close()
    return costs
