"""The real login pages in Chromium (Playwright, sync API), against a sandbox subprocess.

Each login runs in a fresh browser context; the redirect to the client is captured with
``context.route`` on the redirect URI. The page HTML and the server's log output (DEBUG level)
are checked for passwords, one-time codes, client secrets and tokens after every login.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from .flows import CLIENT_ID, SECRET, SHA256, Pkce, b64url, digest

sync_api = pytest.importorskip("playwright.sync_api")

REDIRECT = "http://127.0.0.1:9/callback"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass
class Sandbox:
    base_url: str
    log_path: Path
    secrets: set[str] = field(default_factory=set)

    def log_text(self) -> str:
        return self.log_path.read_text("utf-8", "replace")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """``python -m cscsandbox`` at DEBUG log level, output captured in a file."""
    tmp = tmp_path_factory.mktemp("browser")
    ready, log_path = tmp / "ready.txt", tmp / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cscsandbox", "--port", "0", "--ready-file", str(ready),
             "--db", str(tmp / "sandbox.db"), "--log-level", "DEBUG"],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), log_path.read_text()
        yield Sandbox(ready.read_text().strip(), log_path)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        options: dict[str, Any] = {"headless": True, "args": ARGS}
        if shutil.which(CHROMIUM):
            options["executable_path"] = CHROMIUM
        instance = playwright.chromium.launch(**options)
        yield instance
        instance.close()


@dataclass
class Login:
    """One browser login: a fresh context whose redirect to the client is captured."""

    sandbox: Sandbox
    context: Any
    redirects: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        def capture(route: Any) -> None:
            self.redirects.append(route.request.url)
            route.fulfill(status=200, body="client callback")

        self.context.route(re.compile(re.escape(REDIRECT) + r".*"), capture)
        self.page = self.context.new_page()

    def open(self, **params: str) -> None:
        query = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT,
                 "state": "browser-state", **params}
        self.page.goto(f"{self.sandbox.base_url}/realms/sandbox/oauth2/authorize?"
                       + urlencode(query))

    def snapshot(self) -> None:
        self.pages.append(self.page.content())

    def result(self) -> dict[str, str]:
        self.page.wait_for_url(re.compile(re.escape(REDIRECT) + r".*"), timeout=10_000)
        assert len(self.redirects) == 1
        return {k: v[0] for k, v in parse_qs(urlsplit(self.redirects[0]).query).items()}


@pytest.fixture
def login(browser: Any, sandbox: Sandbox) -> Iterator[Login]:
    """A fresh context per login; afterwards the server's DEBUG log must hold no secret."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield Login(sandbox, context)
    context.close()
    log = sandbox.log_text()
    assert "cscsandbox ready" in log  # the log file is the server's real output
    for secret in (*sandbox.secrets, "alice-password", "bob-password", SECRET):
        assert secret not in log


def sms_code(sandbox: Sandbox, user: str) -> str:
    code: str = httpx.get(f"{sandbox.base_url}/_sandbox/sms", params={"user": user}).json()["code"]
    sandbox.secrets.add(code)
    return code


def token(sandbox: Sandbox, code: str, verifier: str) -> dict[str, Any]:
    response = httpx.post(f"{sandbox.base_url}/realms/sandbox/oauth2/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "code_verifier": verifier}, auth=(CLIENT_ID, SECRET))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    sandbox.secrets.update({code, verifier, body["access_token"]})
    return body


def test_password_sms_and_consent_in_the_browser(login: Login) -> None:
    pkce = Pkce.new()
    details = [{"type": "credential", "credentialID": "alice-rsa2048-multi",
                "documentDigests": [{"hash": b64url(digest("b1")), "label": "Lease.pdf"}],
                "hashAlgorithmOID": SHA256}]
    login.open(authorization_details=json.dumps(details), **pkce.params(),
               clientData='{"clientTransactionId":"tx-browser"}')
    page = login.page
    expect = sync_api.expect
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password")
    login.snapshot()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/login/otp$"))
    page.get_by_label("One-time code").fill(sms_code(login.sandbox, "alice"))
    login.snapshot()
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r".*/login/consent$"))
    expect(page.get_by_text("alice-rsa2048-multi")).to_be_visible()
    expect(page.get_by_text("Lease.pdf")).to_be_visible()
    login.snapshot()
    page.get_by_role("button", name="Approve").click()
    result = login.result()
    assert result["state"] == "browser-state"
    body = token(login.sandbox, result["code"], pkce.verifier)
    assert body["authorization_details"][0]["documentDigests"][0]["label"] == "Lease.pdf"
    for html in login.pages:
        assert "alice-password" not in html and SECRET not in html
        assert not any(secret in html for secret in login.sandbox.secrets)


def test_wrong_code_shows_an_alert_and_cancel_denies(login: Login) -> None:
    login.open(scope="service")
    page = login.page
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("alice-password")
    page.get_by_role("button", name="Sign in").click()
    sms_code(login.sandbox, "alice")
    page.get_by_label("One-time code").fill("999999x")
    page.get_by_role("button", name="Verify").click()
    sync_api.expect(page.get_by_role("alert")).to_be_visible()
    assert "999999x" not in page.content()
    page.get_by_role("button", name="Cancel").click()
    assert login.result()["error"] == "access_denied"


def test_eid_test_identity_in_the_browser(login: Login) -> None:
    pkce = Pkce.new()
    login.open(scope="credential", credentialID="bob-rsa2048", numSignatures="1",
               hashes=b64url(digest("e1")), hashAlgorithmOID=SHA256, **pkce.params(),
               clientData='{"amr_hint":"eid"}')
    page = login.page
    page.wait_for_url(re.compile(r".*/login/eid$"))
    page.get_by_label("Test identity").select_option("german-eid-xxxschmidt")
    login.snapshot()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Approve").click()
    body = token(login.sandbox, login.result()["code"], pkce.verifier)
    assert body["token_type"] == "Bearer"


def test_eid_link_from_the_password_page(login: Login) -> None:
    login.open(scope="service")
    login.page.get_by_role("link", name="Sign in with eID").click()
    # by its label, as targets/sandbox.toml's eID recipe selects it
    login.page.get_by_label("Test identity").select_option("XXXMüller Alice (ID Austria)")
    login.page.get_by_role("button", name="Continue").click()
    login.page.get_by_role("button", name="Approve").click()
    assert "code" in login.result()
