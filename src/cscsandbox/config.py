"""Sandbox configuration: TOML (committed default or ``--config``) -> frozen dataclasses.

A personality (``--personality NAME``: ``personalities/NAME.toml``) overlays the base document:
tables merge key by key, arrays (``[[credentials]]`` ...) are replaced whole. Tables this module
does not know (for example ``[oauth]``, owned by the authorization server) are kept unparsed in
``SandboxConfig.raw`` so their owners read them there.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar


class ConfigError(ValueError):
    """The configuration file is unreadable or inconsistent (one clear message)."""


@dataclass(frozen=True)
class ServiceSettings:
    """Fidelity knobs of the signing service (documented in default_config.toml)."""

    name: str = "primesign MOBILE (cscsandbox)"
    region: str = "AT"
    lang: str = "en-US"
    description: str = "Reference CSC service: a local stand-in for the PrimeSign test system"
    specs_v1: str = "1.0.4.0"
    specs_v2: str = "2.1.0.1"
    sad_lifetime_s: int = 300
    list_max_results: int = 10
    api_versions: tuple[str, ...] = ("v1", "v2")
    auth_types: tuple[str, ...] = ("oauth2code",)
    methods: tuple[str, ...] = (
        "credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash",
        "signatures/timestamp",
    )
    issuer_path: str = "/realms/sandbox"
    factor_max_failures: int = 0
    supported_hash_types: tuple[str, ...] = ("dtbsr",)
    v1_credential_token_in_header: bool = False
    key_cache_dir: str = ""


@dataclass(frozen=True)
class ClientConfig:
    client_id: str
    secret: str | None = None
    redirect_uris: tuple[str, ...] = ()
    auth_methods: tuple[str, ...] = ("client_secret_basic", "client_secret_post")
    account_token_required: bool = False
    account_token_alg_none: bool = False
    accounts: tuple[str, ...] = ()
    #: The user a client-credentials (``oauth2client``) service token acts for; "" = no grant.
    service_user: str = ""


@dataclass(frozen=True)
class UserConfig:
    user_id: str
    username: str
    password: str
    phone: str = ""
    eid_identities: tuple[str, ...] = ()
    given_name: str = ""
    family_name: str = ""


@dataclass(frozen=True)
class EidIdentity:
    id: str
    display_name: str
    given_name: str
    family_name: str
    birth_date: str
    source: str
    user_id: str


@dataclass(frozen=True)
class CredentialConfig:
    credential_id: str
    user_id: str
    key_type: str = "rsa"  # "rsa" | "ec"
    key_size: int = 2048  # RSA only
    curve: str = "P-256"  # EC only: P-256 | P-384 | P-521
    scal: str = "1"
    multisign: int = 1
    auth_mode: str = "oauth2code"  # oauth2code | explicit | implicit
    status: str = "enabled"  # key status: enabled | disabled
    cert_state: str = "valid"  # valid | expired | revoked
    description: str = ""
    signature_qualifier: str = "eu_eidas_qes"
    pin: str | None = None  # explicit only; None = no PIN factor
    otp: str | None = None  # explicit offline OTP: the fixed code; None = no OTP factor
    otp_type: str = "offline"  # explicit: offline (fixed ``otp``) | online (credentials/sendOTP)


@dataclass(frozen=True)
class SandboxConfig:
    service: ServiceSettings
    clients: tuple[ClientConfig, ...]
    users: tuple[UserConfig, ...]
    eid_identities: tuple[EidIdentity, ...]
    credentials: tuple[CredentialConfig, ...]
    raw: dict[str, Any]

    def client(self, client_id: str) -> ClientConfig | None:
        return next((c for c in self.clients if c.client_id == client_id), None)

    def user(self, user_id: str) -> UserConfig | None:
        return next((u for u in self.users if u.user_id == user_id), None)

    def user_by_username(self, username: str) -> UserConfig | None:
        return next((u for u in self.users if u.username == username), None)

    def credential(self, credential_id: str) -> CredentialConfig | None:
        return next((c for c in self.credentials if c.credential_id == credential_id), None)

    def credentials_of(self, user_id: str) -> list[CredentialConfig]:
        return [c for c in self.credentials if c.user_id == user_id]


T = TypeVar("T")
_VALID = {
    "key_type": {"rsa", "ec"},
    "curve": {"P-256", "P-384", "P-521"},
    "scal": {"1", "2"},
    "auth_mode": {"oauth2code", "explicit", "implicit"},
    "status": {"enabled", "disabled"},
    "cert_state": {"valid", "expired", "revoked"},
    "otp_type": {"offline", "online"},
}


def _build(cls: type[T], table: Any, where: str) -> T:
    """One dataclass from one TOML table; unknown keys and wrong values are config errors."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(table) - names)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items()}
    for key, allowed in _VALID.items():
        if key in values and values[key] not in allowed:
            raise ConfigError(f"{where}: {key} must be one of {sorted(allowed)}")
    try:
        return cls(**values)
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _many(cls: type[T], raw: dict[str, Any], name: str) -> tuple[T, ...]:
    items = raw.get(name, [])
    if not isinstance(items, list):
        raise ConfigError(f"[[{name}]] must be an array of tables")
    return tuple(_build(cls, item, f"[[{name}]] #{i + 1}") for i, item in enumerate(items))


def parse(raw: dict[str, Any]) -> SandboxConfig:
    """Validate a parsed TOML document and build the configuration."""
    config = SandboxConfig(
        service=_build(ServiceSettings, raw.get("service", {}), "[service]"),
        clients=_many(ClientConfig, raw, "clients"),
        users=_many(UserConfig, raw, "users"),
        eid_identities=_many(EidIdentity, raw, "eid_identities"),
        credentials=_many(CredentialConfig, raw, "credentials"),
        raw=raw,
    )
    for cred in config.credentials:
        if config.user(cred.user_id) is None:
            raise ConfigError(f"credential {cred.credential_id}: unknown user_id {cred.user_id}")
    ids = [c.credential_id for c in config.credentials]
    if len(ids) != len(set(ids)):
        raise ConfigError("credential ids must be unique")
    _check_offer(config)
    return config


def _check_offer(config: SandboxConfig) -> None:
    """What info advertises must be served and vice versa (the personality is self-consistent)."""
    problem = check_offer(config)
    if problem:
        raise ConfigError(f"[service]: {problem}")


def default_text() -> str:
    """The committed default configuration (package data)."""
    return resources.files("cscsandbox").joinpath("default_config.toml").read_text("utf-8")


def personalities() -> list[str]:
    """Names of the committed personalities (``personalities/*.toml``)."""
    folder = resources.files("cscsandbox").joinpath("personalities")
    return sorted(f.name.removesuffix(".toml") for f in folder.iterdir()
                  if f.name.endswith(".toml"))


def overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``: tables merge recursively, everything else (arrays too) replaces."""
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            merged[key] = overlay(below, value)
        else:
            merged[key] = value
    return merged


def _personality_text(name: str) -> str:
    if name not in personalities():
        raise ConfigError(
            f"unknown personality {name!r} (known: {', '.join(personalities())})")
    folder = resources.files("cscsandbox").joinpath("personalities")
    return folder.joinpath(f"{name}.toml").read_text("utf-8")


def _toml(text: str, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {what} is not valid TOML: {exc}") from None


def load(path: str | Path | None = None, personality: str | None = None) -> SandboxConfig:
    """Load ``path`` (None: the committed default), overlaid with ``personality`` if given."""
    try:
        text = default_text() if path is None else Path(path).read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from None
    raw = _toml(text, str(path or "default"))
    if personality:
        raw = overlay(raw, _toml(_personality_text(personality), f"personality {personality}"))
    return parse(raw)


# The offer (cscsandbox.offer serves from it): what a personality may list, and its consistency.

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
