"""Checks on statuses and error bodies (CSC1 §10, RFC 6749 §5.2), shared by every area.

Error codes are compared exactly; only ``invalid_request`` also matches the capitalised
``Invalid_request`` of the CSC v1 tables (a typo in the spec). ``error_description`` is never
compared: providers word it their own way.
"""

from __future__ import annotations

from collections.abc import Iterable

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect

#: Codes whose spelling the CSC v1 tables themselves get wrong.
_TYPO_TOLERANT = {"invalid_request"}


def same_error(actual: str | None, expected: str) -> bool:
    """Exact comparison, case-insensitive only for the spec's ``Invalid_request`` typo."""
    if actual is None:
        return False
    if expected in _TYPO_TOLERANT:
        return actual.lower() == expected
    return actual == expected


def shown(resp: ApiResponse) -> str:
    """A one-line view of an answer for ``actual`` (status and error code only)."""
    code = resp.error
    if code is not None:
        return f"HTTP {resp.status}, error {code!r}"
    body = resp.not_json()
    return f"HTTP {resp.status} {body}" if body else f"HTTP {resp.status}"


@clause("CSC1-10", "The service answers with the documented HTTP status")
def check_status(resp: ApiResponse, status: int, *, evidence: str | None = None) -> None:
    expect(resp.status == status, f"HTTP {status}", shown(resp), evidence)


@clause("CSC1-10", "A valid request is answered with 200 and a JSON body")
def check_success(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 200 and isinstance(resp.body, dict), "HTTP 200 with a JSON object",
           shown(resp) if resp.status != 200 else "HTTP 200 without a JSON object", evidence)


@clause("CSC1-10.1", "A refusal carries the documented status and error code")
def check_error(resp: ApiResponse, status: int, error: str, *,
                evidence: str | None = None) -> None:
    expect(resp.status == status and same_error(resp.error, error),
           f"HTTP {status}, error {error!r}", shown(resp), evidence)


@clause("CSC1-10.1", "A refusal carries one of the documented status and error pairs")
def check_error_among(resp: ApiResponse, allowed: Iterable[tuple[int, str]], *,
                      evidence: str | None = None) -> None:
    pairs = list(allowed)
    ok = any(resp.status == s and same_error(resp.error, e) for s, e in pairs)
    expect(ok, " or ".join(f"HTTP {s} {e!r}" for s, e in pairs), shown(resp), evidence)


@clause("CSC1-10.1", "Every 4xx answer is JSON with a string 'error' (spec-notes §10 item 13)")
def check_json_error_body(resp: ApiResponse, *, evidence: str | None = None) -> None:
    ctype = resp.headers.get("content-type", resp.headers.get("Content-Type", ""))
    expect(400 <= resp.status < 500, "a 4xx status", shown(resp), evidence,
           requirement="A bad request is a client error")
    expect("application/json" in ctype.lower(), "Content-Type application/json", ctype or "none",
           evidence, requirement="Error answers are JSON")
    expect(isinstance(resp.error, str) and bool(resp.error), "a string 'error' member",
           repr(resp.body)[:120], evidence, requirement="Error bodies carry a string 'error'")


@clause("CSC1-10", "A bad or expired access token is answered with 401 (spec-notes §10 item 14)")
def check_unauthorized(resp: ApiResponse, codes: Iterable[str] = ("invalid_token",
                                                                  "expired_token"), *,
                       evidence: str | None = None) -> None:
    allowed = list(codes)
    expect(resp.status == 401, "HTTP 401", shown(resp), evidence)
    if resp.error is not None:
        expect(resp.error in allowed, " or ".join(allowed), resp.error, evidence,
               requirement="The 401 body names a token error")


@clause("CSC1-10", "A call without an access token is refused with 400 invalid_request or 401 "
        "(spec-notes §10 item 15)")
def check_missing_auth(resp: ApiResponse, *, evidence: str | None = None) -> None:
    ok = resp.status == 401 or (resp.status == 400 and same_error(resp.error, "invalid_request"))
    expect(ok, "HTTP 401, or HTTP 400 'invalid_request'", shown(resp), evidence)


@clause("RFC6750-2.1", "The positive control: the same call with the same token sent as "
        "'Bearer' succeeds, so the refusal was about the scheme, not the token")
def check_bearer_control(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 200, "HTTP 200", shown(resp), evidence)


@clause("CSC1-10", "Bad input never causes a server error")
def check_no_server_error(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status < 500, "a status below 500", shown(resp), evidence)


#: 501 Not Implemented is a legitimate answer for a method the service does not offer; 502-504
#: say the target was unreachable, which is the run's problem, not a conformance verdict.
UNAVAILABLE = frozenset({502, 503, 504})


def is_internal_error(status: int) -> bool:
    """A 5xx that says the service failed: not 501 (not offered), not 502-504 (unreachable)."""
    return status >= 500 and status != 501 and status not in UNAVAILABLE


@clause("CSC1-10", "The service answers every request of a scenario with a result or a CSC "
        "error, never with an internal server error")
def check_no_internal_error(statuses: Iterable[tuple[int, str]], *,
                            evidence: str | None = None) -> None:
    """``statuses`` are (status, "METHOD url") of every exchange of the scenario."""
    failed = internal_errors(statuses, "to")
    expect(not failed, "no internal server error during the scenario", "; ".join(failed),
           evidence)


def internal_errors(answers: Iterable[tuple[int, str]], preposition: str) -> list[str]:
    """``HTTP <status> <preposition> <where>`` for each answer that is an internal error."""
    return [f"HTTP {status} {preposition} {where}" for status, where in answers
            if is_internal_error(status)]
