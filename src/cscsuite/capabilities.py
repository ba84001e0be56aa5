"""What a target can do, so scenarios it cannot run are skipped with a reason.

A scenario tagged ``@needs_<name>`` runs only when capability ``<name>`` holds for the API version
under test. Each capability is decided, in this order, by:

1. the profile's ``[capabilities]`` table (``par = false`` or ``par = { v1 = false, v2 = true }``);
2. discovery: ``info`` (methods, authType, signAlgorithms, supportsRar) and RFC 8414 metadata;
3. profile data: clients, identities, credential pins and test endpoints that are present;
4. credential discovery (``cscsuite.credential_discovery``), when the scenario is about to run:
   credential roles the profile does not pin, and signature algorithm families that the version's
   own ``info.signAlgorithms`` does not list (v1 ``info`` has none) come from what the signer's
   credentials say (``key/algo``). Such a capability is *deferred*: ``resolve`` cannot decide it
   without a service token, ``from_credentials`` decides it per version. A version never borrows
   another version's answer, so ``--csc-api v1`` alone gives the v1 verdicts of a two-version run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cscsuite.credential_discovery import Discovery, families, unfilled_reason
from cscsuite.credential_discovery import resolve as resolve_role
from cscsuite.discovery import AsEndpoints, ServiceInfo
from cscsuite.profile_types import Profile

#: Every capability name with what it means (the ``needs_<name>`` tags).
CAPABILITIES: dict[str, str] = {
    "par": "pushed authorization requests (metadata pushed_authorization_request_endpoint)",
    "rar": "rich authorization requests (info supportsRar)",
    "refresh": "refresh tokens (metadata grant_types_supported has refresh_token)",
    "revoke": "token revocation (metadata revocation_endpoint or oauth2/revoke in methods)",
    "pkce_plain": "PKCE method plain (metadata code_challenge_methods_supported)",
    "client_secret_post": "client authentication in the form body",
    "client_secret_basic": "client authentication with HTTP Basic",
    "oauth": "an OAuth 2.0 authorization server (info oauth2 or oauth2Issuer)",
    "browser_login": "the signer logs in with a browser (identities.signer.login names a recipe)",
    "oauth2code_service": "service authorization by authorization code (authType oauth2code)",
    "oauth2client_service": "service authorization by client credentials (authType oauth2client)",
    "basic_service": "service authorization by auth/login with HTTP Basic (authType basic)",
    "digest_service": "service authorization by auth/login with HTTP Digest (authType digest)",
    "external_service": "service tokens issued outside the CSC API (authType external)",
    "tls_service": "service authorization by TLS client certificate (authType TLS)",
    "external_token": "the profile says where an external service token comes from "
                      "(service_auth.service_token or service_token_command)",
    "auth_login": "auth/login is offered (info methods)",
    "auth_revoke": "auth/revoke is offered (info methods)",
    "login_remember_me": "auth/login with rememberMe yields a refresh token (profile override "
                         "only; CSC1 11.2 makes it optional)",
    "send_otp": "credentials/sendOTP is offered (info methods)",
    "credentials_list": "credentials/list is offered",
    "credentials_authorize": "credentials/authorize is offered (implicit/explicit SADs)",
    "eid_login": "the profile has an eID test identity (identities.eid)",
    "second_signer": "the profile has a second signer (identities.second_signer)",
    "account_token_client": "the profile has a client requiring account_token",
    "second_client": "the profile has a second client (clients.other)",
    "alg_none_accepted": "the target declares it accepts alg:none account tokens",
    "alg_none_refused": "the target declares it refuses alg:none account tokens",
    "audit": "an audit lookup endpoint (test_endpoints.audit)",
    "trust_anchors": "the profile lists trust anchors for chain validation",
    "explicit_credential": "a credential with explicit authorization (PIN/OTP)",
    "implicit_credential": "a credential with implicit authorization",
    "online_otp_credential": "an explicit credential whose OTP is sent online "
                             "(credentials/sendOTP)",
    "pin_only_credential": "an explicit credential authorized by PIN alone",
    "scal2_credential": "a SCAL 2 credential",
    "direct_scal1_credential": "a SCAL 1 credential authorized with credentials/authorize "
                               "(authMode explicit or implicit)",
    "direct_scal2_credential": "a SCAL 2 credential authorized with credentials/authorize "
                               "(authMode explicit or implicit)",
    "multisign_credential": "a credential with multisign > 1",
    "disabled_credential": "a credential whose key is disabled",
    "expired_credential": "a credential whose certificate has expired",
    "revoked_credential": "a credential whose certificate is revoked",
    "rsa": "RSA PKCS#1 v1.5 signature algorithms",
    "pss": "RSASSA-PSS (1.2.840.113549.1.1.10)",
    "ecdsa": "ECDSA with DER signature values",
    "bsi_plain_ecdsa": "BSI plain ECDSA (0.4.0.127.0.7.1.1.4.1.*)",
    "pinned_info": "the profile pins live info values (table capabilities.pinned_info)",
    "short_sad_lifetime": "credential tokens expire within max_wait_s (profile override only)",
    "short_par_lifetime": "PAR request_uris expire within max_wait_s (profile override only)",
    "qualified_certificate": "the target issues qualified certificates (profile override only)",
    "timestamp": "a time-stamping authority: signatures/timestamp in info methods, or the "
                 "profile's tsa_url (RFC 3161 over HTTP)",
    "timestamp_method": "signatures/timestamp is offered (info methods)",
}

#: Capability keys whose value is data (a table or a number), not a yes/no override.
DATA_KEYS = frozenset({"pinned_info", "max_wait_s", "code_lifetime_s"})
#: Data keys whose value is a number of seconds (>= 0): how long a scenario may wait, and how long
#: the target's authorization codes live (RFC 6749 §4.1.2 leaves it to the AS; a code carries
#: no lifetime of its own).
SECONDS_KEYS = frozenset({"max_wait_s", "code_lifetime_s"})

_ROLE_CAPS = {f"{role}_credential": role for role in
              ("explicit", "implicit", "scal2", "disabled", "expired", "revoked", "online_otp",
               "pin_only", "direct_scal1", "direct_scal2")}
_ROLE_CAPS["multisign_credential"] = "multisign"


@dataclass(frozen=True)
class Capability:
    value: bool
    source: str  # why: "profile override", "discovery: ...", "profile: ..."
    deferred: bool = False  # decided by credential discovery when a scenario needs it


class Capabilities:
    """The capabilities of a target for one API version."""

    def __init__(self, version: str, values: Mapping[str, Capability]) -> None:
        self.version = version
        self.values = dict(values)

    def has(self, name: str) -> bool:
        cap = self.values.get(name)
        return bool(cap and cap.value)

    def deferred(self, name: str) -> bool:
        cap = self.values.get(name)
        return bool(cap and cap.deferred)

    def skip_reason(self, name: str) -> str | None:
        """None when the capability holds; otherwise a sentence for the skip."""
        if name not in CAPABILITIES:
            return f"unknown capability '{name}' (tag needs_{name}; see cscsuite/capabilities.py)"
        cap = self.values[name]
        if cap.value:
            return None
        return f"target lacks capability '{name}' for {self.version} ({cap.source})"


def _algo_check(pred: Callable[[str], bool]) -> Callable[[set[str]], bool]:
    return lambda algos: any(pred(a) for a in algos)


_ALGO_FAMILIES: dict[str, Callable[[set[str]], bool]] = {
    "rsa": _algo_check(lambda a: a == "1.2.840.113549.1.1.1"
                       or (a.startswith("1.2.840.113549.1.1.1")
                           and a != "1.2.840.113549.1.1.10")),
    "pss": _algo_check(lambda a: a == "1.2.840.113549.1.1.10"),
    "ecdsa": _algo_check(lambda a: a.startswith("1.2.840.10045.")),
    "bsi_plain_ecdsa": _algo_check(lambda a: a.startswith("0.4.0.127.0.7.1.1.4.1")),
}


_METHODS = {"send_otp": "credentials/sendOTP"}


def _discovered(name: str, info: ServiceInfo, endpoints: AsEndpoints | None) -> Capability | None:
    """The capability as discovery sees it; None when discovery does not decide it."""
    meta = endpoints.metadata if endpoints else {}
    methods = set(info.methods)
    if name == "par":
        return Capability(info.version == "v2" and "pushed_authorization_request_endpoint"
                          in meta, "discovery: AS metadata pushed_authorization_request_endpoint")
    if name == "rar":
        return Capability(info.supports_rar is True, "discovery: info supportsRar")
    if name == "refresh":
        return Capability("refresh_token" in meta.get("grant_types_supported", []),
                          "discovery: AS metadata grant_types_supported")
    if name == "revoke":
        return Capability(bool(meta.get("revocation_endpoint")) or "oauth2/revoke" in methods,
                          "discovery: AS metadata revocation_endpoint / info methods")
    if name == "pkce_plain":
        return Capability("plain" in meta.get("code_challenge_methods_supported", []),
                          "discovery: AS metadata code_challenge_methods_supported")
    if name in ("client_secret_post", "client_secret_basic") and meta:
        return Capability(name in meta.get("token_endpoint_auth_methods_supported",
                                           ["client_secret_basic"]),
                          "discovery: AS metadata token_endpoint_auth_methods_supported")
    if name == "oauth":
        return Capability(endpoints is not None, "discovery: info oauth2 / oauth2Issuer")
    if name.endswith("_service"):
        auth = name.removesuffix("_service")
        offered = {a.lower() for a in info.auth_types}
        return Capability(auth in offered, f"discovery: info authType {auth}")
    if name in ("credentials_list", "credentials_authorize", "auth_login", "auth_revoke",
                "send_otp"):
        method = _METHODS.get(name, name.replace("_", "/", 1))
        return Capability(method in methods, f"discovery: info methods {method}")
    if name in ("timestamp", "timestamp_method") and "signatures/timestamp" in methods:
        return Capability(True, "discovery: info methods signatures/timestamp")
    if name == "timestamp_method":
        return Capability(False, "discovery: info methods without signatures/timestamp")
    if name in _ALGO_FAMILIES and _ALGO_FAMILIES[name](set(info.sign_algorithms)):
        return Capability(True, f"discovery: {info.version} info signAlgorithms")
    if name in _ALGO_FAMILIES:
        return Capability(False, f"neither {info.version} info signAlgorithms nor the signer's "
                          "credentials' key/algo name it", deferred=True)
    return None


def _from_profile(name: str, profile: Profile) -> Capability:
    signer = profile.identities.get("signer")
    roles = set(signer.credentials) if signer else set()
    policies = [c.account_token.alg_none for c in profile.clients.values()]
    methods = profile.client.auth_methods if profile.client else ()
    checks: dict[str, tuple[bool, str]] = {
        "eid_login": ("eid" in profile.identities, "profile: identities.eid"),
        "second_signer": ("second_signer" in profile.identities,
                          "profile: identities.second_signer"),
        "account_token_client": ("account_token" in profile.clients,
                                 "profile: clients.account_token"),
        "second_client": ("other" in profile.clients, "profile: clients.other"),
        "alg_none_accepted": ("accepted" in policies, "profile: account_token.alg_none"),
        "alg_none_refused": ("refused" in policies, "profile: account_token.alg_none"),
        "audit": ("audit" in profile.test_endpoints, "profile: test_endpoints.audit"),
        "trust_anchors": (bool(profile.trust_anchors), "profile: trust_anchors"),
        "timestamp": (bool(profile.tsa_url),
                      "discovery: no signatures/timestamp in info methods; profile: tsa_url"),
        "browser_login": (bool(signer and signer.login), "profile: identities.signer.login"),
        "external_token": (bool(profile.service_auth.service_token
                                or profile.service_auth.service_token_command),
                           "profile: service_auth.service_token / service_token_command"),
        "pinned_info": (bool(profile.capabilities.get("pinned_info")),
                        "profile: capabilities.pinned_info"),
        "client_secret_post": ("client_secret_post" in methods,
                               "profile: clients.main.auth_methods"),
        "client_secret_basic": ("client_secret_basic" in methods,
                                "profile: clients.main.auth_methods"),
    }
    if name in _ROLE_CAPS:
        role = _ROLE_CAPS[name]
        if role in roles:
            return Capability(True, f"profile: identities.signer.credentials.{role}")
        return Capability(False, f"no {role!r} pin and credential discovery finds none",
                          deferred=True)
    if name not in checks:
        return Capability(False, f"declared only by the profile: [capabilities] {name} = true")
    value, source = checks[name]
    return Capability(value, source if value else f"{source} absent")


def _override(profile: Profile, name: str, version: str) -> Capability | None:
    if name not in profile.capabilities or name in DATA_KEYS:
        return None
    raw = profile.capabilities[name]
    value = raw.get(version, raw.get("all")) if isinstance(raw, Mapping) else raw
    return None if value is None else Capability(bool(value), "profile override")


def resolve(profile: Profile, infos: Mapping[str, ServiceInfo],
            endpoints: Mapping[str, AsEndpoints | None]) -> dict[str, Capabilities]:
    """Capabilities per API version, from overrides, discovery and profile data."""
    result: dict[str, Capabilities] = {}
    for version, info in infos.items():
        values: dict[str, Capability] = {}
        for name in CAPABILITIES:
            values[name] = (_override(profile, name, version)
                            or _discovered(name, info, endpoints.get(version))
                            or _from_profile(name, profile))
        result[version] = Capabilities(version, values)
    return result


def from_credentials(name: str, version: str, discovery: Discovery,
                     pins: Mapping[str, str]) -> Capability:
    """A deferred capability decided from the signer's credentials of this version."""
    if name in _ALGO_FAMILIES:
        found = _ALGO_FAMILIES[name](families([discovery]))
        source = (f"discovery: {version} credentials' key/algo" if found else
                  f"neither {version} info signAlgorithms nor the signer's credentials' "
                  f"key/algo name it ({discovery.found()})")
        return Capability(found, source)
    role = _ROLE_CAPS[name]
    if resolve_role(role, pins, discovery):
        return Capability(True, f"credential discovery: role {role!r} filled")
    return Capability(False, unfilled_reason(role, discovery))
