"""``Flow``: what the steps do, as a few named operations over world, target and browser.

Steps stay one to five lines because the mechanics live here: building authorization requests
with state and PKCE, running browser logins, exchanging codes, obtaining service tokens and SADs,
and signing. State goes into ``world``; secrets stay ``Secret`` and never reach a step signature.
Nothing here branches on the API version: the adapter does.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from cscsuite import oauth
from cscsuite.adapters.base import ApiResponse, AuthorizationRequest, SignRequest
from cscsuite.browser import HttpOtp, LoginError, run_login
from cscsuite.profile import expand
from cscsuite.world import Authorization, Secret, World
from steps.vocabulary import ALGORITHMS, HASHES, ROLES, Algorithm, pss_params

#: Service tokens per (base URL, version, identity), reused across scenarios that only read.
_SERVICE_TOKENS: dict[tuple[str, str, str], tuple[Secret, float]] = {}


@dataclass
class Flow:
    world: World
    target: Any  # cscsuite.target.Target
    pool: Any  # cscsuite.browser.BrowserPool
    pkce: dict[int, oauth.Pkce] = field(default_factory=dict)

    # --- context ---------------------------------------------------------------------------------

    @property
    def api(self) -> Any:
        return self.world.api

    @property
    def endpoints(self) -> Any:
        eps = self.target.endpoints.get(self.api.version)
        if eps is None:
            pytest.skip("the target names no authorization server")
        return eps

    @property
    def info(self) -> Any:
        return self.target.info[self.api.version]

    def ev(self, resp: ApiResponse | None = None) -> str | None:
        resp = resp if resp is not None else self.world.response
        return self.world.evidence.ref(resp.exchange_id if resp is not None else None)

    def client(self, name: str = "main") -> Any:
        if name not in self.world.profile.clients:
            pytest.skip(f"the profile has no client {name!r}")
        return self.world.profile.clients[name]

    def credential_id(self, role_phrase: str, identity: str = "signer") -> str:
        role = ROLES.get(role_phrase, role_phrase)
        creds = self.world.profile.identities[identity].credentials
        if role not in creds:
            pytest.skip(f"the profile names no {role!r} credential for {identity}")
        return creds[role]

    # --- hashes ----------------------------------------------------------------------------------

    def compute_hashes(self, count: int, hash_name: str = "SHA-256",
                       predicate: Any = None) -> list[bytes]:
        algo = HASHES[hash_name]
        out: list[bytes] = []
        while len(out) < count:
            digest = hashlib.new(algo.name, secrets.token_bytes(32)).digest()
            if predicate is None or predicate(digest):
                out.append(digest)
        self.world.hashes = out
        self.world.hash_algorithm = algo.oid
        return out

    # --- OAuth -----------------------------------------------------------------------------------

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

    def otp_fetcher(self, identity: Any) -> Any:
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

    def login(self, req: AuthorizationRequest, *, client: str = "main",
              identity: str = "signer", decision: str = "approve",
              overrides: dict[str, str] | None = None, url: str | None = None) -> Authorization:
        """A real browser login for ``req``; the outcome lands in ``world.authorization``."""
        ident = self.world.profile.identities.get(identity)
        if ident is None:
            pytest.skip(f"the profile has no {identity!r} identity")
        result = run_login(
            self.pool, authorize_url=url or self.url(req, client),
            redirect_uri=req.redirect_uri, identity=ident,
            recipe=self.world.profile.login_recipes[ident.login],
            otp_fetcher=self.otp_fetcher(ident), evidence=self.world.evidence,
            timeout_s=self.world.profile.timeouts.login_s, decision=decision,  # type: ignore
            overrides=overrides)
        self.world.notes["login"] = result
        return self._remember(req, result.code, result.state, result.error,
                              result.error_description, result.callback_url)

    def _remember(self, req: AuthorizationRequest, code: Any, state: str | None,
                  error: str | None, description: str | None, url: str | None) -> Authorization:
        pkce = self.pkce.get(id(req))
        auth = Authorization(scope=req.scope, code=code, state_sent=req.state,
                             state_returned=state, redirect_uri=req.redirect_uri,
                             code_verifier=pkce.verifier if pkce else None, error=error,
                             error_description=description, callback_url=url)
        self.world.previous_authorization = self.world.authorization
        self.world.authorization = auth
        return auth

    def attempt(self, req: AuthorizationRequest, *, client: str = "main",
                url: str | None = None) -> Authorization:
        """Start an authorization in the browser: a refusal (error redirect or error page) ends
        it at once; when the server shows its login instead, the signer logs in and approves.
        The browser makes the only request, so one-time values (account token jti, request_uri)
        are not used up by a probe."""
        try:
            auth = self.login(req, client=client, url=url)
        except LoginError as exc:
            return self._remember(req, None, None, f"login failed: {exc}", None, None)
        page_error = self.world.notes["login"].page_error
        if page_error and not auth.error:
            auth.error, auth.error_description = "error_page", page_error
        return auth

    def exchange(self, auth: Authorization | None = None, *, client: str = "main",
                 client_auth: str = "client_secret_basic", redirect_uri: str | None = None,
                 verifier: str | None = None, **extra: str) -> ApiResponse:
        auth = auth or self.world.authorization
        assert auth is not None and auth.code, "no authorization code to exchange"
        resp = self.api.exchange_code(
            self.endpoints.token, self.client(client), str(auth.code),
            redirect_uri or auth.redirect_uri or "", verifier or auth.code_verifier,
            client_auth, **extra)
        self.world.response = auth.token_response = resp
        if resp.status == 200:
            auth.access_token = Secret(resp.field("access_token") or "")
            refresh = resp.field("refresh_token")
            auth.refresh_token = Secret(refresh) if refresh else None
            if auth.scope == "credential":
                self.world.sad = auth.access_token
        return resp

    def grant_service(self, **fields: Any) -> Authorization:
        return self.login(self.request("service", **fields))

    def fresh_service_token(self) -> Secret:
        self.grant_service()
        resp = self.exchange()
        assert resp.status == 200, f"service token exchange failed: HTTP {resp.status}"
        self.world.service_token = self.world.authorization.access_token  # type: ignore
        return self.world.service_token  # type: ignore[return-value]

    def service_token(self) -> Secret:
        """A cached service token for this version (one login per version and run)."""
        key = (self.target.base_url, self.api.version, "signer")
        cached = _SERVICE_TOKENS.get(key)
        if cached is None or cached[1] < time.time() + 30:
            token = self.fresh_service_token()
            lifetime = self.world.response.field("expires_in") or 300  # type: ignore[union-attr]
            _SERVICE_TOKENS[key] = (token, time.time() + float(lifetime))
        self.world.service_token = _SERVICE_TOKENS[key][0]
        return self.world.service_token

    # --- credentials -----------------------------------------------------------------------------

    def read_credential(self, credential_id: str, **options: Any) -> ApiResponse:
        options.setdefault("auth_info", True)
        resp = self.api.credential_info(self.world.service_token, credential_id, **options)
        self.world.response = resp
        if resp.status == 200:
            self.world.credential = self.api.parse_credential_info(credential_id, resp.body)
        return resp

    def use_credential(self, role_phrase: str) -> None:
        resp = self.read_credential(self.credential_id(role_phrase), certificates="chain",
                                    cert_info=True)
        assert resp.status == 200, f"credentials/info failed: HTTP {resp.status} {resp.error}"

    # --- credential authorization and signing ----------------------------------------------------

    def authorize_signing(self, *, num: int | None = None, bind: bool = True,
                          hashes: list[bytes] | None = None, attempt: bool = False,
                          **fields: Any) -> Authorization:
        """Authorize the credential the way its mode demands; the SAD lands in ``world.sad``."""
        cred = self.world.credential
        hashes = self.world.hashes if hashes is None else hashes
        count = num if num is not None else len(hashes)
        if cred is not None and cred.auth_mode in ("implicit", "explicit"):
            return self._authorize_directly(count, hashes if bind else None)
        if cred is not None and "credential_id" not in fields and "signature_qualifier" \
                not in fields:
            fields["credential_id"] = cred.credential_id
        req = self.request("credential", num_signatures=count,
                           hashes=hashes if bind else None,
                           hash_algorithm=self.world.hash_algorithm if bind else None, **fields)
        return self.authorize_request(req, attempt=attempt)

    def authorize_request(self, req: AuthorizationRequest, *, attempt: bool = False,
                          url: str | None = None) -> Authorization:
        """Log in (or attempt) for a credential request; exchange the code for the SAD."""
        auth = self.attempt(req, url=url) if attempt else self.login(req, url=url)
        if auth.code:
            self.exchange(auth)
            self.world.sad = auth.access_token
        return auth

    def wait_for_expiry(self, lifetime_s: Any) -> None:
        """Wait until a token or reference of ``lifetime_s`` has expired, or skip when the
        target's lifetime is longer than the profile lets a scenario wait."""
        limit = float(self.world.profile.capabilities.get("max_wait_s", 15))
        if not isinstance(lifetime_s, int | float) or lifetime_s + 1 > limit:
            pytest.skip(f"lifetime {lifetime_s!r} s exceeds the {limit:.0f} s a scenario may wait")
        time.sleep(float(lifetime_s) + 1)

    def _authorize_directly(self, count: int, hashes: list[bytes] | None,
                            **factors: Any) -> Authorization:
        assert self.world.credential is not None
        values = self.world.profile.identities["signer"].values
        if self.world.credential.auth_mode == "explicit" and not factors:
            factors = {"pin": values.get("pin"), "otp": values.get("credential_otp")}
        resp = self.api.authorize_credential(
            self.world.service_token, self.world.credential.credential_id, count, hashes,
            self.world.hash_algorithm, **factors)
        self.world.response = resp
        sad = resp.field("SAD")
        self.world.sad = Secret(sad) if isinstance(sad, str) else None
        auth = Authorization(scope="credential", access_token=self.world.sad,
                             error=resp.error, token_response=resp)
        self.world.authorization = auth
        return auth

    def sign(self, algorithm: str | Algorithm, *, hashes: list[bytes] | None = None,
             credential_id: str | None = None, sad: Any = "world", sad_in_header: bool = False,
             overrides: dict[str, Any] | None = None, client_data: str | None = None,
             token: Any = "world") -> ApiResponse:
        algo = ALGORITHMS[algorithm] if isinstance(algorithm, str) else algorithm
        hashes = self.world.hashes if hashes is None else hashes
        assert self.world.credential is not None or credential_id, "no credential chosen"
        params = pss_params(algo.pss_hash) if algo.pss_hash else None
        self.world.sign_algorithm, self.world.sign_algorithm_params = algo.oid, params
        req = SignRequest(
            credential_id=credential_id or self.world.credential.credential_id,  # type: ignore
            hashes=list(hashes), sign_algorithm=algo.oid,
            hash_algorithm=self.world.hash_algorithm if algo.send_hash else None,
            sign_algorithm_params=params, sad=self.world.sad if sad == "world" else sad,
            sad_in_header=sad_in_header, overrides=overrides or {},
            client_data=client_data or self.world.notes.get("client_data"))
        resp = self.api.sign_hashes(self.world.service_token if token == "world" else token, req)
        self.world.response = resp
        self.world.signatures = self.api.parse_signatures(resp) if resp.status == 200 else []
        self.world.notes["algorithm"] = algo
        return resp
