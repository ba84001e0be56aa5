"""Browser logins against a tiny local login site (password, one-time code, consent)."""

from __future__ import annotations

import html
import io
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser_pools import launched_pool

from cscsuite import browser_recipe
from cscsuite.browser import (
    SYSTEM_CHROMIUM,
    SYSTEM_HEADLESS_SHELL,
    BrowserCrashed,
    BrowserPool,
    BrowserUnavailable,
    LoginCircuitOpen,
    LoginError,
    measure_page_load,
    resolve_executable,
    run_login,
    scrub_trace,
)
from cscsuite.driver_login import going_past
from cscsuite.evidence import Evidence
from cscsuite.login_breaker import LoginBreaker, StepFailure, recipe_id, step_id, target_of
from cscsuite.outcomes import HarnessError
from cscsuite.profile_types import Identity, LoginStep
from cscsuite.redact import Redactor
from cscsuite.world import Secret

PASSWORD = "canary-Pa55word!"
OTP = "424242"
CODE = "code-canary-7f3e"
REDIRECT_URI = "http://127.0.0.1:9/callback"  # port 9 is "unsafe" for Chromium: still captured
AUTHORIZE_QUERY = {"redirect_uri": REDIRECT_URI, "state": "st-1"}
#: A page whose button appears only once a request made after the load event is answered.
LATE_PAGE = (f'<!doctype html><title>Late</title><form action="/authorize-refused" id="f">'
             f'<input type="hidden" name="redirect_uri" value="{REDIRECT_URI}">'
             '<input type="hidden" name="state" value="st-3"></form><script>'
             "fetch('/slow').then(() => { const b = document.createElement('button');"
             " b.textContent = 'Continue'; document.getElementById('f').appendChild(b); });"
             "</script>").encode()
SLOW_S = 1.0  # far beyond the grace an open circuit gives a loaded page

RECIPE = (
    LoginStep("wait_url", pattern="/login/password"),
    LoginStep("fill", label="Username", value="identity.username"),
    LoginStep("fill", label="Password", value="identity.password"),
    LoginStep("click", role="button", name="Sign in"),
    LoginStep("wait_url", pattern="*/login/otp*"),
    LoginStep("fill", label="One-time code", value="otp"),
    LoginStep("click", name="Verify"),
    LoginStep("check_text", text="Signing with", if_url="/login/consent"),
    LoginStep("click", name="Approve", deny_name="Deny", if_url="/login/consent"),
)
IDENTITY = Identity(name="signer", login="password",
                    values={"username": "alice", "password": Secret(PASSWORD)}, otp=None,
                    credentials={})


def _page(title: str, body: str, error: str | None = None) -> bytes:
    alert = f'<div role="alert">{html.escape(error)}</div>' if error else ""
    return (f"<!doctype html><title>{title}</title><h1>{title}</h1>{alert}"
            f'<form method="post">{body}</form>').encode()


PAGES = {
    "/login/password": lambda err: _page("Sign in", (
        '<label for="u">Username</label><input id="u" name="username">'
        '<label for="p">Password</label><input id="p" name="password" type="password">'
        "<button>Sign in</button>"), err),
    "/login/otp": lambda err: _page("Code", (
        '<label for="c">One-time code</label><input id="c" name="code">'
        "<button>Verify</button>"), err),
    "/login/consent": lambda err: _page("Consent", (
        "<p>Signing with alice-rsa2048</p>"
        '<button name="decision" value="approve">Approve</button>'
        '<button name="decision" value="deny">Deny</button>'), err),
}


class LoginSite(BaseHTTPRequestHandler):
    """A stand-in authorization server: one pending login, state kept on the server object."""

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", location: str | None = None) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/authorize":
            self.server.pending = query  # type: ignore[attr-defined]
            return self._send(302, location="/login/password")
        if url.path == "/authorize-refused":
            back = f"{query['redirect_uri']}?error=invalid_request&state={query['state']}"
            return self._send(302, location=back)
        if url.path in PAGES:
            return self._send(200, PAGES[url.path](None))
        if url.path == "/login/late":
            return self._send(200, LATE_PAGE)
        if url.path == "/slow":
            time.sleep(SLOW_S)
            return self._send(200, b"ok")
        if url.path == "/static":
            return self._send(200, b"<!doctype html><title>static</title><p>hello</p>")
        return self._send(400, b"<!doctype html><title>Error</title><p>invalid request</p>")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        pending = self.server.pending  # type: ignore[attr-defined]
        back = pending["redirect_uri"]
        if self.path == "/login/password":
            if form.get("username") == "alice" and form.get("password") == PASSWORD:
                return self._send(302, location="/login/otp")
            return self._send(200, PAGES[self.path]("Invalid username or password"))
        if self.path == "/login/otp":
            if form.get("code") == OTP:
                return self._send(302, location="/login/consent")
            return self._send(200, PAGES[self.path]("The code is not valid"))
        if form.get("decision") == "approve":
            params = {"code": CODE, "state": pending["state"], "iss": "http://issuer.test"}
        else:
            params = {"error": "access_denied", "error_description": "denied by the user",
                      "state": pending["state"]}
        return self._send(302, location=f"{back}?{urlencode(params)}")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), LoginSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def pool() -> Iterator[BrowserPool]:
    yield from launched_pool(trace="retain-on-failure")


def login(pool: BrowserPool, site: str, tmp_path: Any, **kwargs: Any) -> tuple[Any, Evidence]:
    evidence = Evidence("test", reports_dir=tmp_path)
    args: dict[str, Any] = {
        "authorize_url": f"{site}/authorize?{urlencode(AUTHORIZE_QUERY)}",
        "redirect_uri": REDIRECT_URI, "identity": IDENTITY, "recipe": RECIPE,
        "otp_fetcher": lambda: OTP, "evidence": evidence, "timeout_s": 15,
        "redactor": Redactor(),
    }
    args.update(kwargs)
    return run_login(pool, **args), evidence


def trace_text(evidence: Evidence) -> str:
    with zipfile.ZipFile(io.BytesIO(evidence.attachments["login-1-trace.zip"])) as zf:
        return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


def test_recipe_runs_and_the_code_is_captured_from_the_redirect(pool, site, tmp_path):
    result, evidence = login(pool, site, tmp_path)
    assert result.code == CODE
    assert (result.state, result.iss, result.error) == ("st-1", "http://issuer.test", None)
    assert result.callback_url.startswith(REDIRECT_URI + "?")
    assert result.entered_on["otp"] == f"{site}/login/otp"  # login_007 goes past this page
    assert [p.removeprefix(site) for p in result.pages_seen[:3]] == [
        "/login/password", "/login/otp", "/login/consent"]
    assert CODE not in repr(result)
    assert evidence.attachments == {}  # successful logins keep no trace


def test_deny_decision_returns_access_denied(pool, site, tmp_path):
    result, _ = login(pool, site, tmp_path, decision="deny")
    assert (result.error, result.code, result.state) == ("access_denied", None, "st-1")
    assert result.error_description == "denied by the user"
    assert result.declined_on == (f"{site}/login/consent",)  # login_006 counts these


def test_a_derived_recipe_goes_past_a_page_to_an_address(pool, site, tmp_path):
    """login_007's detour: this stand-in lets a signer skip the code page, so the login is
    granted, which is exactly what the scenario fails on."""
    recipe = going_past(RECIPE, "otp", f"{site}/login/consent")
    assert LoginStep("goto", pattern=f"{site}/login/consent") in recipe
    result, _ = login(pool, site, tmp_path, recipe=recipe,
                      otp_fetcher=lambda: pytest.fail("the code was asked for"))
    assert result.code == CODE
    assert result.declined_on == () and result.queried == ()
    assert result.entered_on == {"identity.username": f"{site}/login/password",
                                 "identity.password": f"{site}/login/password"}


def test_wrong_otp_override_stops_on_the_alert_and_keeps_a_scrubbed_trace(pool, site, tmp_path):
    result, evidence = login(pool, site, tmp_path, overrides={"otp": "987654"})
    assert result.code is None and result.callback_url is None
    assert "The code is not valid" in result.page_error
    assert set(evidence.attachments) == {"login-1-failure.png", "login-1-page.html",
                                         "login-1-trace.zip"}
    text = trace_text(evidence)
    assert "fill" in text and "One-time code" in text  # the trace still tells the story
    for secret in (PASSWORD, "canary-Pa55word%21", "987654"):
        assert secret not in text


def test_an_untraced_failed_login_keeps_the_masked_screenshot_and_the_scrubbed_page(
        pool, site, tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "trace", "off")
    result, evidence = login(pool, site, tmp_path, overrides={"otp": "987654"})
    assert "The code is not valid" in result.page_error
    assert set(evidence.attachments) == {"login-1-failure.png", "login-1-page.html"}
    page = evidence.attachments["login-1-page.html"].decode()
    assert "The code is not valid" in page
    for secret in (PASSWORD, "canary-Pa55word%21", "987654"):
        assert secret not in page


def test_wrong_password_override_is_refused_in_the_page(pool, site, tmp_path):
    result, evidence = login(pool, site, tmp_path,
                             overrides={"identity.password": "wrong-Pa55word"})
    assert "Invalid username or password" in result.page_error
    assert "wrong-Pa55word" not in trace_text(evidence)


def test_http_error_page_stops_the_login(pool, site, tmp_path):
    result, _ = login(pool, site, tmp_path, authorize_url=f"{site}/nowhere")
    assert result.page_error.startswith("HTTP 400")


def test_missing_element_times_out_with_the_step_named(pool, site, tmp_path):
    recipe = (RECIPE[0], LoginStep("fill", label="No such field", value="literal:x"))
    expected = r"login step 2 \(fill 'No such field'\) of recipe 'password': timed out"
    with pytest.raises(LoginError, match=expected):
        login(pool, site, tmp_path, recipe=recipe, timeout_s=6)


RENAMED = (*RECIPE[:6], LoginStep("click", name="Confirm code"), *RECIPE[7:])


@pytest.fixture
def breaker(pool, tmp_path, monkeypatch) -> LoginBreaker:
    """The pool with a fresh breaker (threshold 2) and a one-second settle time."""
    breaker = LoginBreaker(tmp_path / "breaker", threshold=2)
    monkeypatch.setattr(pool, "breaker", breaker)
    monkeypatch.setattr(pool, "settle_s", 1.0)
    return breaker


def test_a_renamed_button_fails_once_the_page_stood_still_and_lists_its_labels(
        pool, site, tmp_path, breaker):
    with pytest.raises(LoginError) as failed:
        login(pool, site, tmp_path, recipe=RENAMED, timeout_s=60)
    message = str(failed.value)
    assert not isinstance(failed.value, HarnessError)  # counted, not yet the breaker
    assert "login step 7 (click 'Confirm code') of recipe 'password'" in message
    assert "the page stood still for 1 s" in message
    assert 'had: textbox "One-time code", button "Verify"' in message
    assert message.endswith("/evidence/test/login-1-failure.png")
    assert len(breaker.failures(recipe_id("password", RENAMED), breaker_key(7))) == 1


def breaker_key(index: int) -> str:
    return step_id(index, RENAMED[index - 1].action, target_of(RENAMED[index - 1]))


def test_after_two_failures_of_the_step_later_logins_end_there_quoting_the_first(
        pool, site, tmp_path, breaker):
    first_shots = []
    for n in (1, 2):
        with pytest.raises(LoginError) as failed:
            login(pool, site, tmp_path / f"run{n}", recipe=RENAMED, timeout_s=60)
        assert not isinstance(failed.value, LoginCircuitOpen)
        first_shots.append(str(failed.value).rsplit("screenshot: ", 1)[1])
    for n in (3, 4):
        with pytest.raises(LoginCircuitOpen) as opened:
            login(pool, site, tmp_path / f"run{n}", recipe=RENAMED, timeout_s=60)
        message = str(opened.value)
        assert message.startswith("the suite could not establish: login ended by the circuit "
                                  "breaker: login step 7 of recipe 'password' failed 2 times")
        assert f"screenshot: {first_shots[0]}" in message  # the first failure, quoted
        assert 'had: textbox "One-time code", button "Verify"' in message
        assert isinstance(opened.value, HarnessError)
    assert len(breaker.failures(recipe_id("password", RENAMED), breaker_key(7))) == 2


def test_an_open_circuit_lets_a_login_through_when_the_element_is_back(
        pool, site, tmp_path, breaker):
    key = step_id(7, "click", "Verify")
    for _ in range(2):
        breaker.record(recipe_id("password", RECIPE), key,
                       StepFailure("password", 7, "click", "Verify", "timed out"))
    result, _ = login(pool, site, tmp_path)
    assert result.code == CODE


def test_an_open_circuit_still_waits_for_the_requests_a_page_has_in_flight(
        pool, site, tmp_path, breaker):
    recipe = (LoginStep("wait_url", pattern="/login/late"), LoginStep("click", name="Continue"))
    for _ in range(2):
        breaker.record(recipe_id("password", recipe), step_id(2, "click", "Continue"),
                       StepFailure("password", 2, "click", "Continue", "timed out"))
    result, _ = login(pool, site, tmp_path, recipe=recipe, authorize_url=f"{site}/login/late")
    assert (result.error, result.state) == ("invalid_request", "st-3")  # past the step


def test_refusals_shown_by_the_service_never_trip_the_breaker(pool, site, tmp_path, breaker):
    for n in range(3):
        result, _ = login(pool, site, tmp_path / str(n), overrides={"otp": "987654"})
        assert "The code is not valid" in result.page_error
    assert not any(breaker.directory.rglob("*.json"))


@pytest.mark.parametrize("redirect_uri", [REDIRECT_URI, "https://client.invalid/cb"])
def test_an_immediate_error_redirect_ends_the_login(pool, site, tmp_path, redirect_uri):
    query = urlencode({"redirect_uri": redirect_uri, "state": "st-2"})
    result, _ = login(pool, site, tmp_path, authorize_url=f"{site}/authorize-refused?{query}",
                      redirect_uri=redirect_uri)
    assert (result.error, result.state, result.code) == ("invalid_request", "st-2", None)
    assert result.pages_seen == ()


def test_optional_and_conditional_steps_are_skipped(pool, site, tmp_path, monkeypatch):
    monkeypatch.setattr(browser_recipe, "OPTIONAL_WAIT_S", 0.5)
    recipe = (LoginStep("click", name="Accept cookies", optional=True),
              LoginStep("fill", label="Never", value="literal:x", if_url="/elsewhere"), *RECIPE)
    result, _ = login(pool, site, tmp_path, recipe=recipe)
    assert result.code == CODE


def test_an_optional_step_a_quiet_loaded_page_lacks_is_skipped_without_its_full_wait(
        pool, site, tmp_path, monkeypatch):
    """A recipe may name two labels the code field could have; the absent one must not cost
    the whole optional wait (here longer than the login's own time limit)."""
    monkeypatch.setattr(browser_recipe, "OPTIONAL_WAIT_S", 60.0)
    recipe = (*RECIPE[:5], LoginStep("fill", label="SMS code", value="otp", optional=True),
              *RECIPE[5:])
    result, _ = login(pool, site, tmp_path, recipe=recipe, timeout_s=10)
    assert result.code == CODE


def test_an_optional_element_a_page_still_loading_brings_is_waited_for(
        pool, site, tmp_path, monkeypatch):
    """The late page adds its button once a request made after its load is answered (1 s):
    a request in flight means the page is not settled, so the optional step still waits."""
    monkeypatch.setattr(browser_recipe, "OPTIONAL_WAIT_S", 5.0)
    recipe = (LoginStep("wait_url", pattern="/login/late"),
              LoginStep("click", name="Continue", optional=True))
    result, _ = login(pool, site, tmp_path, recipe=recipe, authorize_url=f"{site}/login/late")
    assert (result.error, result.state) == ("invalid_request", "st-3")  # the button was clicked


def test_deny_without_a_consent_step_is_a_usage_error(pool, site, tmp_path):
    with pytest.raises(ValueError, match="deny_name"):
        login(pool, site, tmp_path, recipe=RECIPE[:-1], decision="deny")


def test_browser_crash_raises_and_the_pool_relaunches(pool, site, tmp_path):
    def crash() -> str:
        pool.browser().new_browser_cdp_session().send("Browser.crash")
        return OTP

    launches = pool.launches
    with pytest.raises(BrowserCrashed, match="crashed"):
        login(pool, site, tmp_path, otp_fetcher=crash)
    result, _ = login(pool, site, tmp_path)
    assert result.code == CODE and pool.launches == launches + 1


def test_page_load_measurement(pool, site):
    load = measure_page_load(pool, f"{site}/static")
    assert load.wall_s > 0 and load.load_ms is not None and load.load_ms > 0


def test_missing_browser_is_one_clear_line_at_the_first_launch():
    pool = BrowserPool(executable_path="/nonexistent/chrome")  # no browser needed until a login
    with pytest.raises(BrowserUnavailable, match=r"^browser not found: /nonexistent/chrome$"):
        pool.browser()


def test_a_browser_that_will_not_start_is_one_clear_line():
    pool = BrowserPool(executable_path="/bin/false", launch_timeout_s=10)
    try:
        with pytest.raises(BrowserUnavailable, match=r"^cannot start the browser \(/bin/false\)"
                           ) as info:
            pool.browser()
        assert "\n" not in str(info.value)
    finally:
        pool.close()


def test_scrub_trace_rewrites_text_entries_only():
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as zf:
        zf.writestr("trace.trace", '{"value":"canary-secret","wallTime":1234567}\n'
                                   '{"params":{"password":"x1"}}\n')
        zf.writestr("resources/page.html", "<input value='canary-secret'>")
        zf.writestr("resources/img.jpeg", b"\xff\xd8\xff\xe0canary-secret-binary\x80")
    scrubbed = zipfile.ZipFile(io.BytesIO(scrub_trace(raw.getvalue(), ["canary-secret"],
                                                      Redactor())))
    lines = scrubbed.read("trace.trace").decode().splitlines()
    assert lines[0] == '{"value": "***", "wallTime": 1234567}'
    assert '"x1"' not in lines[1]
    assert "canary-secret" not in scrubbed.read("resources/page.html").decode()
    assert scrubbed.read("resources/img.jpeg").startswith(b"\xff\xd8\xff\xe0")


def test_headless_runs_prefer_debians_headless_shell(monkeypatch):
    present = {SYSTEM_HEADLESS_SHELL, SYSTEM_CHROMIUM}
    monkeypatch.setattr("cscsuite.browser_pool.os.path.isfile", lambda path: path in present)
    assert resolve_executable() == SYSTEM_HEADLESS_SHELL
    assert resolve_executable(headless=False) == SYSTEM_CHROMIUM  # --headed needs the full one
    present.discard(SYSTEM_HEADLESS_SHELL)
    assert resolve_executable() == SYSTEM_CHROMIUM
    present.clear()
    assert resolve_executable() is None  # Playwright's own
