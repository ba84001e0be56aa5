"""Other parties than the signer and the signing application: the second signer
(``identities.second_signer``) and the second client (``clients.other``).

A credential, a SAD, a code or a token belongs to one user and one client; the scenarios that
let another party touch it need that party's own service token and, as a positive control, the
party's own credential working. This module obtains them and switches the scenario between the
parties: the scenario's ``world.service_token`` is always the token of the party acting now.
Who holds which token is kept in ``world.notes["tokens"]`` (by identity), so a step can hand
the signer's token back after the second signer acted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from cscsuite import credential_auth, service_auth
from cscsuite.driver_tokens import exchange_failure, grant_of
from cscsuite.outcomes import HarnessError
from cscsuite.secret import Secret
from cscsuite.token_cache import Grant, TokenKey

if TYPE_CHECKING:
    from cscsuite.driver_signing import SigningDriver

SIGNER, SECOND_SIGNER = "signer", "second_signer"
SECOND_CLIENT = "other"

#: Service authorization styles in which the suite can act as another identity: a browser login
#: of that identity, or ``auth/login`` with its username and password. ``external`` acts for an
#: identity when the profile has a token source for it (``service_auth.acts_for``).
_PER_IDENTITY_STYLES = ("oauth2code", "basic", "digest")


def tokens_held(flow: SigningDriver) -> dict[str, Secret | None]:
    """The service tokens of the scenario's parties, by identity (the signer's is the one the
    Background established)."""
    held = flow.world.notes.setdefault("tokens", {})
    held.setdefault(SIGNER, flow.world.service_token)
    return held


def act_as(flow: SigningDriver, identity: str) -> Secret | None:
    """Make ``identity`` the party acting now: its service token becomes the scenario's and
    its browser login the one an authorization runs."""
    held = tokens_held(flow)
    if identity not in held:
        held[identity] = identity_token(flow, identity)
    flow.world.service_token = held[identity]
    flow.world.notes["acting"] = identity
    return held[identity]


def identity_token(flow: SigningDriver, identity: str) -> Secret:
    """``identity``'s own service token, shared by the worker's scenarios like the signer's
    (one login per identity); skips when the target's style cannot act for another identity."""
    flow.identity(identity)  # skips when the profile has none
    style = service_auth.choose_style(flow.world.profile, flow.info.auth_types,
                                      flow.oauth_endpoints() is not None)
    if not _acts_for(flow, style, identity):
        pytest.skip(f"target lacks capability 'second_signer' for {flow.api.version} as far as "
                    f"the suite goes: service authorization {style!r} acts for one identity "
                    f"(the suite acts for {identity} by browser login, auth/login, or an "
                    f"external token of their own: identities.{identity}.service_token or a "
                    f"service_token_command with {{user}})")
    key = TokenKey(flow.token_issuer(), identity, "main", "service")
    with flow.scenario_state_kept():
        return flow.tokens.token(key, lambda: _obtain(flow, identity, style), flow.refresh_grant)


def _acts_for(flow: SigningDriver, style: str, identity: str) -> bool:
    return style in _PER_IDENTITY_STYLES or (
        style == "external" and service_auth.acts_for(flow.world.profile, identity))


def _obtain(flow: SigningDriver, identity: str, style: str) -> Grant:
    """A new service token of ``identity``: its browser login and code exchange (oauth2code),
    ``auth/login`` with its username and password (basic, digest), or its external token."""
    if style == "external":
        grant = service_auth.external_grant(flow, identity)
        if grant.token is None:
            raise HarnessError(f"no service token for {identity}: the profile's source gave none")
        return Grant(grant.token, None, grant.lifetime_s)
    if style == "oauth2code":
        auth = flow.login(flow.request("service"), identity=identity)
        resp, how = flow.exchange(auth), "the code exchange after their login"
    else:
        resp = service_auth.login(flow, style, remember_me=True, identity=identity)
        how = f"auth/login ({style}) with their password"
    if exchange_failure(resp):
        raise HarnessError(f"no service token for {identity}: {how} answered HTTP "
                           f"{resp.status} {resp.error or ''}".rstrip(), flow.ev(resp))
    return grant_of(Secret(resp.field("access_token")), resp)


def authorize_own(flow: SigningDriver, role: str) -> None:
    """Positive control: the second signer's own ``role`` credential authorizes the scenario's
    hashes (set-up: else the scenario errors); afterwards the scenario's credential is the one
    it chose before, with its owner's factors."""
    before = flow.credential(), flow.world.notes.get("credential_owner", SIGNER)
    flow.use_credential(role, SECOND_SIGNER)
    flow.authorize_signing()
    if credential_auth.mechanism(flow.credential()) == "direct":
        credential_auth.check_authorized(flow, flow.response())
    flow.world.credential, flow.world.notes["credential_owner"] = before


def attempt_foreign_authorization(flow: SigningDriver) -> None:
    """The acting party tries to authorize the scenario's credential, another identity's, with
    that identity's right factors: an OAuth authorization, or ``credentials/authorize``. An
    online OTP must first be sent: the service refusing to send it on the acting party's
    request is the refusal under test (its answer is the scenario's last)."""
    cred = flow.credential()
    if credential_auth.mechanism(cred) != "direct":
        flow.authorize_signing(attempt=True)
        return
    hashes = flow.world.hashes
    if credential_auth.factors_of(flow, cred).online:
        with credential_auth.otp_turn(flow, cred):  # no other worker's code may overtake
            sent = credential_auth.send_otp(flow, cred.credential_id)
            if sent.status >= 400:
                return
            code = credential_auth.read_otp(flow, credential_auth.owner(flow))
            flow.authorize_directly(len(hashes), hashes, otp=code)
        return
    flow.authorize_directly(len(hashes), hashes)
