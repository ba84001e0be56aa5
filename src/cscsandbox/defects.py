"""Switchable defects: each breaks exactly one guarantee of the API.

They exist so the project's own tests can prove that the conformance suite notices every
deviation (issue 7). Besides the blunt ones, "partial" defects break a guarantee in one place
only (one API version, one client authentication method, one audit event kind), as real
services do, so only a careful scenario notices (issue 15 item 5). The registry is the single
source of names and one-line descriptions; the code path that owns a guarantee asks
``active(name)``. Names are stable: self-tests and
``targets/*.deviations.toml`` refer to them.
"""

from __future__ import annotations

from collections.abc import Iterable

#: name -> (area, one-line description). Area is the Gherkin area tag expected to catch it.
DEFECTS: dict[str, tuple[str, str]] = {
    # signHash and SAD rules (service part)
    "sad-reusable": ("signhash", "a used-up SAD/credential token keeps signing"),
    "sad-not-bound-to-hashes": ("signhash", "hashes bound at authorization are not enforced"),
    "sad-count-not-enforced": ("signhash", "more hashes than numSignatures are signed"),
    "sad-expiry-ignored": ("signhash", "an expired SAD is still accepted"),
    "sad-expiry-ignored-v2": (
        "signhash", "partial: v2 credential tokens are accepted after they expired (v1 checked)"),
    "sad-not-bound-to-credential": ("signhash", "a SAD signs with another credential of the user"),
    "sad-batch-overspends": (
        "signhash", "partial: a SAD not yet used up signs a batch bigger than what is left of it"),
    "sad-hashes-checked-in-part": (
        "signhash", "partial: a batch is signed when its first hash is authorized (the rest "
        "unchecked)"),
    "sad-expires-early": (
        "signhash", "partial: a SAD stops signing halfway through the lifetime it states"),
    "sad-not-bound-to-user": (
        "signhash", "partial: signHash takes another user's SAD and credential with any service "
        "token (list, info and authorize check the owner)"),
    "credential-info-any-user": (
        "credentials", "partial: credentials/info reads another user's credential (list, "
        "authorize and signHash check the owner)"),
    "wrong-signature-bytes": ("verification", "signature values are corrupted (one byte flipped)"),
    "der-instead-of-plain": ("verification", "BSI plain-ECDSA algorithms return DER, not r||s"),
    "signatures-reversed": ("signhash", "signatures come back in reverse order of the hashes"),
    "chain-wrong-order": ("verification", "certificate chain is returned root first"),
    "certinfo-serial-mismatch": ("verification", "certInfo serialNumber differs from the cert"),
    "digest-length-unchecked": ("signhash", "a digest of the wrong length is signed"),
    "service-token-not-checked": ("errors", "a garbage Bearer token is accepted (no 401)"),
    "malformed-json-500": ("errors", "malformed JSON bodies cause a 500"),
    "error-without-error-field": ("errors", "error bodies lack the 'error' member"),
    "info-missing-name": ("discovery", "info omits the required 'name' field"),
    "list-paging-duplicates": ("credentials", "v1 credentials/list paging repeats an ID"),
    "disabled-key-reported-enabled": ("credentials", "a disabled key is reported as enabled"),
    # authorization server part
    "par-request-uri-reusable": ("par", "a PAR request_uri can be used twice"),
    "par-expiry-ignored": ("par", "an expired PAR request_uri is still accepted"),
    "par-without-client-auth": ("par", "PAR accepts a push without client authentication"),
    "code-not-bound-to-client": (
        "token", "partial: another authenticated client can redeem a client's authorization code"),
    "client-secret-post-unchecked": (
        "token", "partial: a wrong client_secret in form fields is accepted (Basic is checked)"),
    "refresh-not-bound-to-client": (
        "token", "partial: another authenticated client can refresh a client's refresh token"),
    "revocation-not-bound-to-client": (
        "revoke", "partial: another authenticated client can revoke a client's tokens"),
    "auth-code-reusable": ("token", "an authorization code can be exchanged twice"),
    "pkce-verifier-ignored": ("token", "a wrong PKCE code_verifier is accepted"),
    "redirect-uri-prefix-match": ("service_auth", "redirect_uri is matched by prefix"),
    "state-not-echoed": ("service_auth", "the authorization response omits state"),
    "refresh-revocation-not-cascading": (
        "revoke", "revoking a refresh token keeps its access tokens"),
    "revoked-credential-token-signs": ("revoke", "a revoked credential token still signs"),
    "account-token-signature-unchecked": ("account_token", "account_token HMAC is not verified"),
    "account-token-jti-replay": ("account_token", "a replayed account_token jti is accepted"),
    "alg-none-accepted": ("account_token", "alg:none account tokens accepted though not allowed"),
    "v1-token-type-bearer": (
        "credential_auth", "v1 credential tokens have token_type Bearer, not SAD"),
    "authorize-hashes-misdecoded": (
        "credential_auth", "base64url hashes in authorize URLs decoded as base64"),
    "rar-unknown-type-accepted": ("rar", "authorization_details of unknown type are accepted"),
    "client-transaction-id-dropped": ("client_data", "clientTransactionId is not recorded"),
    "audit-v2-signing-untagged": (
        "client_data", "partial: v2 signHash audit events lack the clientTransactionId"),
    "wrong-otp-accepted": ("login", "any SMS one-time code is accepted"),
    # time-stamping authority (signatures/timestamp and /pki/tsa)
    "tsa-wrong-imprint": ("document", "time-stamp tokens cover a different message imprint"),
    "tsa-nonce-not-echoed": ("document", "time-stamp tokens omit the request's nonce"),
    "tsa-eku-not-critical": (
        "document", "the TSA certificate's timeStamping key purpose is not critical"),
}

_active: set[str] = set()


class UnknownDefect(ValueError):
    """Raised for a defect name that is not in the registry."""


def activate(names: Iterable[str]) -> None:
    """Switch on the given defects (replacing the previous set)."""
    wanted = set(names)
    unknown = sorted(wanted - DEFECTS.keys())
    if unknown:
        raise UnknownDefect(f"unknown defect(s): {', '.join(unknown)}; see --list-defects")
    _active.clear()
    _active.update(wanted)


def active(name: str) -> bool:
    """True when the defect ``name`` is switched on. Unknown names are a programming error."""
    if name not in DEFECTS:
        raise UnknownDefect(name)
    return name in _active


def active_names() -> list[str]:
    return sorted(_active)


def listing() -> str:
    """One line per defect: ``name  description`` (for ``--list-defects``)."""
    width = max(len(n) for n in DEFECTS)
    return "\n".join(f"{n.ljust(width)}  {d}" for n, (_a, d) in sorted(DEFECTS.items()))
