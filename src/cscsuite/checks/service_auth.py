"""Checks on service authorization without a browser: ``auth/login`` and ``auth/revoke`` (CSC1
§11.2, §11.3) and the client-credentials grant (RFC 6749 §4.4; CSC ``oauth2client``)."""

from __future__ import annotations

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect, should
from cscsuite.checks.errors import shown


@clause("CSC1-11.2", "auth/login answers 200 with access_token and, if given, a positive "
        "expires_in")
def check_login_token(resp: ApiResponse, *, refresh: bool = False,
                      evidence: str | None = None) -> None:
    expect(resp.status == 200 and isinstance(resp.field("access_token"), str)
           and bool(resp.field("access_token")), "HTTP 200 with access_token", shown(resp),
           evidence)
    exp = resp.field("expires_in")
    expect(exp is None or (isinstance(exp, int) and not isinstance(exp, bool) and exp > 0),
           "expires_in absent or a positive integer", repr(exp), evidence)
    if refresh:
        token = resp.field("refresh_token")
        expect(isinstance(token, str) and bool(token), "a refresh_token (rememberMe = true)",
               "no refresh_token", evidence,
               requirement="auth/login with rememberMe returns a refresh token")


@clause("CSC1-11.3", "auth/revoke answers 204 No Content")
def check_revoked(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 204, "HTTP 204", shown(resp), evidence)


@should
@clause("RFC6749-4.4.3", "A client-credentials token response SHOULD NOT include a refresh token")
def check_no_refresh_for_client(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.field("refresh_token") is None, "no refresh_token", "a refresh_token", evidence)
