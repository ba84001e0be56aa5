"""Checks on pushed authorization requests (RFC 9126; spec-notes §10 items 65-72)."""

from __future__ import annotations

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect, should
from cscsuite.checks.errors import shown

URN_PREFIX = "urn:ietf:params:oauth:request_uri:"


@clause("RFC9126-2.2", "A successful push is answered 201 with request_uri and a positive "
        "expires_in")
def check_pushed(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 201, "RFC9126-2.2", "A successful push is answered 201 Created",
           "HTTP 201", shown(resp), evidence)
    uri = resp.field("request_uri")
    expect(isinstance(uri, str) and bool(uri), "RFC9126-2.2", "The answer carries request_uri",
           "a non-empty string", repr(type(uri).__name__), evidence)
    exp = resp.field("expires_in")
    expect(isinstance(exp, int) and not isinstance(exp, bool) and exp > 0, "RFC9126-2.2",
           "expires_in is a positive integer", "a positive integer", repr(exp), evidence)


@should
@clause("RFC9126-2.2", "request_uri uses the urn:ietf:params:oauth:request_uri: namespace")
def check_request_uri_urn(resp: ApiResponse, *, evidence: str | None = None) -> None:
    uri = resp.field("request_uri")
    expect(isinstance(uri, str) and uri.startswith(URN_PREFIX), "RFC9126-2.2",
           "request_uri uses the IETF URN namespace", f"{URN_PREFIX}<reference>",
           "another form" if isinstance(uri, str) else repr(uri), evidence)
