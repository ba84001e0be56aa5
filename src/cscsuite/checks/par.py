"""Checks on pushed authorization requests (RFC 9126; spec-notes §10 items 65-72)."""

from __future__ import annotations

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect, should
from cscsuite.checks.errors import shown

URN_PREFIX = "urn:ietf:params:oauth:request_uri:"


@clause("RFC9126-2.2", "A successful push is answered 201 with request_uri and a positive "
        "expires_in")
def check_pushed(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 201, "HTTP 201", shown(resp), evidence,
           requirement="A successful push is answered 201 Created")
    uri = resp.field("request_uri")
    expect(isinstance(uri, str) and bool(uri), "a non-empty string", repr(type(uri).__name__),
           evidence, requirement="The answer carries request_uri")
    exp = resp.field("expires_in")
    expect(isinstance(exp, int) and not isinstance(exp, bool) and exp > 0, "a positive integer",
           repr(exp), evidence, requirement="expires_in is a positive integer")


@should
@clause("RFC9126-2.2", "request_uri uses the urn:ietf:params:oauth:request_uri: namespace")
def check_request_uri_urn(resp: ApiResponse, *, evidence: str | None = None) -> None:
    uri = resp.field("request_uri")
    expect(isinstance(uri, str) and uri.startswith(URN_PREFIX), f"{URN_PREFIX}<reference>",
           "another form" if isinstance(uri, str) else repr(uri), evidence,
           requirement="request_uri uses the IETF URN namespace")
