"""One real browser login against one static page load, in the same (already launched) browser.

Both are timed the same way, from ``new_context`` to the context's close, so the ratio shows what
the login itself costs: the suite's ``run_login`` drives the sandbox profile's ``password_sms``
recipe (password page, SMS code read from the automation endpoint, consent when shown) until
the authorization code is captured. The static page is a small HTML page served by a thread on
127.0.0.1. A third figure, the login with ``--login-trace=retain-on-failure`` (a Playwright trace
of every login, kept for failed ones), shows what that option adds. Browser launch is excluded.
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
    static_s: list[float] = field(default_factory=list)
    login_traced_s: list[float] = field(default_factory=list)
    login_cpu_s: list[float] = field(default_factory=list)
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

    def login(self) -> None:
        """One full login; raises when no authorization code comes back."""
        pkce = oauth.make_pkce("S256")
        request = AuthorizationRequest(scope="service", redirect_uri=self.client.redirect_uri,
                                       state=oauth.new_state(), code_challenge=pkce.challenge,
                                       code_challenge_method="S256")
        url = self.adapter.authorize_url(self.authorize_endpoint, self.client, request)
        result = run_login(self.pool, authorize_url=url, redirect_uri=request.redirect_uri,
                           identity=self.identity,
                           recipe=self.profile.login_recipes[self.identity.login],
                           otp_fetcher=self._otp(), evidence=None,
                           timeout_s=self.profile.timeouts.login_s)
        if result.code is None:
            raise RuntimeError(f"login ended without a code: {result.error or result.page_error}")


def measure(repeats: int, root: Path, ws_endpoint: str | None = None) -> BrowserCosts:
    """Alternate login, static load and traced login ``repeats`` times (after a warm-up)."""
    costs = BrowserCosts()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp, static_server() as url:
        session = SuiteSession(profile=load_profile("sandbox", root), versions=(VERSION,),
                               reports_dir=Path(tmp))
        pool = BrowserPool(ws_endpoint=ws_endpoint)
        try:
            sandbox = SandboxLogin(session, pool)
            pool.browser()  # launch outside the measurements
            sandbox.login()  # warm-up: first page render, template caches, connections
            measure_page_load(pool, url)
            for _ in range(repeats):
                timed(sandbox.login, costs.login_s, costs.login_cpu_s)
                timed(lambda: measure_page_load(pool, url), costs.static_s, costs.static_cpu_s)
                timed(_traced(sandbox), costs.login_traced_s, costs.login_traced_cpu_s)
        finally:
            pool.close()
            session.close()
    return costs
