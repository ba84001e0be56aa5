"""Checks on authorization responses and token responses (CSC1 §8.3, CSC2 §8.4, RFC 6749,
RFC 7636, RFC 9396 §7).

Inputs are the neutral ``Authorization`` outcome of a (browser) authorization and the token
endpoint's ``ApiResponse``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect
from cscsuite.checks.errors import internal_errors, same_error, shown
from cscsuite.world import Authorization


def _outcome(auth: Authorization) -> str:
    if auth.error:
        said = f" ({auth.error_description})" if auth.error_description else ""
        return f"error {auth.error!r}{said}"
    return "an authorization code" if auth.code else "no code and no error"


@clause("RFC6749-4.1.2", "A granted authorization returns a code to the redirect URI "
        "(spec-notes §10 item 42)")
def check_code_returned(auth: Authorization, *, evidence: str | None = None) -> None:
    expect(bool(auth.code) and not auth.error, "an authorization code", _outcome(auth), evidence)


@clause("RFC6749-4.1.2", "The authorization response echoes state exactly")
def check_state_echoed(auth: Authorization, *, evidence: str | None = None) -> None:
    expect(auth.state_returned == auth.state_sent, "the state that was sent",
           "a different state" if auth.state_returned else "no state", evidence)


@clause("RFC6749-4.1.2.1", "A refused authorization redirects with the documented error")
def check_callback_error(auth: Authorization, error: str, *, evidence: str | None = None) -> None:
    expect(not auth.code and same_error(auth.error, error), f"error {error!r}", _outcome(auth),
           evidence)


@clause("RFC6749-4.1.2.1", "A signer who declines on a login page ends the login there: the "
        "authorization server answers the client instead of showing a further page")
def check_declined_once(declined_on: Sequence[str], *, evidence: str | None = None) -> None:
    expect(len(declined_on) == 1, "the login ends on the page where the signer declined",
           f"declined on {len(declined_on)} pages: {', '.join(declined_on) or 'none'}", evidence)


@clause("RFC9110-15.6", "A login page requested again after the login ended, without its "
        "session (a stale bookmark), is answered without an internal server error")
def check_stale_pages(answers: Iterable[tuple[int, str]], *,
                      evidence: str | None = None) -> None:
    failed = internal_errors(answers, "from")
    expect(not failed, "no internal server error from any page",
           "; ".join(failed), evidence)


@clause("CSC1-8.3.2", "A refused authorization issues no code")
def check_authorization_refused(auth: Authorization, *, evidence: str | None = None) -> None:
    expect(not auth.code, "an error or a refusal page, no code", _outcome(auth), evidence)


@clause("RFC6749-3.1.2", "The AS never redirects to an unregistered redirect URI "
        "(spec-notes §10 item 41)")
def check_not_redirected_to(resp: ApiResponse, target: str, *,
                            evidence: str | None = None) -> None:
    location = resp.headers.get("location", resp.headers.get("Location", ""))
    wrong = 300 <= resp.status < 400 and _same_endpoint(location, target)
    expect(not wrong, "an error page or 400", f"HTTP {resp.status} redirect to that address",
           evidence)


@clause("RFC6749-3.1.2.3", "A registered full redirect URI is compared as a simple string, so "
        "an unregistered one is refused before the login starts")
def check_redirect_refused_before_login(resp: ApiResponse, *,
                                        evidence: str | None = None) -> None:
    """An AS that redirects onwards (to its login page) has accepted the redirect URI and will
    send the signer there after the login; a conforming AS answers with an error instead."""
    location = resp.headers.get("location", resp.headers.get("Location", ""))
    onwards = 300 <= resp.status < 400
    expect(not onwards, "an error page or 4xx",
           f"HTTP {resp.status} redirect onwards to {location[:120]}", evidence,
           requirement="An unregistered redirect URI is refused at once (no login with it)")


def _same_endpoint(location: str, target: str) -> bool:
    a, b = urlsplit(location), urlsplit(target)
    return (a.scheme, a.netloc, a.path) == (b.scheme, b.netloc, b.path)


def _token_type(resp: ApiResponse) -> Any:
    return resp.field("token_type")


@clause("CSC1-8.3.3", "The token response has access_token, token_type Bearer and a numeric "
        "expires_in (spec-notes §10 item 62)")
def check_service_token(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 200 and isinstance(resp.field("access_token"), str),
           "HTTP 200 with access_token", shown(resp), evidence,
           requirement="The token endpoint issues an access token")
    tt = _token_type(resp)
    expect(isinstance(tt, str) and tt.lower() == "bearer", "token_type Bearer", repr(tt), evidence,
           requirement="A service token is a Bearer token")
    _check_expires_in(resp, evidence)


def _check_expires_in(resp: ApiResponse, evidence: str | None) -> None:
    """Part of the token checks above: cites their clause."""
    exp = resp.field("expires_in")
    ok = exp is None or (isinstance(exp, int | float) and not isinstance(exp, bool) and exp > 0)
    expect(ok, "a positive number", repr(exp), evidence,
           requirement="expires_in, if present, is a positive number")


@clause("CSC1-8.3.3", "A credential token has the token_type of the API version (v1 SAD, v2 "
        "Bearer) (spec-notes §10 item 62)")
def check_credential_token(resp: ApiResponse, token_type: str, *,
                           evidence: str | None = None) -> None:
    expect(resp.status == 200 and isinstance(resp.field("access_token"), str),
           "HTTP 200 with access_token", shown(resp), evidence,
           requirement="The token endpoint issues a credential token")
    tt = _token_type(resp)
    expect(isinstance(tt, str) and tt.lower() == token_type.lower(), f"token_type {token_type}",
           repr(tt), evidence)
    _check_expires_in(resp, evidence)


@clause("CSC1-8.3.3", "A credential token comes without a refresh token (spec-notes §10 "
        "item 63)")
def check_no_refresh_token(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect("refresh_token" not in (resp.body or {}), "no refresh_token", "a refresh_token",
           evidence)


@clause("RFC6749-5.2", "The token endpoint refuses with the documented error and issues no token")
def check_token_error(resp: ApiResponse, error: str, *, evidence: str | None = None) -> None:
    expect(resp.status in (400, 401) and same_error(resp.error, error), f"HTTP 400 {error!r}",
           shown(resp), evidence)


@clause("RFC6749-5.2", "A malformed token request is refused with 400")
def check_token_status(resp: ApiResponse, status: int, *, evidence: str | None = None) -> None:
    expect(resp.status == status and isinstance(resp.error, str), f"HTTP {status} with error",
           shown(resp), evidence, requirement="A malformed token request is refused with an error")


@clause("RFC8414-2", "Every grant type the metadata advertises is supported: the token endpoint "
        "never answers it with unsupported_grant_type (RFC 6749 §5.2)")
def check_advertised_grants_supported(answers: Mapping[str, ApiResponse], *,
                                      evidence: str | None = None) -> None:
    expect(bool(answers), "at least one advertised grant type tried", "none advertised", evidence,
           requirement="The metadata advertises the grant types the token endpoint supports")
    unreadable = [g for g, r in answers.items() if r.status != 200 and not r.error]
    unsupported = [g for g, r in answers.items() if r.error == "unsupported_grant_type"]
    expect(not unreadable and not unsupported,
           "each advertised grant type answered as supported (a token, or another error)",
           f"unsupported_grant_type for {unsupported}; no OAuth answer for {unreadable}", evidence)


@clause("RFC6749-5.2", "Bad client authentication: 401 or 400 invalid_client (RFC 6749 §5.2) or "
        "400/401 invalid_request (CSC tables); returns which (spec-notes §10 items 61, 66, 101)")
def check_client_refused(resp: ApiResponse, *, evidence: str | None = None) -> str:
    ok = resp.status in (400, 401) and (resp.error == "invalid_client"
                                        or same_error(resp.error, "invalid_request"))
    expect(ok, "HTTP 401 or 400 with 'invalid_client' or 'invalid_request'", shown(resp),
           evidence, requirement="A client that does not authenticate correctly is refused")
    return f"{resp.status} {resp.error}"


def _callback_part(auth: Authorization, name: str) -> str | None:
    """Where ``name`` came back on the redirect URI: "query" or "fragment" (``None``: absent)."""
    parts = urlsplit(auth.callback_url or "")
    for where, raw in (("query", parts.query), ("fragment", parts.fragment)):
        if name in parse_qs(raw, keep_blank_values=True):
            return where
    return None


#: RFC 6749 §4.1.2.1 and §4.2.2.1: an AS without the implicit grant does not support the response
#: type; one that has it but not for this client answers unauthorized_client.
IMPLICIT_REFUSALS = ("unsupported_response_type", "unauthorized_client")


@clause("RFC6749-4.1.2.1", "A request for response_type=token is refused with an error "
        "redirect (query, or fragment as RFC 6749 §4.2.2.1) naming unsupported_response_type or "
        "unauthorized_client, and no token; returns which (spec-notes §10 item 40)")
def check_implicit_refused(auth: Authorization, *, evidence: str | None = None) -> str:
    leaked = [n for n in ("access_token", "code") if _callback_part(auth, n)]
    expect(not leaked, "no token and no code", f"{leaked} on the redirect URI", evidence,
           requirement="The implicit grant is not served")
    ok = any(same_error(auth.error, e) for e in IMPLICIT_REFUSALS)
    expect(ok, " or ".join(repr(e) for e in IMPLICIT_REFUSALS), _outcome(auth), evidence)
    return f"{auth.error} (in the {_callback_part(auth, 'error')})"


@clause("RFC6749-3.3", "An unknown scope value is refused with invalid_scope or ignored (the AS "
        "MAY ignore requested scope); returns which (spec-notes §10 item 43)")
def check_unknown_scope_answer(auth: Authorization, *, evidence: str | None = None) -> str:
    if auth.code and not auth.error:
        return "ignored"
    expect(same_error(auth.error, "invalid_scope"), "error 'invalid_scope' or a code",
           _outcome(auth), evidence)
    return "refused (invalid_scope)"


@clause("RFC6749-3.3", "A token granted for other scope than requested names the granted scope, "
        "which leaves out the value the AS ignored")
def check_scope_ignored(resp: ApiResponse, ignored: str, *, evidence: str | None = None) -> str:
    granted = resp.field("scope")
    expect(resp.status == 200 and isinstance(granted, str), "HTTP 200 with the 'scope' granted",
           shown(resp) if resp.status != 200 else f"scope {granted!r}", evidence)
    expect(ignored not in str(granted).split(), f"a scope without {ignored!r}",
           f"scope {granted!r}", evidence, requirement="An ignored scope value is not granted")
    return str(granted)


@clause("RFC6749-5.2", "A refused token request carries no token")
def check_no_token(resp: ApiResponse, *, evidence: str | None = None) -> None:
    tokens = [k for k in ("access_token", "refresh_token") if k in (resp.body or {})]
    expect(not tokens, "no token", f"{tokens} in the answer", evidence)


@clause("RFC9396-7", "The token response carries the granted authorization_details of type "
        "credential (spec-notes §10 item 51)")
def check_granted_details(resp: ApiResponse, hashes_b64: Sequence[str] = (), *,
                          evidence: str | None = None) -> None:
    details = resp.field("authorization_details")
    creds = [d for d in details if isinstance(d, dict) and d.get("type") == "credential"] \
        if isinstance(details, list) else []
    expect(bool(creds), "an object of type credential", repr(details)[:120], evidence,
           requirement="The token response carries authorization_details")
    granted = {dd.get("hash") for d in creds for dd in d.get("documentDigests") or []
               if isinstance(dd, dict)}
    missing = [h for h in hashes_b64 if h not in granted]
    expect(not missing, list(hashes_b64), sorted(str(g) for g in granted), evidence,
           requirement="The granted details keep the document digests")


@clause("CSC2-8.4.4", "With a signature qualifier, the token response names the chosen "
        "credential")
def check_chosen_credential(resp: ApiResponse, *, evidence: str | None = None) -> str:
    direct = resp.field("credentialID")
    details = resp.field("authorization_details")
    in_details = [d.get("credentialID") for d in details if isinstance(d, dict)] \
        if isinstance(details, list) else []
    chosen = direct if isinstance(direct, str) else next(
        (c for c in in_details if isinstance(c, str)), None)
    expect(chosen is not None, "credentialID in the token response", "none", evidence,
           requirement="The token response names the chosen credential")
    return str(chosen)


@clause("PS-web", "A failed login step shows an error and issues no code")
def check_login_error_shown(alert_text: str | None, auth: Authorization | None, *,
                            evidence: str | None = None) -> None:
    expect(bool(alert_text), "an alert on the page", "no alert", evidence,
           requirement="A failed login step shows an error message")
    expect(auth is None or not auth.code, "no code", "an authorization code", evidence,
           requirement="A failed login issues no code")


@clause("PS-seed", "An alg:none account token is accepted or refused as the target declares "
        "(spec-notes §10 item 56)")
def check_alg_none_as_declared(auth: Authorization, declared: str, *,
                               evidence: str | None = None) -> None:
    accepted = bool(auth.code) and not auth.error
    if declared == "unknown":
        return
    expect(accepted == (declared == "accepted"), declared,
           "accepted" if accepted else f"refused ({_outcome(auth)})", evidence,
           requirement="alg:none account tokens are treated as declared")


def error_codes(responses: Iterable[ApiResponse]) -> list[str | None]:
    return [r.error for r in responses]


def form_fields(resp: ApiResponse) -> Mapping[str, Any]:
    return resp.body if isinstance(resp.body, dict) else {}
