"""Checks that one party cannot reach what belongs to another: another user's credentials
(CSC1 §11.4, §11.5) and another client's tokens (RFC 7009 §2.1, RFC 6749 §6)."""

from __future__ import annotations

from collections.abc import Sequence

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect
from cscsuite.checks.errors import shown

#: What a server may answer a client that revokes another client's token: RFC 7009 §2.1 refuses
#: the request (a token-endpoint error, RFC 6749 §5.2: Authlib says ``invalid_grant``, Keycloak
#: ``invalid_request`` "Unmatching clients"), and §2.2 lets it answer as for an invalid token
#: (200; CSC: 204) as long as it revokes nothing.
FOREIGN_REVOCATION_ERRORS = ("invalid_grant", "invalid_request", "unauthorized_client",
                             "invalid_token")


@clause("CSC1-11.4", "credentials/list lists the authenticated user's credentials, never "
        "another user's")
def check_listed_apart(ids: Sequence[str], own_id: str, foreign_id: str, *,
                       evidence: str | None = None) -> None:
    expect(own_id in ids, f"the caller's own credential {own_id!r} listed",
           f"{len(ids)} credential(s) without it", evidence,
           requirement="credentials/list lists the authenticated user's credentials")
    expect(foreign_id not in ids, f"no credential of another user (not {foreign_id!r})",
           f"{foreign_id!r} listed", evidence)


@clause("RFC7009-2.1", "A revocation by a client the token was not issued to is refused, or "
        "answered as for an invalid token (200/204) without revoking it; returns which")
def check_foreign_revocation_answer(resp: ApiResponse, *, evidence: str | None = None) -> str:
    if resp.status in (200, 204):
        return f"{resp.status}, nothing revoked"
    expect(resp.status in (400, 401, 403) and resp.error in FOREIGN_REVOCATION_ERRORS,
           "HTTP 200/204, or HTTP 400/401/403 with "
           + " or ".join(repr(e) for e in FOREIGN_REVOCATION_ERRORS), shown(resp), evidence)
    return f"{resp.status} {resp.error}"


@clause("CSC1-11.3", "auth/revoke revokes the caller's own tokens: another user's token is "
        "refused as an invalid token (400 invalid_request), or answered 204 without revoking "
        "it; returns which")
def check_foreign_revoke_answer(resp: ApiResponse, *, evidence: str | None = None) -> str:
    if resp.status == 204:
        return "204, nothing revoked"
    expect(resp.status == 400 and resp.error == "invalid_request",
           "HTTP 204, or HTTP 400 'invalid_request'", shown(resp), evidence)
    return "400 invalid_request"


@clause("RFC7009-2.1", "A token keeps working after another party asked to revoke or refresh "
        "it: a token is bound to its client (RFC 7009 §2.1, RFC 6749 §6) and its user (CSC1 "
        "§11.3: auth/revoke revokes the caller's own tokens)")
def check_token_kept(resp: ApiResponse, field: str, *, evidence: str | None = None) -> None:
    expect(resp.status == 200 and resp.field(field) is not None,
           f"HTTP 200 with {field}", shown(resp), evidence)
