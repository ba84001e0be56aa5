"""Checks on token revocation (CSC1 §8.3.4, RFC 7009; spec-notes §10 items 96-102)."""

from __future__ import annotations

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect
from cscsuite.checks.errors import same_error, shown


@clause("RFC7009-2.2", "A revocation succeeds with 200 (RFC 7009) or 204 (CSC); returns which")
def check_revoked(resp: ApiResponse, *, evidence: str | None = None) -> str:
    expect(resp.status in (200, 204), "HTTP 200 or 204", shown(resp), evidence,
           requirement="A revocation succeeds with 200 or 204")
    return str(resp.status)


@clause("RFC7009-2.2", "An unknown token or hint is answered 200/204 (RFC 7009) or 400 "
        "invalid_request (CSC tables); returns which")
def check_revoke_unknown(resp: ApiResponse, *, evidence: str | None = None) -> str:
    if resp.status in (200, 204):
        return f"{resp.status} (RFC 7009)"
    expect(resp.status == 400 and same_error(resp.error, "invalid_request"),
           "HTTP 200/204, or HTTP 400 'invalid_request'", shown(resp), evidence,
           requirement="An unknown token is answered as RFC 7009 or the CSC table says")
    return "400 invalid_request (CSC)"


@clause("CSC1-8.3.4", "A revoked token no longer gives access (401) (spec-notes §10 item 96)")
def check_access_ended(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 401, "HTTP 401", shown(resp), evidence)


@clause("CSC1-8.3.4", "Revoking a refresh token SHALL end the access tokens of its grant (CSC; "
        "RFC 7009 §2.1 only says SHOULD) (spec-notes §10 item 97)")
def check_grant_ended(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 401, "HTTP 401 for the grant's access token", shown(resp), evidence)


@clause("CSC1-8.3.4", "Revoking an access token SHALL NOT revoke the refresh token (CSC; RFC "
        "7009 §2.1 lets a server revoke it) (spec-notes §10 item 98)")
def check_refresh_still_works(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 200 and isinstance(resp.field("access_token"), str),
           "HTTP 200 with a new access_token", shown(resp), evidence)
