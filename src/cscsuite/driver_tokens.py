"""The driver's token actions: code exchanges, service tokens, refresh and revocation.

A code exchange is the action under test in the token scenarios (its answer is judged by a
Then-step) and a set-up everywhere else: ``establish_tokens`` insists on an access token and
raises ``HarnessError`` otherwise, and ``exchange_again`` insists that the first exchange worked,
so "the code works only once" can never pass on a code that never worked at all.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from cscsuite import service_auth, tags
from cscsuite.adapters.base import ApiResponse
from cscsuite.driver import Driver
from cscsuite.outcomes import HarnessError
from cscsuite.token_cache import Grant, TokenKey
from cscsuite.world import Authorization, Secret, World

#: Seconds past a stated lifetime before a scenario counts it as over (a service may round its
#: clock to whole seconds or compare with ``>``).
EXPIRY_MARGIN_S = 1.0
#: An authorization code no service issued (the exchange must fail on the code alone).
INVENTED_CODE = "invented-code-0000"


def exchange_failure(resp: ApiResponse) -> str | None:
    """Why a code exchange did not yield tokens (``None``: it did)."""
    if resp.status != 200:
        return f"the authorization code exchange failed: HTTP {resp.status} " \
               f"{resp.error or '(no error code)'}"
    token = resp.field("access_token")
    if not isinstance(token, str) or not token:
        return "the authorization code exchange answered HTTP 200 without an access token"
    return None


def grant_of(token: Secret, resp: ApiResponse | None) -> Grant:
    """``token`` with the refresh token and lifetime its token response names (when any)."""
    refresh = resp.field("refresh_token") if resp is not None else None
    lifetime = resp.field("expires_in") if resp is not None else None
    return Grant(token, Secret(refresh) if isinstance(refresh, str) and refresh else None,
                 float(lifetime) if isinstance(lifetime, int | float) else None)


class TokenDriver(Driver):
    """Token endpoint, service tokens and revocation; ``SigningDriver`` builds on it."""

    def exchange(self, auth: Authorization | None = None, *, client: str = "main",
                 client_auth: str = "client_secret_basic", redirect_uri: str | None = None,
                 verifier: str | None = None, extra: dict[str, str] | None = None) -> ApiResponse:
        """Exchange the current code (the action under test: the answer is not judged here)."""
        auth = auth or self.world.authorization
        if auth is None or not auth.code:
            raise HarnessError("there is no authorization code to exchange")
        resp = self.api.exchange_code(
            self.endpoints.token, self.client(client), str(auth.code),
            redirect_uri or auth.redirect_uri or "", verifier or auth.code_verifier,
            client_auth, **(extra or {}))  # type: ignore[arg-type]
        self.world.response = auth.token_response = resp
        self.world.outcome = None
        if resp.status == 200:
            token = resp.field("access_token")
            auth.access_token = Secret(token) if isinstance(token, str) and token else None
            refresh = resp.field("refresh_token")
            auth.refresh_token = Secret(refresh) if refresh else None
            if auth.scope == "credential":
                self.world.sad = auth.access_token
        return resp

    def establish_tokens(self, auth: Authorization | None = None) -> Secret:
        """Set-up: exchange the code and insist on an access token (else the scenario errors)."""
        resp = self.exchange(auth)
        failure = exchange_failure(resp)
        if failure:
            raise HarnessError(failure, self.ev(resp))
        token = (auth or self.world.authorization).access_token  # type: ignore[union-attr]
        assert token is not None
        return token

    def exchange_again(self) -> ApiResponse:
        """Exchange the same code a second time; the first exchange must have worked."""
        auth = self.world.authorization
        first = auth.token_response if auth is not None else None
        failure = exchange_failure(first) if first is not None else "the code was never exchanged"
        if failure:
            raise HarnessError(f"the first exchange of the code did not work: {failure}",
                               self.ev(first))
        return self.exchange()

    def refresh(self, client: str = "main") -> ApiResponse:
        """Refresh the current grant's access token as ``client`` (the answer is not judged
        here)."""
        auth = self.authorization()
        if not auth.refresh_token:
            raise HarnessError("the grant has no refresh token to use")
        self.tokens.forget(str(auth.refresh_token))  # a rotating server may end the old one
        resp = self.api.refresh(self.endpoints.token, self.client(client),
                                str(auth.refresh_token), "client_secret_basic")
        self.world.response, self.world.outcome = resp, None
        auth.token_response = resp
        token = resp.field("access_token")
        auth.access_token = Secret(token) if isinstance(token, str) else None
        return resp

    def call_token_endpoint(self, fields: dict[str, str]) -> ApiResponse:
        """A raw token request from the main client with ``fields`` as its form."""
        client = self.client()
        resp = self.api.http.post_form(
            self.endpoints.token, {"client_id": client.client_id, **fields},
            basic_auth=(client.client_id, str(client.secret)))
        self.world.response, self.world.outcome = resp, None
        return resp

    def try_advertised_grants(self) -> dict[str, ApiResponse]:
        """Each grant type the AS metadata lists (RFC 8414 §2; omitted means authorization_code
        and implicit), tried at the token endpoint with material no server accepts: the answer
        says whether the grant type itself is supported. ``implicit`` has no token request."""
        listed = self.endpoints.metadata.get("grant_types_supported") or ["authorization_code"]
        material = {"authorization_code": {"code": INVENTED_CODE,
                                           "redirect_uri": self.client().redirect_uri},
                    "refresh_token": {"refresh_token": "invented-refresh-0000"},
                    "client_credentials": {"scope": "service"}}
        return {grant: self.call_token_endpoint({"grant_type": grant, **material.get(grant, {})})
                for grant in listed if isinstance(grant, str) and grant != "implicit"}

    def list_credentials(self, **options: Any) -> ApiResponse:
        resp = self.api.list_credentials(self.world.service_token, **options)
        self.world.response, self.world.outcome = resp, None
        return resp

    def established(self, what: str, token: Secret | None) -> Secret:
        """A token the scenario's set-up obtained; its absence is the suite's failure."""
        if not token:
            raise HarnessError(f"there is no {what}: the set-up did not obtain one")
        return token

    def revoke(self, token: str, hint: str | None, client_auth: str = "client_secret_basic",
               client: str = "main", **extra: str) -> ApiResponse:
        """RFC 7009 revocation of ``token`` by ``client`` (the answer is not judged here)."""
        if self.endpoints.revoke is None:
            pytest.skip("the authorization server offers no revocation endpoint")
        self.tokens.forget(token)  # never hand a revoked token to the next scenario
        resp = self.api.revoke(self.endpoints.revoke, self.client(client), token, hint,
                               client_auth, **extra)  # type: ignore[arg-type]
        self.world.response, self.world.outcome = resp, None
        return resp

    def invented_code(self) -> Authorization:
        """An authorization carrying a code the service never issued."""
        return self.record(self.request("service"), INVENTED_CODE)

    def grant_service(self, **fields: Any) -> Authorization:
        return self.login(self.request("service", **fields))

    def fresh_service_token(self) -> Secret | None:
        """A new service token in the target's style (``None``: the style sends none)."""
        return service_auth.obtain(self, self.code_flow_token).token

    def code_flow_token(self) -> Secret:
        """A service token by browser login and code exchange (authType oauth2code)."""
        self.grant_service()
        return self.establish_tokens()

    def service_token(self) -> Secret | None:
        """The scenario's service token: the worker's shared one (one per authorization style's
        issuer, identity, client and scope, refreshed near its expiry), or its own when its
        tags say the service token is what it is about (``tags.shares_service_token``).
        ``None``: the target's style sends no token."""
        if not tags.shares_service_token(self.world.tags):
            return self.fresh_service_token()
        key = TokenKey(self.token_issuer(), "signer", "main", "service")
        token = self.tokens.token(key, self.obtain_service_grant, self.refresh_grant) or None
        self.world.service_token = token
        return token

    def token_issuer(self) -> str:
        """Who issues this version's service tokens: the token endpoint, else the service."""
        eps = self.oauth_endpoints()
        return eps.token if eps is not None else f"{self.target.base_url} {self.api.version}"

    def obtain_service_grant(self) -> Grant:
        """A new service token with its refresh token and lifetime (for the token cache); a
        style that sends no token is cached as the empty token."""
        token = self.fresh_service_token()
        learned = self.world.notes.get("service_grant")  # what service_auth.obtain saw
        if isinstance(learned, service_auth.ServiceGrant) and learned.token == token:
            return Grant(token or Secret(""), learned.refresh_token, learned.lifetime_s)
        auth = self.world.authorization
        return grant_of(token or Secret(""), auth.token_response if auth is not None else None)

    def refresh_grant(self, refresh_token: Secret) -> Grant | None:
        """Refresh a shared token without a login (``None`` when the token endpoint refuses or
        there is none: the cache then obtains a new token); the scenario's own answer and
        authorization stay untouched."""
        eps = self.oauth_endpoints()
        if eps is None:
            return None
        resp = self.api.refresh(eps.token, self.client(), str(refresh_token),
                                "client_secret_basic")
        if exchange_failure(resp):
            return None
        return grant_of(Secret(resp.field("access_token")), resp)

    def wait_for_expiry(self, resp: ApiResponse) -> None:
        """Wait until what ``resp`` issued has outlived its ``expires_in`` (a token response) or
        ``expiresIn`` (``credentials/authorize``, CSC1 §11.6), counted from the answer's arrival
        plus a margin for the service's clock granularity; skip when that lifetime is longer
        than the profile lets a scenario wait."""
        wait_in_lifetime(self.world, resp, EXPIRY_MARGIN_S, "to pass")

    def wait_for_code_expiry(self) -> None:
        """Wait until the current authorization code has outlived the lifetime the profile
        declares for codes (``capabilities.code_lifetime_s``: a code states none, RFC 6749
        §4.1.2), counted from its arrival plus the margin; skip without a declaration."""
        auth = self.authorization()
        if not auth.code:
            raise HarnessError("there is no authorization code to let expire")
        lifetime_s = self.world.profile.capabilities.get("code_lifetime_s")
        if lifetime_s is None:
            pytest.skip("the profile does not say how long the target's authorization codes "
                        "live (capabilities.code_lifetime_s)")
        wait_from(self.world, auth.received_at, lifetime_s, EXPIRY_MARGIN_S,
                  "of the authorization code to pass")

    def wait_until_just_before_expiry(self, resp: ApiResponse) -> None:
        """Wait until what ``resp`` issued is in the last stretch of its stated lifetime, the
        margin before its end (the margin covers the answer's travel time, which makes the
        arrival a late start, and a service clock of whole seconds); skip as
        ``wait_for_expiry``, or when the lifetime has no such last stretch."""
        wait_in_lifetime(self.world, resp, -EXPIRY_MARGIN_S, "to be nearly over")


def wait_in_lifetime(world: World, resp: ApiResponse, offset_s: float, what: str) -> None:
    """Wait until ``offset_s`` after the end of the lifetime ``resp`` states (counted from its
    arrival); skip when the profile does not let a scenario wait that long."""
    lifetime_s = resp.field("expires_in")
    if lifetime_s is None:
        lifetime_s = resp.field("expiresIn")
    wait_from(world, resp.received_at, lifetime_s, offset_s, what)


def wait_from(world: World, start: float, lifetime_s: Any, offset_s: float, what: str) -> None:
    """Wait until ``offset_s`` after the end of a lifetime that began no later than ``start``
    (``time.monotonic``); skip when the profile does not let a scenario wait that long."""
    limit = float(world.profile.capabilities.get("max_wait_s", 15))
    if (not isinstance(lifetime_s, int | float) or isinstance(lifetime_s, bool)
            or lifetime_s + EXPIRY_MARGIN_S > limit):
        pytest.skip(f"lifetime {lifetime_s!r} s exceeds the {limit:.0f} s a scenario may wait")
    if lifetime_s + offset_s <= 0:
        pytest.skip(f"lifetime {lifetime_s!r} s is too short to sign within its last "
                    f"{-offset_s:.0f} s")
    remaining = start + lifetime_s + offset_s - time.monotonic()
    world.evidence.note(f"waited {max(remaining, 0):.1f} s for the {lifetime_s} s lifetime "
                        f"{what}")
    time.sleep(max(remaining, 0.0))
