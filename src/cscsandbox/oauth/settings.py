"""The ``[oauth]`` table of the sandbox config: lifetimes and fidelity knobs of the AS.

Every knob has a PrimeSign-like default (the TOML file says why); a missing table or key
falls back to these defaults so an older config keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from cscsandbox.config import ConfigError


@dataclass(frozen=True)
class OAuthSettings:
    """Parsed ``[oauth]`` table. Times are seconds."""

    code_lifetime: int = 60
    access_token_lifetime: int = 3600
    refresh_token_lifetime: int = 86400
    credential_token_lifetime: int = 300
    par_expires_in: int = 60
    revoke_success_status: int = 200
    revoke_unknown_token: str = "ok"
    amr_hints: tuple[str, ...] = ("eid", "password")
    otp_max_attempts: int = 3
    password_max_attempts: int = 5
    sms_outbox: bool = True
    sms_test_code: str = ""
    login_theme: str = "sandbox"
    pkce_required: str = "v2-style"
    pkce_methods: tuple[str, ...] = ("S256",)
    service_consent: bool = True
    account_token_lifetime: int = 600
    login_session_lifetime: int = 600
    # Which of the answers the RFCs allow the AS gives (never a defect: each one conforms).
    par_wrong_method_status: int = 405
    par_request_uri_error: str = "invalid_request"
    implicit_refusal: str = "unsupported_response_type"

    def __post_init__(self) -> None:
        if self.revoke_success_status not in (200, 204):
            raise ValueError("oauth.revoke_success_status must be 200 or 204")
        if self.revoke_unknown_token not in ("ok", "error"):
            raise ValueError("oauth.revoke_unknown_token must be 'ok' or 'error'")
        if self.pkce_required not in ("v2-style", "always", "never"):
            raise ValueError("oauth.pkce_required must be 'v2-style', 'always' or 'never'")
        if self.login_theme not in ("sandbox", "keycloak"):
            raise ValueError("oauth.login_theme must be 'sandbox' or 'keycloak'")
        if self.par_wrong_method_status not in (404, 405):
            raise ValueError("oauth.par_wrong_method_status must be 404 or 405")
        if self.par_request_uri_error not in ("invalid_request", "request_uri_not_supported"):
            raise ValueError("oauth.par_request_uri_error must be 'invalid_request' or "
                             "'request_uri_not_supported'")
        if self.implicit_refusal not in ("unsupported_response_type", "unauthorized_client"):
            raise ValueError("oauth.implicit_refusal must be 'unsupported_response_type' or "
                             "'unauthorized_client'")


def parse(table: Mapping[str, Any] | None) -> OAuthSettings:
    """Build settings from the raw TOML table; unknown keys and wrong types are config errors."""
    table = dict(table or {})
    defaults = OAuthSettings()
    known = {f.name for f in fields(OAuthSettings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"[oauth]: unknown key(s) {', '.join(unknown)}")
    for key, value in table.items():
        expected = type(getattr(defaults, key))
        if expected is tuple and isinstance(value, list):
            table[key] = value = tuple(str(v) for v in value)
        if type(value) is not expected:
            raise ConfigError(f"[oauth]: {key} must be of type {expected.__name__}")
    try:
        return OAuthSettings(**table)
    except ValueError as exc:
        raise ConfigError(f"[oauth]: {exc}") from None


def from_config(config: Any) -> OAuthSettings:
    """Find the ``[oauth]`` table on the shared ``SandboxConfig`` (attribute or raw dict)."""
    for name in ("oauth", "oauth_table"):
        value = getattr(config, name, None)
        if isinstance(value, OAuthSettings):
            return value
        if isinstance(value, Mapping):
            return parse(value)
    raw = getattr(config, "raw", None)
    if isinstance(raw, Mapping):
        return parse(raw.get("oauth"))
    return OAuthSettings()
