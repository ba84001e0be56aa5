"""``ApiClient``: the suite's only way onto the wire.

One shared ``httpx.Client`` per worker (connection reuse); an ``ApiClient`` binds it to the
current test's evidence. Requests never follow redirects (the Location header is evidence), every
exchange is recorded, and token-like values in answers are taught to the redactor at once.
"""

from __future__ import annotations

import functools
import json
import ssl
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from cscsuite.adapters.base import ApiResponse
from cscsuite.evidence import Evidence
from cscsuite.redact import REDACTOR, Redactor

#: Response fields whose values are tokens (learned by the redactor as soon as they arrive).
TOKEN_FIELDS = ("access_token", "refresh_token", "id_token", "SAD", "code")

FormData = Mapping[str, str] | Sequence[tuple[str, str]]


class TargetUnreachable(Exception):
    """The target did not answer at the transport level (refused, timed out, TLS failure)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"target unreachable: {url} ({reason})")
        self.url = url
        self.reason = reason


def make_http_client(timeout_s: float = 15.0, connect_s: float = 5.0,
                     verify: bool | str = True,
                     cert: tuple[str, str] | None = None) -> httpx.Client:
    """The shared client: no redirects followed, bounded timeouts; ``cert`` (certificate and
    key files) authenticates every TLS connection (CSC authType ``TLS``)."""
    tls: bool | ssl.SSLContext = verify if isinstance(verify, bool) else \
        ssl.create_default_context(cafile=verify)
    if cert is not None:
        tls = tls if isinstance(tls, ssl.SSLContext) else ssl.create_default_context()
        if verify is False:
            tls.check_hostname, tls.verify_mode = False, ssl.CERT_NONE
        tls.load_cert_chain(*cert)
    return httpx.Client(follow_redirects=False, verify=tls,
                        timeout=httpx.Timeout(timeout_s, connect=connect_s))


@functools.cache
def fetch_client() -> httpx.Client:
    """The client of the worker's fetches outside the API (CRLs, OCSP, CA certificates, a TSA
    over HTTP), with ``httpx.request``'s defaults. A client per fetch would load the CA bundle
    into a new TLS context each time: about 45 ms of CPU, some 3 s of a serial run."""
    return httpx.Client()


class ApiClient:
    """HTTP calls that return ``ApiResponse`` and leave a record in the evidence."""

    def __init__(self, client: httpx.Client, evidence: Evidence | None = None, *,
                 timeout_s: float | None = None, redactor: Redactor = REDACTOR) -> None:
        self.client = client
        self.evidence = evidence
        self.timeout_s = timeout_s
        self.redactor = redactor

    def bind(self, evidence: Evidence | None) -> ApiClient:
        """The same connection pool, recording into another test's evidence."""
        return ApiClient(self.client, evidence, timeout_s=self.timeout_s, redactor=self.redactor)

    def post_json(self, url: str, body: Any, *, token: str | None = None,
                  token_type: str = "Bearer", headers: Mapping[str, str] | None = None,
                  raw_body: bytes | str | None = None,
                  auth: httpx.Auth | None = None) -> ApiResponse:
        """POST JSON; ``raw_body`` sends bytes verbatim (malformed-input tests); ``auth``
        answers the server's challenge (HTTP Basic or Digest, CSC1 §11.2 auth/login)."""
        hdrs = {"Content-Type": "application/json", "Accept": "application/json"}
        if token is not None:
            self.redactor.add(token)
            hdrs["Authorization"] = f"{token_type} {token}"
        hdrs.update(headers or {})
        content = raw_body if raw_body is not None else json.dumps(body).encode()
        return self.request("POST", url, headers=hdrs, content=content, auth=auth)

    def post_form(self, url: str, data: FormData, *, basic_auth: tuple[str, str] | None = None,
                  headers: Mapping[str, str] | None = None) -> ApiResponse:
        """POST application/x-www-form-urlencoded (OAuth endpoints); pairs keep duplicates."""
        hdrs = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        hdrs.update(headers or {})
        pairs: list[tuple[str, Any]] = list(data.items() if isinstance(data, Mapping) else data)
        content = str(httpx.QueryParams(pairs)).encode()
        auth = None
        if basic_auth is not None:
            self.redactor.add(basic_auth[1])
            auth = httpx.BasicAuth(*basic_auth)
        return self.request("POST", url, headers=hdrs, content=content, auth=auth)

    def get(self, url: str, *, params: FormData | None = None,
            headers: Mapping[str, str] | None = None) -> ApiResponse:
        return self.request("GET", url, params=params, headers=headers)

    def request(self, method: str, url: str, *, headers: Mapping[str, str] | None = None,
                content: bytes | str | None = None, params: FormData | None = None,
                auth: httpx.Auth | None = None) -> ApiResponse:
        """Send one request; transport failures become ``TargetUnreachable``."""
        query = None if params is None else httpx.QueryParams(
            list(params.items()) if isinstance(params, Mapping) else list(params))
        request = self.client.build_request(method, url, headers=dict(headers or {}),
                                            content=content, params=query,
                                            timeout=self._timeout())
        flow = auth.sync_auth_flow(request) if auth is not None else None
        if flow is not None:
            request = next(flow)
        response, ex_id = self._send(request)
        while flow is not None:  # a challenge-response scheme (Digest) asks again
            try:
                request = flow.send(response)
            except StopIteration:
                break
            response, ex_id = self._send(request)
        return self._to_api_response(response, ex_id)

    def _send(self, request: httpx.Request) -> tuple[httpx.Response, int | None]:
        started = time.monotonic()
        try:
            response = self.client.send(request, follow_redirects=False)
        except httpx.TransportError as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            self._record(request, None, time.monotonic() - started, reason)
            raise TargetUnreachable(str(request.url), reason) from exc
        return response, self._record(request, response, time.monotonic() - started, None)

    def _timeout(self) -> httpx.Timeout | None:
        if self.timeout_s is None:
            return None
        return httpx.Timeout(self.timeout_s, connect=min(self.timeout_s, 5.0))

    def _to_api_response(self, response: httpx.Response, ex_id: int | None) -> ApiResponse:
        body = _parse_json(response.content)
        return ApiResponse(status=response.status_code, headers=dict(response.headers),
                           body=body, text=response.text, url=str(response.request.url),
                           exchange_id=ex_id)

    def _learn_tokens(self, body: Any, location: str | None) -> None:
        if isinstance(body, dict):
            self.redactor.add(*(body.get(name) for name in TOKEN_FIELDS))
        if location:
            query = dict(parse_qsl(urlsplit(location).query))
            self.redactor.add(query.get("code"))

    def _record(self, request: httpx.Request, response: httpx.Response | None,
                elapsed_s: float, error: str | None) -> int | None:
        if response is not None:
            # Learn before recording, so nothing recorded outlives its redaction.
            self._learn_tokens(_parse_json(response.content), response.headers.get("location"))
        if self.evidence is None:
            return None
        return self.evidence.record_exchange(
            method=request.method, url=str(request.url), request_headers=dict(request.headers),
            request_body=request.content,
            status=None if response is None else response.status_code,
            response_headers={} if response is None else dict(response.headers),
            response_body=None if response is None else response.content,
            elapsed_s=elapsed_s, error=error)


def _parse_json(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None
