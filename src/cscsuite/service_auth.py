"""How the suite obtains a service token, for every authType CSC defines [CSC1 §8.1, §11.1].

The style is the profile's ``[service_auth] style`` or else the first entry of ``info.authType``
this profile can use: ``oauth2code`` (a browser login, the driver's code flow), ``oauth2client``
(the client-credentials grant, RFC 6749 §4.4), ``basic`` / ``digest`` (``auth/login`` with the
signer's username and password, CSC1 §11.2), ``external`` (a token made outside the CSC API: an
environment variable, a command that prints it, or no token at all) and ``tls`` (no token: the
client certificate of the profile authenticates the connection). A style that cannot produce a
token is the suite's failure (``HarnessError``), never the service's refusal.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from cscsuite import oauth
from cscsuite.adapters.base import ApiResponse
from cscsuite.driver import Driver
from cscsuite.outcomes import HarnessError
from cscsuite.profile import expand
from cscsuite.profile_types import Identity, Profile
from cscsuite.redact import REDACTOR
from cscsuite.secret import Secret

#: Every style, in the spelling of ``info.authType`` lowercased (CSC writes ``TLS``).
STYLES = ("oauth2code", "oauth2client", "basic", "digest", "external", "tls")
#: Seconds a service token is assumed to live when the answer does not say (CSC1 §11.2: 3600).
DEFAULT_LIFETIME_S = 3600.0


@dataclass(frozen=True)
class ServiceGrant:
    """A service token (``None``: the style sends none) with what came along with it."""

    style: str
    token: Secret | None
    lifetime_s: float = DEFAULT_LIFETIME_S
    refresh_token: Secret | None = None
    response: ApiResponse | None = None


def client_certificate(profile: Profile) -> tuple[str, str] | None:
    """The TLS client certificate and key files (relative to the profile), when configured."""
    settings = profile.service_auth
    if not settings.client_cert:
        return None
    base = Path(profile.source_path).parent
    cert = base / settings.client_cert
    return str(cert), str(base / (settings.client_key or settings.client_cert))


def usable(style: str, profile: Profile, has_oauth_server: bool) -> bool:
    """Whether this profile has what ``style`` needs (clients, a login recipe, a password)."""
    signer = profile.identities.get("signer")
    if style == "oauth2code":
        return has_oauth_server and profile.client is not None and bool(signer and signer.login)
    if style == "oauth2client":
        return has_oauth_server and profile.client is not None
    if style in ("basic", "digest"):
        return signer is not None and {"username", "password"} <= set(signer.values)
    if style == "tls":
        return client_certificate(profile) is not None
    return style == "external"


def choose_style(profile: Profile, auth_types: Sequence[str], has_oauth_server: bool) -> str:
    """The profile's style, else the first offered style this profile can use."""
    if profile.service_auth.style:
        return profile.service_auth.style
    offered = [a.lower() for a in auth_types]
    for style in offered:
        if style in STYLES and usable(style, profile, has_oauth_server):
            return style
    raise HarnessError(f"no service authorization style of info authType {list(auth_types)} "
                       f"is usable with profile {profile.name!r} (oauth2code needs a client and "
                       f"a login recipe, basic/digest a username and password, tls "
                       f"service_auth.client_cert)")


def obtain(driver: Driver, code_flow: Callable[[], Secret]) -> ServiceGrant:
    """A new service token for the driver's API version, in the style the target demands;
    ``code_flow`` is the driver's browser login and code exchange (style ``oauth2code``)."""
    profile = driver.world.profile
    has_as = driver.oauth_endpoints() is not None
    style = choose_style(profile, driver.info.auth_types, has_as)
    if style == "oauth2code":
        grant = _grant(style, code_flow(), driver.world.response)
    else:
        grant = _OBTAIN[style](driver, style)
    driver.world.service_token = grant.token
    driver.world.notes["service_grant"] = grant
    return grant


def _oauth2client(driver: Driver, style: str) -> ServiceGrant:
    resp = client_credentials(driver)
    return _grant(style, _access_token(resp, "the client-credentials grant", driver), resp)


def client_credentials(driver: Driver, secret: str | None = None) -> ApiResponse:
    """The client-credentials grant of the main client (``secret`` replaces its secret); the
    answer is not judged here [RFC 6749 §4.4]."""
    client = driver.client()
    if secret is not None:
        client = replace(client, secret=Secret(secret))
    method = client.auth_methods[0] if client.auth_methods else "client_secret_basic"
    resp = oauth.client_credentials(driver.api.http, driver.endpoints.token, client,
                                    method)  # type: ignore[arg-type]
    driver.world.response, driver.world.outcome = resp, None
    return resp


def login_style(driver: Driver) -> str:
    """``digest`` where the profile or the service asks for it, else ``basic``."""
    style = driver.world.profile.service_auth.style
    offered = [a.lower() for a in driver.info.auth_types]
    return style if style in ("basic", "digest") else \
        "digest" if "digest" in offered and "basic" not in offered else "basic"


def _auth_login(driver: Driver, style: str) -> ServiceGrant:
    remember = driver.world.profile.service_auth.remember_me
    resp = login(driver, style, remember_me=remember)
    return _grant(style, _access_token(resp, f"auth/login ({style})", driver), resp)


def login(driver: Driver, style: str | None = None, *, remember_me: bool = False,
          refresh_token: str | None = None, password: str | None = None,
          identity: str = "signer") -> ApiResponse:
    """``auth/login`` with ``identity``'s credentials or a refresh token (the answer is not
    judged here) [CSC1 §11.2]."""
    body: dict[str, Any] = {"rememberMe": remember_me} if remember_me else {}
    auth: httpx.Auth | None = None
    if refresh_token is not None:
        body["refresh_token"] = refresh_token
    else:
        auth = user_auth(driver.identity(identity), style or "basic", password)
    resp = driver.api.http.post_json(driver.api.url("auth/login"), body,  # type: ignore
                                     auth=auth)
    driver.world.response, driver.world.outcome = resp, None
    return resp


def user_auth(identity: Identity, style: str, password: str | None = None) -> httpx.Auth:
    """HTTP Basic or Digest credentials of ``identity`` (its password is learned as secret)."""
    user = str(identity.values.get("username", ""))
    secret = password if password is not None else str(identity.values.get("password", ""))
    REDACTOR.add(secret)
    return httpx.DigestAuth(user, secret) if style == "digest" else httpx.BasicAuth(user, secret)


def revoke(driver: Driver, token: str, hint: str | None = None) -> ApiResponse:
    """``auth/revoke`` of one of the caller's tokens, with the current service token [CSC1
    §11.3]; the answer is not judged here."""
    body = {"token": token, **({"token_type_hint": hint} if hint else {})}
    resp = driver.api.http.post_json(driver.api.url("auth/revoke"), body,
                                     token=driver.world.service_token)
    driver.world.response, driver.world.outcome = resp, None
    return resp


def external(driver: Driver) -> ServiceGrant:
    """A token from outside the CSC API, as the profile says (set as the service token)."""
    grant = _external(driver, "external")
    driver.world.service_token = grant.token
    return grant


def acts_for(profile: Profile, identity: str) -> bool:
    """Whether the profile gives ``identity`` an ``external`` service token of its own: the
    identity's ``service_token``, or a ``service_token_command`` taking ``{user}``. The signer
    always has one (the profile-wide token or command, or none at all)."""
    ident = profile.identities.get(identity)
    if identity == "signer" or (ident is not None and ident.service_token):
        return True
    return any("{user}" in arg for arg in profile.service_auth.service_token_command)


def external_grant(driver: Driver, identity: str) -> ServiceGrant:
    """``identity``'s own ``external`` service token (the caller checked ``acts_for``)."""
    return _external(driver, "external", identity)


def _external(driver: Driver, style: str, identity: str = "signer") -> ServiceGrant:
    """The identity's own token, else (the signer's) the profile-wide one, else what the
    profile's command prints for the identity's user, else (the signer) no token at all."""
    profile = driver.world.profile
    settings = profile.service_auth
    ident = profile.identities.get(identity)
    if ident is not None and ident.service_token:
        return ServiceGrant(style, Secret(str(ident.service_token)))
    if identity == "signer" and settings.service_token:
        return ServiceGrant(style, Secret(settings.service_token))
    if settings.service_token_command and acts_for(profile, identity):
        return _from_command(driver, style, settings.service_token_command, identity)
    if identity != "signer":
        raise HarnessError(f"the profile gives no external service token for {identity}")
    return ServiceGrant(style, None)  # the service is called without a token


def _tls(driver: Driver, style: str) -> ServiceGrant:
    return ServiceGrant(style, None)  # the connection's client certificate authenticates


def _from_command(driver: Driver, style: str, command: Sequence[str],
                  identity: str = "signer") -> ServiceGrant:
    """Run the profile's token command for ``identity`` (its user in ``{user}``); it prints a
    token or a JSON token response."""
    ident = driver.world.profile.identities.get(identity)
    user = (ident.user_id or str(ident.values.get("username", ""))) if ident else ""
    argv = [expand(arg, base_url=driver.target.base_url, python=sys.executable, user=user)
            for arg in command]
    timeout = driver.world.profile.timeouts.request_s
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              check=False, stdin=subprocess.DEVNULL,
                              cwd=Path(driver.world.profile.source_path).parent)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(f"the service token command {argv[0]!r} did not run: "
                           f"{type(exc).__name__}: {exc}") from None
    out = done.stdout.strip()
    if done.returncode != 0 or not out:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise HarnessError(f"the service token command {argv[0]!r} printed no token (exit "
                           f"{done.returncode}): {REDACTOR.text(last)}")
    token, lifetime = _parse_printed(out)
    REDACTOR.add(token)
    return ServiceGrant(style, Secret(token), lifetime)


def _parse_printed(out: str) -> tuple[str, float]:
    """A bare token, or a JSON object with ``access_token`` (and ``expires_in``)."""
    try:
        data = json.loads(out)
    except ValueError:
        return out.split()[-1], DEFAULT_LIFETIME_S
    if isinstance(data, dict) and isinstance(data.get("access_token"), str):
        return data["access_token"], float(data.get("expires_in") or DEFAULT_LIFETIME_S)
    if isinstance(data, str):
        return data, DEFAULT_LIFETIME_S
    raise HarnessError("the service token command printed JSON without an access_token")


def _access_token(resp: ApiResponse, what: str, driver: Driver) -> Secret:
    token = resp.field("access_token")
    if resp.status != 200 or not isinstance(token, str) or not token:
        said = f"HTTP {resp.status} {resp.error or ''}".rstrip()
        raise HarnessError(f"{what} gave no service access token ({said})", driver.ev(resp))
    return Secret(token)


def _grant(style: str, token: Secret, resp: ApiResponse | None) -> ServiceGrant:
    lifetime = resp.field("expires_in") if resp is not None else None
    refresh = resp.field("refresh_token") if resp is not None else None
    return ServiceGrant(style, token,
                        float(lifetime) if isinstance(lifetime, int | float) and lifetime > 0
                        else DEFAULT_LIFETIME_S,
                        Secret(refresh) if isinstance(refresh, str) and refresh else None, resp)


_OBTAIN = {"oauth2client": _oauth2client, "basic": _auth_login,
           "digest": _auth_login, "external": _external, "tls": _tls}
