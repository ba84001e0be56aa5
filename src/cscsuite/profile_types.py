"""The shape of a target profile (``targets/<name>.toml``), as the rest of the suite sees it.

The loader (``cscsuite.profile``) turns TOML into these frozen objects and resolves secret
references (``{ env = "VAR", default = "..." }``) into ``Secret`` values. Everything that differs
between targets (URLs, clients, identities, login pages, capabilities) is data here, so steps and
checks never depend on one provider's internals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cscsuite.secret import Secret

OtpSourceKind = Literal["http", "env", "static", "none"]


@dataclass(frozen=True)
class OtpSource:
    """Where a one-time code comes from during a browser login.

    ``http``: GET ``url`` (placeholders ``{base_url}``, ``{username}``) and read JSON ``field``.
    ``env``: the value of environment variable ``var`` (a fixed test code). ``static``: ``value``.
    """

    kind: OtpSourceKind
    url: str | None = None
    field: str | None = None
    var: str | None = None
    value: Secret | None = None


@dataclass(frozen=True)
class Identity:
    """A test identity: who logs in, how (``login`` names a recipe) and which credentials it owns.

    ``values`` holds what recipes may fill in (``username``, ``password``, ``eid_identity``, ...);
    secret ones are ``Secret``. ``credentials`` maps a role (``rsa2048``, ``p256``, ``scal2``,
    ``multisign``, ``disabled``, ``expired``, ``revoked``, ``explicit``, ...) to a credential ID.
    ``service_token`` is this identity's own token for ``external`` service authorization (an
    env reference); it lets the suite act for an identity other than the signer there.
    """

    name: str
    login: str | None  # a login recipe; None when the target has no browser login (no OAuth)
    values: Mapping[str, str]
    otp: OtpSource | None
    credentials: Mapping[str, str]
    user_id: str | None = None
    service_token: Secret | None = None


@dataclass(frozen=True)
class AccountTokenPolicy:
    """What the target does with ``account_token`` for one client (capability declarations)."""

    subject: str | None = None  # a registered account id (``sub``)
    issuer: str | None = None  # ``iss``
    required: bool = False  # the AS refuses authorize requests without one
    alg_none: Literal["accepted", "refused", "unknown"] = "unknown"
    lifetime_s: int | None = None  # declared max age of ``iat``


@dataclass(frozen=True)
class Client:
    """An OAuth client registered at the target."""

    name: str
    client_id: str
    secret: Secret | None
    redirect_uri: str
    auth_methods: tuple[str, ...] = ("client_secret_basic", "client_secret_post")
    account_token: AccountTokenPolicy = field(default_factory=AccountTokenPolicy)


@dataclass(frozen=True)
class LoginStep:
    """One step of a browser login recipe (see ``browser.py`` for the actions).

    ``action``: ``wait_url`` (``pattern``), ``fill`` (``label``, ``value``), ``click`` (``role``,
    ``name``), ``select`` (``label``, ``value``), ``check_text`` (``text``). ``value`` is a
    reference: ``identity.<key>``, ``otp``, or ``literal:<text>``. ``if_url`` makes the step
    conditional on the current URL containing that text; ``optional`` tolerates a missing element.
    A ``pattern`` with ``*`` is a glob over the whole URL, otherwise a substring. A ``click`` with
    ``deny_name`` is a decision: it clicks ``name`` to approve, ``deny_name`` to deny. The consent
    page has one; a page before it may too (an eID page's cancel), and a denying login then ends
    there (login_006). ``goto`` opens the address in ``pattern`` (the suite's derived recipes
    use it to go past a page, login_007).
    """

    action: str
    pattern: str | None = None
    label: str | None = None
    value: str | None = None
    role: str | None = None
    name: str | None = None
    text: str | None = None
    if_url: str | None = None
    optional: bool = False
    deny_name: str | None = None


@dataclass(frozen=True)
class TrustAnchor:
    """A trust anchor: a committed file, or a URL fetched at session start (``{base_url}``)."""

    file: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Timeouts:
    request_s: float = 15.0
    test_s: float = 120.0
    login_s: float = 30.0
    connect_s: float = 5.0
    login_settle_s: float = 10.0  # a login step ends once its page stood still this long (0: off)
    login_breaker_after: int = 2  # failures of one login step that end later logins there (0: off)


@dataclass(frozen=True)
class RunSettings:
    """How a run is judged (``[run]``): ``min_run_percent`` fails a run in which less ran;
    ``sign_matrix = "full"`` signs every pair with every usable credential (``reduced``: each
    ``key/algo`` list in full once, other keys one pair per scheme; see ``sign_matrix_plan``)."""

    min_run_percent: float | None = None
    sign_matrix: Literal["reduced", "full"] = "reduced"


@dataclass(frozen=True)
class SandboxSettings:
    """How to start the embedded reference service (only for the sandbox profile)."""

    enabled: bool = False
    config: str | None = None  # path to a cscsandbox TOML config (default: the committed one)
    personality: str | None = None  # ``--personality NAME`` (python -m cscsandbox --list-...)
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Companion:
    """Another embedded-service profile that runs the scenarios needing what this one lacks
    (``[companions.<name>]``): a scenario tagged ``@needs_<c>`` for a ``c`` in
    ``capabilities`` runs against ``profile`` instead, its test id reading ``[v1@<name>]``."""

    name: str
    profile: Profile
    capabilities: tuple[str, ...]


ServiceAuthStyle = Literal["oauth2code", "oauth2client", "basic", "digest", "external", "tls"]


@dataclass(frozen=True)
class ServiceAuthSettings:
    """How the suite obtains a service token (``[service_auth]``); see ``service_auth.py``.

    ``style`` overrides the choice from ``info.authType``. ``external``: the token is
    ``service_token`` (an env reference), else what ``service_token_command`` prints (a token or
    a JSON object with ``access_token``; placeholders ``{base_url}``, ``{python}``, ``{user}``),
    else none at all. ``tls``: ``client_cert`` and ``client_key`` (PEM, relative to the profile)
    go to every HTTPS connection. ``remember_me`` asks ``auth/login`` for a refresh token.
    """

    style: ServiceAuthStyle | None = None
    service_token: Secret | None = None
    service_token_command: tuple[str, ...] = ()
    client_cert: str | None = None
    client_key: str | None = None
    remember_me: bool = True


@dataclass(frozen=True)
class Profile:
    name: str
    base_url: str | None  # None with sandbox.enabled: the suite starts the service and fills it in
    api_versions: tuple[str, ...]
    clients: Mapping[str, Client]  # "main" always; "account_token", "other" when available
    identities: Mapping[str, Identity]  # "signer" always; "eid", "second_signer" when available
    login_recipes: Mapping[str, tuple[LoginStep, ...]]
    capabilities: Mapping[str, Any]  # overrides of what discovery finds (see targets/*.toml)
    trust_anchors: tuple[TrustAnchor, ...]
    timeouts: Timeouts
    sandbox: SandboxSettings
    test_endpoints: Mapping[str, str]  # optional automation URLs, e.g. "audit" (placeholders)
    source_path: str = ""
    run: RunSettings = field(default_factory=RunSettings)
    tsa_url: str | None = None  # an RFC 3161 responder published outside the CSC API ({base_url})
    service_auth: ServiceAuthSettings = field(default_factory=ServiceAuthSettings)
    companions: Mapping[str, Companion] = field(default_factory=dict)  # embedded profiles only

    @property
    def client(self) -> Client | None:
        """The main OAuth client (``None`` for a target without OAuth)."""
        return self.clients.get("main")

    def secret_values(self) -> list[str]:
        """Every secret value the profile knows, for redaction."""
        found: list[str] = []
        for c in self.clients.values():
            if c.secret:
                found.append(str(c.secret))
        for ident in self.identities.values():
            found.extend(str(v) for v in ident.values.values() if isinstance(v, Secret))
            if ident.otp and ident.otp.value:
                found.append(str(ident.otp.value))
            if ident.service_token:
                found.append(str(ident.service_token))
        if self.service_auth.service_token:
            found.append(str(self.service_auth.service_token))
        for companion in self.companions.values():
            found.extend(companion.profile.secret_values())
        return [s for s in found if s]
