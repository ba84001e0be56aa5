"""The driver: what the steps do, as named operations over world, target and browser.

Steps stay one to five lines because the mechanics live here: authorization requests with state
and PKCE, browser logins, code exchanges, service tokens. Every action says what it came to
(``cscsuite.outcomes``): a set-up action that cannot establish what the scenario needs raises
``HarnessError`` at once, so a refusal scenario can never pass on a broken harness; an attempt
(an action whose refusal is under test) records ``Granted`` or ``Refused`` in ``world.outcome``.
Nothing here branches on the API version: the adapter does. Tokens: ``driver_tokens``;
signing: ``driver_signing``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from typing import Any, cast

import pytest
from playwright.sync_api import Error as PlaywrightError

from cscsuite import oauth
from cscsuite.adapters import V1Adapter, V2Adapter
from cscsuite.adapters.base import ApiResponse, AuthorizationRequest
from cscsuite.browser import BrowserPool, BrowserUnavailable, HttpOtp, LoginError, run_login
from cscsuite.browser_recipe import Decision, first_line
from cscsuite.driver_login import (
    ANYWHERE,
    AUTHORIZATION_REQUEST,
    going_past,
    login_outcome,
    page_after,
)
from cscsuite.outcomes import Granted, HarnessError, HarnessFailure, Outcome, Refused
from cscsuite.profile import expand
from cscsuite.profile_types import Client, Identity, LoginStep
from cscsuite.target import Target
from cscsuite.token_cache import TokenCache
from cscsuite.vocabulary import HASHES
from cscsuite.world import Authorization, Secret, World

#: The adapters the driver drives (``CscApi`` plus the raw access bad-input steps need).
Adapter = V1Adapter | V2Adapter


#: The former name of the worker's token cache (``cscsuite.token_cache``).
ServiceTokens = TokenCache


def settle(outcome: Outcome) -> Outcome:
    """An outcome a scenario can judge: a harness failure ends the scenario as an error."""
    if isinstance(outcome, HarnessFailure):
        raise HarnessError.of(outcome)
    return outcome


def response_outcome(resp: ApiResponse | None, where: str, evidence: str | None) -> Outcome:
    """An API answer as an outcome: 2xx granted, anything else refused."""
    if resp is None:
        return HarnessFailure(f"no request was made to {where}", evidence)
    if 200 <= resp.status < 300:
        return Granted(where, resp, evidence)
    return Refused(where, resp.status, resp.error, resp.field("error_description"), evidence,
                   body=resp.not_json())


class Driver:
    """Context, hashes, authorization requests and browser logins; ``driver_tokens.TokenDriver``
    adds the token endpoint, ``driver_signing.SigningDriver`` credentials and signing."""

    def __init__(self, world: World, target: Target, pool: BrowserPool,
                 tokens: TokenCache) -> None:
        self.world = world
        self.target = target
        self.pool = pool
        self.tokens = tokens
        self.pkce: dict[int, oauth.Pkce] = {}

    # --- context ---------------------------------------------------------------------------------

    @property
    def api(self) -> Adapter:
        return cast(Adapter, self.world.api)

    def oauth_endpoints(self) -> Any | None:
        """This version's authorization server endpoints; ``None`` when the target names none."""
        return self.target.endpoints.get(self.api.version)

    @property
    def endpoints(self) -> Any:
        """This version's authorization server endpoints (a scenario without one skips)."""
        eps = self.oauth_endpoints()
        if eps is None:
            pytest.skip(self.target.skip_reason("oauth", self.api.version)
                        or "the target names no authorization server")
        return eps

    @property
    def info(self) -> Any:
        return self.target.info[self.api.version]

    def ev(self, resp: ApiResponse | None = None) -> str | None:
        resp = resp if resp is not None else self.world.response
        return self.world.evidence.ref(resp.exchange_id if resp is not None else None)

    def client(self, name: str = "main") -> Client:
        if name not in self.world.profile.clients:
            no_oauth = self.target.skip_reason("oauth", self.api.version)
            pytest.skip(no_oauth or f"the profile has no client {name!r}")
        return self.world.profile.clients[name]

    def identity(self, name: str = "signer") -> Identity:
        ident = self.world.profile.identities.get(name)
        if ident is None:
            pytest.skip(f"the profile has no {name!r} identity")
        return ident

    def acting(self) -> str:
        """The identity acting now: the signer, unless a scenario let another party act
        (``cscsuite.parties.act_as``)."""
        return str(self.world.notes.get("acting", "signer"))

    def outcome(self) -> Outcome:
        """What the last action came to (an API answer when no authorization was attempted)."""
        if self.world.outcome is not None:
            return self.world.outcome
        return response_outcome(self.world.response, "the service", self.ev())

    def response(self) -> ApiResponse:
        """The last API answer, which a Then-step judges (it must exist)."""
        if self.world.response is None:
            raise HarnessError("no request was made before its answer was judged")
        return self.world.response

    def answer(self) -> Outcome:
        """The last API answer as an outcome (for the generic "the service refuses" steps)."""
        resp = self.world.response
        return response_outcome(resp, resp.url if resp is not None else "the service", self.ev())

    def download(self, url: str) -> tuple[int, str, bytes]:
        """GET a resource the service links to (status, content type, body)."""
        resp = cast(Any, self.api.http).client.get(url, timeout=10)
        return resp.status_code, resp.headers.get("content-type", ""), resp.content

    def authorization(self) -> Authorization:
        """The current authorization (set-up: one must have run)."""
        if self.world.authorization is None:
            raise HarnessError("no authorization ran before its outcome was judged")
        return self.world.authorization

    # --- hashes ----------------------------------------------------------------------------------

    def compute_hashes(self, count: int, hash_name: str = "SHA-256",
                       predicate: Callable[[bytes], bool] | None = None) -> list[bytes]:
        algo = HASHES[hash_name]
        out: list[bytes] = []
        while len(out) < count:
            digest = hashlib.new(algo.name, secrets.token_bytes(32)).digest()
            if predicate is None or predicate(digest):
                out.append(digest)
        self.world.hashes = out
        self.world.hash_algorithm = algo.oid
        return out

    def hash_algorithm(self) -> str:
        """The OID of the hashes the scenario computed (set-up: they must exist)."""
        if not self.world.hash_algorithm:
            raise HarnessError("no document hashes were computed")
        return self.world.hash_algorithm

    # --- authorization requests ------------------------------------------------------------------

    def request(self, scope: str, client: str = "main", **fields: Any) -> AuthorizationRequest:
        pkce = oauth.make_pkce("S256")
        fields.setdefault("client_data", self.world.notes.get("client_data"))
        req = AuthorizationRequest(scope=scope,  # type: ignore[arg-type]
                                   redirect_uri=self.client(client).redirect_uri,
                                   state=oauth.new_state(), code_challenge=pkce.challenge,
                                   code_challenge_method="S256", **fields)
        self.pkce[id(req)] = pkce
        return req

    def url(self, req: AuthorizationRequest, client: str = "main") -> str:
        return str(self.api.authorize_url(self.endpoints.authorize, self.client(client), req))

    def push(self, req: AuthorizationRequest, client_auth: str = "client_secret_basic",
             client: str = "main") -> ApiResponse:
        """Push ``req`` to the PAR endpoint (RFC 9126); the answer is not judged here."""
        self.world.notes["pushed"] = req
        self.world.notes.pop("request_uri", None)
        resp = self.api.push_authorization(self.endpoints.par, self.client(client), req,
                                           client_auth)  # type: ignore[arg-type]
        self.world.response, self.world.outcome = resp, None
        uri = resp.field("request_uri")
        if resp.status in (200, 201) and isinstance(uri, str) and uri:
            self.world.notes["request_uri"] = uri
        return resp

    def pushed(self) -> AuthorizationRequest:
        """The request of the last push (set-up: it must have been pushed)."""
        req = self.world.notes.get("pushed")
        if not isinstance(req, AuthorizationRequest):
            raise HarnessError("no authorization request was pushed")
        return req

    def par_url(self, client: str = "main") -> str:
        """The authorize URL for the request reference of the last successful push."""
        uri = self.world.notes.get("request_uri")
        if not uri:
            resp = self.world.response
            said = f"HTTP {resp.status} {resp.error or ''}".rstrip() if resp else "no answer"
            raise HarnessError(f"the push returned no request reference ({said})", self.ev())
        return oauth.par_authorize_url(self.endpoints.authorize, self.client(client).client_id,
                                       uri)

    def otp_fetcher(self, identity: Identity) -> Callable[[], str] | HttpOtp | None:
        src = identity.otp
        if src is None or src.kind == "none":
            return None
        if src.kind == "http":
            url = expand(src.url or "", base_url=self.target.base_url,
                         username=str(identity.values.get("username", "")))
            return HttpOtp(url, src.field or "code")  # read through the login's browser
        if src.kind == "env":
            return lambda: os.environ[src.var or ""]
        return lambda: str(src.value)

    def record(self, req: AuthorizationRequest, code: str | None = None, *,
               state: str | None = None, error: str | None = None,
               description: str | None = None, url: str | None = None) -> Authorization:
        """Remember an authorization's outcome (with its PKCE verifier) as the current one."""
        pkce = self.pkce.get(id(req))
        auth = Authorization(scope=req.scope, code=code, state_sent=req.state,
                             state_returned=state, redirect_uri=req.redirect_uri,
                             code_verifier=Secret(pkce.verifier) if pkce else None, error=error,
                             error_description=description, callback_url=url)
        self.world.previous_authorization = self.world.authorization
        self.world.authorization = auth
        return auth

    # --- browser logins --------------------------------------------------------------------------

    def login_recipe(self, identity: str = "signer") -> tuple[LoginStep, ...]:
        """The identity's login recipe; a target without browser logins skips the scenario."""
        login = self.identity(identity).login
        if not login:
            pytest.skip(f"target lacks capability 'browser_login' for {self.api.version} "
                        f"(profile: identities.{identity}.login absent)")
        return tuple(self.world.profile.login_recipes[login])

    def run_browser(self, req: AuthorizationRequest, *, client: str = "main",
                    identity: str | None = None, decision: Decision = "approve",
                    overrides: dict[str, str] | None = None, url: str | None = None,
                    expected_at: str = ANYWHERE,
                    recipe: tuple[LoginStep, ...] | None = None) -> Outcome:
        """One browser login for ``req`` by ``identity`` (default: the party acting now); its
        outcome lands in ``world.outcome`` (never raises for a failed login: that is a
        ``HarnessFailure``)."""
        identity = identity or self.acting()
        ident = self.identity(identity)
        recipe = recipe or self.login_recipe(identity)
        self.record(req)
        self.world.logins += 1
        try:
            result = run_login(
                self.pool, authorize_url=url or self.url(req, client),
                redirect_uri=req.redirect_uri, identity=ident, recipe=recipe,
                otp_fetcher=self.otp_fetcher(ident), evidence=self.world.evidence,
                timeout_s=self.world.profile.timeouts.login_s, decision=decision,
                overrides=overrides)
        except (LoginError, HarnessError, BrowserUnavailable, PlaywrightError) as exc:
            # crashes, circuit breakers and a browser that died between two logins included
            outcome: Outcome = HarnessFailure(f"the signer's browser login ({_why(exc)})")
        else:
            self.world.notes["login"] = result
            self.record(req, result.code, state=result.state, error=result.error,
                        description=result.error_description, url=result.callback_url)
            outcome = login_outcome(result, expected_at=expected_at,
                                    authorize_endpoint=self.endpoints.authorize, recipe=recipe)
        self.world.outcome = outcome
        return outcome

    def login(self, req: AuthorizationRequest, **options: Any) -> Authorization:
        """Set-up: a login that must come back with a code (else the scenario errors)."""
        outcome = settle(self.run_browser(req, **options))
        if not isinstance(outcome, Granted):
            raise HarnessError(f"the signer's login was refused: {describe(outcome)}")
        assert self.world.authorization is not None
        return self.world.authorization

    def attempt(self, req: AuthorizationRequest, *, client: str = "main",
                url: str | None = None, expected_at: str = AUTHORIZATION_REQUEST) -> Outcome:
        """Start an authorization whose refusal is under test. A refusal ends it at once; when
        the server shows its login instead, the signer logs in and approves. The browser makes
        the only request, so one-time values (account token jti, request_uri) stay unused."""
        return settle(self.run_browser(req, client=client, url=url, expected_at=expected_at))

    def login_refused(self, req: AuthorizationRequest, *, decision: Decision = "approve",
                      overrides: dict[str, str] | None = None,
                      identity: str | None = None) -> Outcome:
        """A login whose refusal is under test (a wrong password, a wrong code, a denial): a page
        refusal counts only on the page that asks for the overridden value."""
        at = next(iter(overrides)) if overrides else ANYWHERE
        return settle(self.run_browser(req, identity=identity, decision=decision,
                                       overrides=overrides, expected_at=at))

    def revisit_login_pages(self) -> list[tuple[int, str]]:
        """GET every page the last login showed once more, without its browser session (a
        stale bookmark, a reload after the redirect): (status, page) of each answer."""
        pages = dict.fromkeys(self.world.notes["login"].pages_seen)
        return [(self.api.http.get(page).status, page) for page in pages]

    def login_past(self, make_request: Callable[[], AuthorizationRequest], value: str) -> Outcome:
        """Log in once as the recipe says (the control: granted, with a page after the one that
        asks for ``value``), then once more going from that page straight to the next one
        without entering ``value``. The second login's outcome; skipped with the reason when
        the recipe or the pages give no page to go to."""
        recipe = self.login_recipe(self.acting())
        if not any(step.value == value for step in recipe):
            pytest.skip(f"the login recipe enters no {value!r}")
        self.login(make_request())
        result = self.world.notes["login"]
        asking = result.entered_on.get(value)
        if asking is None:
            pytest.skip(f"the login entered no {value!r} (its recipe's steps for it are optional)")
        address = page_after(result, asking)
        if address is None or address in result.queried:
            pytest.skip(f"no page to go to past the page asking for {value!r}: "
                        + ("the login ended there" if address is None else
                           f"{address} carries per-login state in its address"))
        self.world.evidence.note(f"going from {asking} straight to {address}, without "
                                 f"entering {value!r}")
        return self.run_browser(make_request(), recipe=going_past(recipe, value, address))

    def cancel_login(self, req: AuthorizationRequest, identity: str) -> Outcome:
        """A login the signer declines before the consent page (the recipe's first step with a
        ``deny_name`` of several); skipped when the recipe declines only at consent."""
        declining = [s for s in self.login_recipe(identity) if s.deny_name]
        if len(declining) < 2:
            pytest.skip(f"the {identity} login recipe declines only on the consent page (no "
                        "step before it has a deny_name)")
        return self.login_refused(req, decision="deny", identity=identity)


def describe(outcome: Outcome) -> str:
    """One line for messages: where and what (never the granted value)."""
    if isinstance(outcome, Refused):
        said = f"HTTP {outcome.status} " if outcome.status else ""
        return f"{said}{outcome.error or outcome.description or 'refused'} at {outcome.where}"
    if isinstance(outcome, HarnessFailure):
        return outcome.reason
    return f"granted at {outcome.where}"


def _why(exc: BaseException) -> str:
    """The reason in one line, without a nested "the suite could not establish:" prefix."""
    return exc.reason if isinstance(exc, HarnessError) else first_line(exc)
