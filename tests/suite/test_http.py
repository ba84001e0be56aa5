"""ApiClient: wire format, evidence recording, no redirects, unreachable targets, token learning."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from cscsuite.evidence import Evidence
from cscsuite.http import ApiClient, TargetUnreachable, fetch_client, make_http_client
from cscsuite.redact import Redactor

Handler = Callable[[httpx.Request], httpx.Response]


def client_for(handler: Handler, tmp_path: Path) -> tuple[ApiClient, Evidence, Redactor]:
    redactor = Redactor()
    evidence = Evidence("t::x", tmp_path, redactor=redactor)
    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=False)
    return ApiClient(http, evidence, timeout_s=3, redactor=redactor), evidence, redactor


def test_post_json_sends_body_and_token(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(400, json={"error": "invalid_request"})

    api, evidence, _ = client_for(handler, tmp_path)
    resp = api.post_json("https://csc.example/csc/v2/signatures/signHash",
                         {"credentialID": "c1"}, token="tok-abcdef", token_type="SAD")
    assert json.loads(seen[0].content) == {"credentialID": "c1"}
    assert seen[0].headers["authorization"] == "SAD tok-abcdef"
    assert seen[0].headers["content-type"] == "application/json"
    assert (resp.status, resp.error, resp.exchange_id) == (400, "invalid_request", 1)
    assert evidence.exchanges[0].response_body == {"error": "invalid_request"}


def test_raw_body_is_sent_verbatim(tmp_path: Path) -> None:
    seen: list[bytes] = []
    api, _, _ = client_for(lambda r: (seen.append(r.content), httpx.Response(200))[1], tmp_path)
    resp = api.post_json("https://csc.example/csc/v1/info", None, raw_body=b"{not json")
    assert seen == [b"{not json"] and resp.body is None


def test_post_form_with_basic_auth_and_duplicates(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "at-learned-1", "token_type": "Bearer"})

    api, evidence, redactor = client_for(handler, tmp_path)
    api.post_form("https://as.example/oauth2/token",
                  [("grant_type", "authorization_code"), ("scope", "a"), ("scope", "b")],
                  basic_auth=("client", "client-secret-9"))
    assert seen[0].content == b"grant_type=authorization_code&scope=a&scope=b"
    assert seen[0].headers["authorization"].startswith("Basic ")
    assert redactor.known("at-learned-1") and redactor.known("client-secret-9")
    written = (evidence.write() / "exchanges.json").read_text()
    assert "at-learned-1" not in written and seen[0].headers["authorization"] not in written


def test_redirects_are_not_followed_and_code_is_learned(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://client/cb?code=c0de42&state=s"})

    api, _, redactor = client_for(handler, tmp_path)
    resp = api.get("https://as.example/oauth2/authorize", params={"client_id": "c"})
    assert resp.status == 302 and resp.headers["location"].startswith("https://client/cb")
    assert resp.url == "https://as.example/oauth2/authorize?client_id=c"
    assert redactor.known("c0de42")


def test_transport_error_is_target_unreachable_and_recorded(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    api, evidence, _ = client_for(handler, tmp_path)
    with pytest.raises(TargetUnreachable) as err:
        api.get("https://down.example/csc/v2/info")
    assert err.value.url == "https://down.example/csc/v2/info"
    assert "ConnectTimeout" in str(err.value)
    assert evidence.exchanges[0].error and evidence.exchanges[0].status is None


def test_refused_port_on_loopback(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = ApiClient(make_http_client(2, 1), None)
    with pytest.raises(TargetUnreachable, match=f"127.0.0.1:{port}"):
        api.post_json(f"http://127.0.0.1:{port}/csc/v1/info", {})


def test_bind_shares_the_pool_but_not_the_evidence(tmp_path: Path) -> None:
    api, first, _ = client_for(lambda r: httpx.Response(204), tmp_path)
    other = Evidence("t::other", tmp_path)
    api.bind(other).get("https://x.example/")
    assert not first.exchanges and len(other.exchanges) == 1


def test_fetches_outside_the_api_share_one_client_with_httpx_defaults() -> None:
    client = fetch_client()
    assert fetch_client() is client
    assert not client.follow_redirects
    assert client.timeout == httpx.Client().timeout
