"""A worker's logins share one browser context, wiped clean between them.

The stand-in authorization server below remembers a login the way real ones do: a session cookie
(single sign-on: the next authorization request skips the password page) and values in local
storage, session storage and IndexedDB, which its page reports back. A wiped context must look
like a fresh one to it: every login shows the password page and finds no stored value.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser_pools import launched_pool
from playwright.sync_api import Error as PlaywrightError

from cscsuite.browser import BrowserPool, LoginError, run_login
from cscsuite.profile_types import Identity, LoginStep
from cscsuite.redact import Redactor

REDIRECT_URI = "http://127.0.0.1:9/callback"
RECIPE = (
    LoginStep("wait_url", pattern="/login/password"),
    LoginStep("check_text", text="Ready"),  # the page has reported what it found
    LoginStep("fill", label="Username", value="identity.username"),
    LoginStep("click", role="button", name="Sign in"),
)
IDENTITY = Identity(name="signer", login="password", values={"username": "alice"}, otp=None,
                    credentials={})
#: Reports what the browser kept from an earlier visit, then stores it for the next one.
PASSWORD_PAGE = b"""<!doctype html><title>Sign in</title>
<form method="post"><label for="u">Username</label><input id="u" name="username">
<button>Sign in</button></form><p id="r"></p>
<script>
const kept = [];
if (localStorage.getItem('ls')) kept.push('local');
if (sessionStorage.getItem('ss')) kept.push('session');
localStorage.setItem('ls', '1'); sessionStorage.setItem('ss', '1');
const open = indexedDB.open('as-db', 1);
open.onupgradeneeded = () => open.result.createObjectStore('s');
open.onsuccess = () => {
  const db = open.result, tx = db.transaction('s', 'readwrite'), store = tx.objectStore('s');
  const get = store.get('k');
  get.onsuccess = () => {
    if (get.result) kept.push('indexeddb');
    store.put('1', 'k');
    tx.oncomplete = () => fetch('/kept?what=' + kept.join(','))
      .then(() => { document.getElementById('r').textContent = 'Ready'; });
  };
};
</script>"""


class SsoSite(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _back(self, code: str) -> str:
        state = self.server.state  # type: ignore[attr-defined]
        return f"{REDIRECT_URI}?{urlencode({'code': code, 'state': state})}"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path == "/authorize":
            self.server.state = query["state"]  # type: ignore[attr-defined]
            if "sso=alice" in self.headers.get("Cookie", ""):
                return self._send(302, headers={"Location": self._back("code-by-sso")})
            return self._send(302, headers={"Location": "/login/password"})
        if url.path == "/login/password":
            return self._send(200, PASSWORD_PAGE)
        if url.path == "/kept":
            self.server.kept.append(query["what"])  # type: ignore[attr-defined]
            return self._send(200, b"ok")
        return self._send(404)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._send(302, headers={"Location": self._back("code-by-password"),
                                 "Set-Cookie": "sso=alice; Path=/; HttpOnly"})


@pytest.fixture
def site() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SsoSite)
    server.kept = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def warm_pool() -> Iterator[BrowserPool]:
    yield from launched_pool()


@pytest.fixture
def fresh_pool() -> Iterator[BrowserPool]:
    yield from launched_pool(reuse_contexts=False)


def login(pool: BrowserPool, server: ThreadingHTTPServer, n: int, **kwargs: Any) -> Any:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    query = urlencode({"redirect_uri": REDIRECT_URI, "state": f"st-{n}"})
    args: dict[str, Any] = {"authorize_url": f"{base}/authorize?{query}",
                            "redirect_uri": REDIRECT_URI, "identity": IDENTITY,
                            "recipe": RECIPE, "otp_fetcher": None, "evidence": None,
                            "timeout_s": 15, "redactor": Redactor()}
    args.update(kwargs)
    return run_login(pool, **args)


def test_without_the_wipe_the_site_sees_the_earlier_visit(site, warm_pool):
    """The control: what the wipe removes, the site would see (stored values, single sign-on)."""
    assert login(warm_pool, site, 1).code == "code-by-password"
    page = warm_pool.browser().contexts[0].pages[0]
    base = f"http://127.0.0.1:{site.server_address[1]}"
    for _ in range(2):  # two visits, no wipe between them
        page.goto(f"{base}/login/password")
        # "Ready" appears once the site has answered the report, so it has recorded it; a
        # request merely sent may not be recorded yet.
        page.locator("#r", has_text="Ready").wait_for(timeout=15_000)
    assert site.kept[-2:] == ["", "local,session,indexeddb"]
    page.context.add_cookies([{"name": "sso", "value": "alice", "url": base}])
    query = urlencode({"redirect_uri": REDIRECT_URI, "state": "st-x"})
    with page.expect_request(lambda r: r.url.startswith(REDIRECT_URI)) as sso:
        try:
            page.goto(f"{base}/authorize?{query}", wait_until="commit")
        except PlaywrightError:
            pass  # Chromium refuses the redirect's port 9, after the request was seen
    assert "code=code-by-sso" in sso.value.url


def test_every_login_of_a_warm_context_starts_from_a_clean_slate(site, warm_pool):
    results = [login(warm_pool, site, n) for n in range(3)]
    assert [r.code for r in results] == ["code-by-password"] * 3
    assert all(r.pages_seen and r.pages_seen[0].endswith("/login/password") for r in results)
    assert site.kept == ["", "", ""]  # no local/session storage or IndexedDB survived
    assert len(warm_pool.browser().contexts) == 1  # one context served all three


def test_a_login_that_failed_leaves_no_context_behind(site, warm_pool):
    login(warm_pool, site, 1)
    broken = (*RECIPE[:3], LoginStep("click", role="button", name="No such button"))
    with pytest.raises(LoginError):
        login(warm_pool, site, 2, recipe=broken, timeout_s=2)
    assert warm_pool.browser().contexts == []  # its page may still be busy: closed
    assert login(warm_pool, site, 3).code == "code-by-password"


def test_fresh_login_contexts_are_closed_after_each_login(site, fresh_pool):
    assert [login(fresh_pool, site, n).code for n in range(2)] == ["code-by-password"] * 2
    assert fresh_pool.browser().contexts == []
    assert site.kept == ["", ""]


class Client(BaseHTTPRequestHandler):
    """A client's redirect endpoint that counts the browser's visits."""

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits += 1  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def client() -> Iterator[tuple[ThreadingHTTPServer, str]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Client)
    server.hits = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/callback"
    server.shutdown()
    server.server_close()


def test_a_warm_page_answers_the_redirect_itself_and_stays_with_the_as(site, warm_pool, client,
                                                                       monkeypatch):
    server, redirect_uri = client
    monkeypatch.setattr(f"{__name__}.REDIRECT_URI", redirect_uri)
    assert [login(warm_pool, site, n, redirect_uri=redirect_uri).code for n in range(2)] == [
        "code-by-password"] * 2
    page = warm_pool.browser().contexts[0].pages[0]
    assert server.hits == 0  # the redirect never reached the client (no page, no process)
    assert page.url.startswith(f"http://127.0.0.1:{site.server_address[1]}/")


def test_control_a_fresh_context_follows_the_redirect_to_the_client(site, fresh_pool, client,
                                                                    monkeypatch):
    server, redirect_uri = client
    monkeypatch.setattr(f"{__name__}.REDIRECT_URI", redirect_uri)
    assert login(fresh_pool, site, 1, redirect_uri=redirect_uri).code == "code-by-password"
    deadline = time.monotonic() + 5
    while server.hits == 0 and time.monotonic() < deadline:  # the hop may land after the login
        time.sleep(0.05)
    assert server.hits >= 1
