"""A canned CSC service (httpx MockTransport) and a driver over it, for the service- and
credential-authorization tests: every request is kept, so a test asserts what went on the wire."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from cscsuite.adapters import make_adapter
from cscsuite.discovery import AsEndpoints, ServiceInfo
from cscsuite.driver import ServiceTokens
from cscsuite.driver_signing import SigningDriver
from cscsuite.evidence import Evidence
from cscsuite.http import ApiClient
from cscsuite.profile import load_profile
from cscsuite.target import Target
from cscsuite.world import World

BASE = "https://rssp.example"
TOKEN_URL = f"{BASE}/as/token"


@dataclass
class CannedService:
    """Answers like a small CSC service; ``requests`` holds what it was asked."""

    requests: list[httpx.Request] = field(default_factory=list)
    otp: str = "987654"
    sent: int = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        handler = getattr(self, "_" + path.rsplit("/", 1)[-1].replace("-", "_"), None)
        if handler is None:
            return httpx.Response(404, json={"error": "not_found"})
        return handler(request)  # type: ignore[no-any-return]

    def body(self, request: httpx.Request) -> dict[str, Any]:
        return json.loads(request.content or b"{}")  # type: ignore[no-any-return]

    def _login(self, request: httpx.Request) -> httpx.Response:
        body = self.body(request)
        if body.get("refresh_token") == "rt-1":
            return httpx.Response(200, json={"access_token": "login-2", "expires_in": 600})
        auth = request.headers.get("authorization", "")
        if auth.startswith("Digest "):
            return httpx.Response(200, json={"access_token": "digest-1"})
        if not auth.startswith("Basic "):
            return httpx.Response(401, headers={"WWW-Authenticate": 'Digest realm="csc", '
                                                'nonce="abc", qop="auth"'},
                                  json={"error": "invalid_request"})
        if base64.b64decode(auth[6:]).decode() != "alice:alice-password":
            return httpx.Response(400, json={"error": "authentication_error"})
        answer: dict[str, Any] = {"access_token": "login-1", "expires_in": 600}
        if body.get("rememberMe"):
            answer["refresh_token"] = "rt-1"
        return httpx.Response(200, json=answer)

    def _revoke(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(204)

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = dict(parse_qsl(request.content.decode()))
        if form.get("grant_type") != "client_credentials":
            return httpx.Response(400, json={"error": "unsupported_grant_type"})
        return httpx.Response(200, json={"access_token": "cc-1", "token_type": "Bearer",
                                         "expires_in": 300})

    def _list(self, request: httpx.Request) -> httpx.Response:
        if "authorization" not in request.headers:
            return httpx.Response(401, json={"error": "invalid_token"})
        return httpx.Response(200, json={"credentialIDs": ["c1"]})

    def _sendOTP(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        self.otp = f"{111111 * self.sent:06d}"[-6:]
        return httpx.Response(204)

    def _sms(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"user": "alice", "code": self.otp})

    def _authorize(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"SAD": "sad-1", "expiresIn": 300})

    def last(self, suffix: str) -> httpx.Request:
        return [r for r in self.requests if r.url.path.endswith(suffix)][-1]


PROFILE = """
name = "canned"
base_url = "https://rssp.example"
api_versions = ["v1", "v2"]
{extra}
[identities.signer]
user_id = "alice"
values = {{ username = "alice", password = "alice-password", pin = "1234", \
credential_otp = "123456" }}
otp = {{ kind = "http", url = "{{base_url}}/_sandbox/sms?user={{username}}", field = "code" }}
[identities.signer.credentials]
online_otp = "online-1"
"""

CLIENT = """
[clients.main]
client_id = "app"
secret = "app-secret"
redirect_uri = "https://client.example/callback"
"""


def canned_driver(tmp_path: Path, *, auth_types: tuple[str, ...], extra: str = "",
                  version: str = "v1", oauth: bool = False,
                  env: dict[str, str] | None = None) -> tuple[SigningDriver, CannedService]:
    """A driver whose service is a ``CannedService`` and whose profile is ``PROFILE``."""
    path = tmp_path / "canned.toml"
    path.write_text(PROFILE.format(extra=extra), encoding="utf-8")
    profile = load_profile(str(path), tmp_path, env=env or {})
    service = CannedService()
    evidence = Evidence("canned", tmp_path)
    http = ApiClient(httpx.Client(transport=httpx.MockTransport(service)), evidence)
    api = make_adapter(version, http, BASE)
    endpoints = AsEndpoints(f"{BASE}/as/authorize", TOKEN_URL, None, None) if oauth else None
    target = Target(base_url=BASE, info={version: ServiceInfo(version, auth_types=auth_types)},
                    endpoints={version: endpoints}, trust_anchors=())
    world = World(api=api, profile=profile, evidence=evidence)
    return SigningDriver(world, target, None, ServiceTokens()), service  # type: ignore[arg-type]
