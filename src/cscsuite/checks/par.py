"""Checks on pushed authorization requests (RFC 9126; spec-notes §10 items 65-72)."""

from __future__ import annotations

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect, should
from cscsuite.checks.errors import same_error, shown

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


#: A request that is not a POST: RFC 9126 §2.3 names 405; an endpoint that routes only POST may
#: answer 404 as for any unknown resource (RFC 9110 §15.5.5), refusing the request all the same.
WRONG_METHOD_STATUSES = (405, 404)


@clause("RFC9126-2.3", "A request to the push endpoint that is not a POST is refused (405, or "
        "404 from an endpoint that serves only POST); a 405 names POST in Allow (RFC 9110 "
        "§15.5.6); returns the status")
def check_wrong_method_refused(resp: ApiResponse, *, evidence: str | None = None) -> str:
    expect(resp.status in WRONG_METHOD_STATUSES, "HTTP 405 (or 404)", shown(resp), evidence)
    if resp.status == 405:
        allow = next((v for k, v in resp.headers.items() if k.lower() == "allow"), None)
        methods = {m.strip().upper() for m in (allow or "").split(",")}
        expect("POST" in methods, "an Allow header naming POST",
               "no Allow header" if allow is None else f"Allow: {allow}", evidence,
               requirement="A 405 answer carries Allow with the methods the endpoint serves")
    return str(resp.status)


def _refused_with(resp: ApiResponse, codes: tuple[str, ...], evidence: str | None) -> str:
    """Part of the checks below (cites their clause): 400 with one of ``codes``; returns it."""
    ok = resp.status == 400 and any(same_error(resp.error, c) for c in codes)
    expect(ok, "HTTP 400, error " + " or ".join(repr(c) for c in codes), shown(resp), evidence)
    return f"400 {resp.error}"


#: RFC 9126 §2.1 forbids request_uri in a push (invalid_request, RFC 6749 §5.2); RFC 9101 §7
#: defines request_uri_not_supported for an AS that takes no request_uri at that place.
PUSHED_REQUEST_URI_ERRORS = ("invalid_request", "request_uri_not_supported")


@clause("RFC9126-2.1", "A push that holds request_uri is refused with 400 invalid_request or "
        "request_uri_not_supported (RFC 9101 §7); returns which")
def check_pushed_request_uri_refused(resp: ApiResponse, *, evidence: str | None = None) -> str:
    return _refused_with(resp, PUSHED_REQUEST_URI_ERRORS, evidence)


#: RFC 9126 §2.3 takes error codes from RFC 6749 §5.2 and §4.1.2.1: a response type the AS
#: does not offer, or does not offer to this client.
PUSHED_RESPONSE_TYPE_ERRORS = ("invalid_request", "unsupported_response_type",
                               "unauthorized_client")


@clause("RFC9126-2.3", "A push with a response type the AS does not support is refused with 400 "
        "invalid_request, unsupported_response_type or unauthorized_client; returns which")
def check_pushed_response_type_refused(resp: ApiResponse, *,
                                       evidence: str | None = None) -> str:
    return _refused_with(resp, PUSHED_RESPONSE_TYPE_ERRORS, evidence)
