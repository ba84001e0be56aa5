"""The signHash WSGI shortcut answers exactly as the Flask route, and state changes are seen.

The shortcut (``cscsandbox.csc.shortcut``) skips Flask for successful signHash requests; every
other request must reach Flask untouched. Token state is never cached: a revocation or a used-up
SAD takes effect on the very next request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client

from cscsandbox import audit, tokens
from cscsandbox.csc.shortcut import SignHashShortcut

from .conftest import mint
from .helpers import assert_error, digest, sign_body

SHA256_RSA = "1.2.840.113549.1.1.11"


class CountingApp:
    """Wraps the Flask WSGI callable behind the shortcut and counts the requests it gets."""

    def __init__(self, wrapped: Callable[..., Iterable[bytes]]) -> None:
        self.wrapped = wrapped
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.calls += 1
        return self.wrapped(environ, start_response)


@pytest.fixture
def flask_path(app: Flask) -> CountingApp:
    shortcut = app.wsgi_app
    assert isinstance(shortcut, SignHashShortcut)
    counting = CountingApp(shortcut.wrapped)
    shortcut.wrapped = counting
    return counting


def _request(version: str, sad: str | None, **extra: Any) -> dict[str, Any]:
    body = sign_body(version, "alice-rsa2048", sad, [digest(b"same")], SHA256_RSA, **extra)
    return {"json": body, "headers": {"Authorization": f"Bearer {mint()}"}}


def _sad(**kw: Any) -> str:
    kw.setdefault("num_signatures", 1)
    return mint(scope="credential", credential_id="alice-rsa2048", **kw)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_success_is_byte_identical_to_the_flask_route(
    app: Flask, flask_path: CountingApp, version: str
) -> None:
    """PKCS#1 v1.5 is deterministic, so both paths must give the very same bytes."""
    url = f"/csc/{version}/signatures/signHash"
    fast = app.test_client().post(url, **_request(version, _sad()))
    assert flask_path.calls == 0  # answered by the shortcut
    slow = Client(flask_path.wrapped).post(url, **_request(version, _sad()))
    assert (fast.status, fast.get_data()) == (slow.status, slow.get_data())
    assert sorted(fast.headers.items()) == sorted(slow.headers.items())
    assert fast.status_code == 200 and len(fast.json["signatures"]) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"content_type": "text/plain"},
        {"data": b"[1]", "content_type": "application/json"},
        {"data": b"{not json", "content_type": "application/json"},
        {"data": b"", "content_type": "application/json"},
        {"method": "GET"},
    ],
)
def test_unusual_requests_reach_flask(app: Flask, flask_path: CountingApp, change: Any) -> None:
    request, change = _request("v2", _sad()), dict(change)
    method = change.pop("method", "POST")
    if "data" in change or "content_type" in change:
        request["data"] = json.dumps(request.pop("json")).encode()
        request.update(change)
    answer = app.test_client().open("/csc/v2/signatures/signHash", method=method, **request)
    assert flask_path.calls == 1
    assert answer.status_code in (400, 405) and "error" in answer.json


def test_steps_aside_when_flask_features_would_be_skipped(
    app: Flask, flask_path: CountingApp
) -> None:
    seen: list[str] = []

    @app.before_request
    def hook() -> None:
        seen.append("hook")

    answer = app.test_client().post("/csc/v2/signatures/signHash", **_request("v2", _sad()))
    assert answer.status_code == 200 and seen == ["hook"] and flask_path.calls == 1


def test_errors_are_flasks_and_leave_no_trace(app: Flask, flask_path: CountingApp) -> None:
    client = app.test_client()
    sad = _sad(transaction_id="tx-refused")
    answer = client.post("/csc/v2/signatures/signHash", **_request("v2", sad, signAlgo="1.2.3"))
    assert flask_path.calls == 1
    assert_error(answer, 400, "invalid_request", "Invalid parameter signAlgo")
    record = tokens.lookup(sad)
    assert record is not None and record.signatures_used == 0
    assert audit.query("tx-refused") == []


def test_revocation_and_use_up_are_seen_on_the_next_request(app: Flask) -> None:
    client = app.test_client()
    url = "/csc/v2/signatures/signHash"
    sad = _sad(num_signatures=3, transaction_id="tx-seen")
    assert client.post(url, **_request("v2", sad)).status_code == 200
    tokens.revoke(sad)
    assert_error(client.post(url, **_request("v2", sad)), 400, "invalid_request")
    used_up = _sad(num_signatures=1)
    assert client.post(url, **_request("v2", used_up)).status_code == 200
    assert_error(client.post(url, **_request("v2", used_up)), 400, "invalid_request")
    service = mint()
    headers = {"Authorization": f"Bearer {service}"}
    body = _request("v2", _sad())["json"]
    tokens.revoke(service)
    assert_error(client.post(url, json=body, headers=headers), 401, "invalid_token")
    assert [e["event"] for e in audit.query("tx-seen")] == ["signatures/signHash"]
