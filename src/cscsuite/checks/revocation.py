"""Checks on token revocation (CSC1 §8.3.4, RFC 7009; spec-notes §10 items 96-102)."""

from __future__ import annotations

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect
from cscsuite.checks.errors import same_error, shown


@clause("RFC7009-2.2", "A revocation succeeds with 200 (RFC 7009) or 204 (CSC)")
def check_revoked(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status in (200, 204), "HTTP 200 or 204", shown(resp), evidence,
           requirement="A revocation succeeds with 200 or 204")


@clause("RFC7009-2.2", "An unknown token or hint is answered 200/204 (RFC 7009) or 400 "
        "invalid_request (CSC tables); returns which")
def check_revoke_unknown(resp: ApiResponse, *, evidence: str | None = None) -> str:
    if resp.status in (200, 204):
        return "rfc7009"
    expect(resp.status == 400 and same_error(resp.error, "invalid_request"),
           "HTTP 200/204, or HTTP 400 'invalid_request'", shown(resp), evidence,
           requirement="An unknown token is answered as RFC 7009 or the CSC table says")
    return "csc"


@clause("CSC1-8.3.4", "A revoked token no longer gives access (401) (spec-notes §10 item 96)")
def check_access_ended(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 401, "HTTP 401", shown(resp), evidence)
