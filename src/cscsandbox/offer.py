"""What a personality offers: API versions, service authorization styles and CSC methods.

One source for ``info`` (``authType``, ``methods``, ``oauth2``) and for the routes, so the two
cannot disagree [CSC1 §11.1]: a method ``info.methods`` lists is served, every other CSC method
answers 501 (CSC1 §10 Table 2), and an API version the personality does not offer is 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cscsandbox.config import SandboxConfig

#: The CSC methods below ``/csc/<version>/`` (the v1 and v2 method tables together). ``info`` is
#: always served; ``oauth2/*`` live at the ``oauth2`` base and MAY be omitted [CSC1 §11.1].
CSC_METHODS = (
    "auth/login", "auth/revoke", "credentials/list", "credentials/info",
    "credentials/authorize", "credentials/authorizeCheck", "credentials/getChallenge",
    "credentials/extendTransaction", "credentials/sendOTP", "signatures/signHash",
    "signatures/signDoc", "signatures/signPolling", "signatures/timestamp",
)
#: The methods this service has routes for (a personality may list any of them).
IMPLEMENTED = (
    "auth/login", "auth/revoke", "credentials/list", "credentials/info",
    "credentials/authorize", "credentials/sendOTP", "signatures/signHash", "signatures/timestamp",
)
#: info.authType values the service implements (digest and TLS are not offered).
AUTH_TYPES = ("external", "basic", "oauth2code", "oauth2client")
API_VERSIONS = ("v1", "v2")


def listed(config: SandboxConfig, version: str) -> list[str]:
    """``info.methods`` of ``version`` (empty when the version is not offered)."""
    if version not in config.service.api_versions:
        return []
    return list(config.service.methods)


def uses_oauth(config: SandboxConfig) -> bool:
    """An authorization server is needed for OAuth service auth or oauth2code credentials."""
    styles = set(config.service.auth_types)
    return bool(styles & {"oauth2code", "oauth2client"}) or any(
        c.auth_mode == "oauth2code" for c in config.credentials)


def _unknown(values: tuple[str, ...], known: tuple[str, ...]) -> list[str]:
    return sorted(set(values) - set(known))


def _needs(config: SandboxConfig) -> list[tuple[bool, str, str]]:
    """(condition, method, why): a method the configuration needs listed."""
    creds = config.credentials
    basic = "basic" in config.service.auth_types
    return [
        (basic, "auth/login", "authType basic is served by auth/login"),
        (basic, "auth/revoke", "authType basic tokens are revoked by auth/revoke"),
        (any(c.auth_mode in ("explicit", "implicit") for c in creds), "credentials/authorize",
         "explicit/implicit credentials are authorized by credentials/authorize"),
        (any(c.auth_mode == "explicit" and c.otp_type == "online" for c in creds),
         "credentials/sendOTP", "online OTP credentials need credentials/sendOTP"),
    ]


def check_offer(config: SandboxConfig) -> str | None:
    """The first inconsistency of the configuration's offer, or None."""
    service = config.service
    for name, values, known in (("api_versions", service.api_versions, API_VERSIONS),
                                ("auth_types", service.auth_types, AUTH_TYPES),
                                ("methods", service.methods, IMPLEMENTED)):
        unknown = _unknown(values, known)
        if unknown:
            return f"{name}: not offered by this service: {', '.join(unknown)}"
    if not service.api_versions or not service.auth_types:
        return "api_versions and auth_types must not be empty"
    if not service.issuer_path.startswith("/") or service.issuer_path.endswith("/"):
        return "issuer_path must start with '/' and not end with '/'"
    for needed, method, why in _needs(config):
        if needed and method not in service.methods:
            return f"methods must list {method} ({why})"
    if "oauth2client" in service.auth_types and not any(
            config.user(c.service_user) for c in config.clients):
        return "authType oauth2client needs a client with a known service_user"
    return None
