"""The driver's credential roles: "the signer's SCAL 2 credential" -> a credential ID.

A profile pin wins; every other role is filled from credential discovery
(``cscsuite.credential_discovery``), made once per process, API version and identity with the
service token the scenarios share. Discovery leaves the scenario's own state alone: it may log in
for that token, but the scenario's token, last answer and authorization stay what they were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, cast

import pytest

from cscsuite import capabilities as caps
from cscsuite.adapters import make_adapter
from cscsuite.adapters.base import ApiResponse, CredentialInfo
from cscsuite.checks.base import expect, fail
from cscsuite.checks.credentials import check_pages_followed
from cscsuite.credential_discovery import (
    Discovery,
    answer,
    discover,
    resolve,
    unfilled_reason,
)
from cscsuite.driver import Adapter
from cscsuite.driver_tokens import TokenDriver
from cscsuite.evidence import Evidence
from cscsuite.http import ApiClient
from cscsuite.outcomes import HarnessError
from cscsuite.vocabulary import ROLES

#: Optional credentials/info parameters (neutral name -> the spec's name).
_OPTIONAL_INFO = {"cert_info": "certInfo", "auth_info": "authInfo"}

#: World fields a discovery's service-token login may touch; restored afterwards.
_SCENARIO_STATE = ("service_token", "response", "outcome", "authorization",
                   "previous_authorization", "sad")


class CredentialsDriver(TokenDriver):
    """Roles resolved to credential IDs; deferred capabilities decided from the credentials."""

    def credential_id(self, role_phrase: str, identity: str = "signer") -> str:
        """The credential filling the role of ``role_phrase``; skips with the role and what was
        found when nothing fills it."""
        role = ROLES.get(role_phrase, role_phrase)
        found = self.discovered_credentials(identity)
        cred = resolve(role, self.identity(identity).credentials, found)
        if cred is None:
            self.refusal_fails(found)
            pytest.skip(unfilled_reason(role, found, identity))
        return cred

    def read_credential(self, credential_id: str, **options: Any) -> ApiResponse:
        """credentials/info [CSC1 §11.5] as the scenario asks for it."""
        return self._read_info(credential_id, options, setup=False)

    def read_every_credential(self) -> list[CredentialInfo]:
        """Every credential the signer lists (all pages), each read with its chain: checks of
        the certificate profile and the declared key then cover the credentials no role uses.
        A listed credential that cannot be read is the service's deviation (CSC1 §11.5)."""
        ids, pages = self.api.list_all_credential_ids(self.world.service_token)
        check_pages_followed(pages, evidence=self.ev(pages[-1] if pages else None))
        infos = []
        for credential_id in ids:
            self.world.credential = None
            resp = self._read(credential_id, {"certificates": "chain"})
            read = self.world.credential if resp.status == 200 else None
            expect(read is not None and bool(read.certificates), "CSC1-11.5",
                   "credentials/info reads every listed credential with the chain asked for",
                   "HTTP 200 with certificates", answer(resp), self.ev(resp))
            infos.append(cast(CredentialInfo, self.world.credential))
        return infos

    def _read_info(self, credential_id: str, options: dict[str, Any], *,
                   setup: bool) -> ApiResponse:
        """certInfo and authInfo are optional: a ``501`` to them is a capability the target
        lacks. The set-up (and authInfo the scenario did not ask for) reads again without them;
        a scenario that asked for them skips with the reason."""
        asked = {k for k in _OPTIONAL_INFO if options.get(k)} if not setup else set()
        options.setdefault("auth_info", True)
        resp = self._read(credential_id, options)
        sent = {k for k in _OPTIONAL_INFO if options.get(k)}
        if resp.status == 501 and sent:
            if asked:
                pytest.skip(f"target lacks {' and '.join(_OPTIONAL_INFO[k] for k in sorted(asked))}"
                            f" on credentials/info for {self.api.version} "
                            f"({answer(resp)})")
            resp = self._read(credential_id, {k: v for k, v in options.items() if k not in sent})
        return resp

    def _read(self, credential_id: str, options: dict[str, Any]) -> ApiResponse:
        resp = self.api.credential_info(self.world.service_token, credential_id, **options)
        self.world.response, self.world.outcome = resp, None
        if resp.status == 200 and isinstance(resp.body, dict):
            self.world.credential = self.api.parse_credential_info(credential_id, resp.body)
        return resp

    def use_credential(self, role_phrase: str, identity: str = "signer") -> None:
        """Set-up: ``identity``'s credential of ``role_phrase`` with its chain, read with the
        scenario's service token (else the scenario errors)."""
        self.use_credential_id(self.credential_id(role_phrase, identity),
                               f"the {role_phrase} credential", identity)

    def use_credential_id(self, credential_id: str, what: str = "",
                          identity: str = "signer") -> None:
        """Set-up: this credential of ``identity`` with its chain becomes the scenario's."""
        resp = self._read_info(credential_id, {"certificates": "chain", "cert_info": True},
                               setup=True)
        self.world.notes["credential_owner"] = identity
        if resp.status != 200:
            raise HarnessError(f"credentials/info of {what or credential_id} failed: "
                               f"{answer(resp)}", self.ev(resp))

    def discovered_credentials(self, identity: str = "signer") -> Discovery:
        """This version's discovery for ``identity`` (made on first use in this process); another
        identity's credentials are listed once the scenario holds that identity's own token."""
        version = self.api.version
        if identity != "signer" and not self._held_token(identity):
            return Discovery(version, identity, problem=f"the suite holds no service token of "
                             f"{identity}'s own yet, so their credentials are not listed")
        key = (self.target.base_url, version, identity)
        pins = self.identity(identity).credentials
        return self.target.credentials.get(key, pins, lambda: self._discover(identity))

    def refusal_fails(self, found: Discovery) -> None:
        """Called where discovery was needed and found nothing: a credentials/list the target
        offers and then refused (on any page) is its deviation [CSC1 §11.4], so the scenario
        fails with it rather than skipping for a role "nobody fills" or a capability "the target
        lacks". (A scenario whose pins fill its roles does not depend on the listing.)"""
        if found.refusal is None:
            return
        not_offered = self.target.skip_reason("credentials_list", self.api.version)
        if not_offered:
            pytest.skip(f"{not_offered}; pin the credentials the scenario needs in the profile")
        fail("CSC1-11.4", "credentials/list answers every page of the listing for the token's "
             f"user (spec-notes §10 items 17, 19), here for {found.identity}",
             "HTTP 200 on every page", found.problem, found.refusal or None)

    def _held_token(self, identity: str) -> str | None:
        """The service token the scenario holds for ``identity`` (``parties.act_as``)."""
        token = self.world.notes.get("tokens", {}).get(identity)
        return str(token) if token else None

    def capability_skip(self, name: str) -> str | None:
        """A deferred capability (``needs_<name>``) decided now; None when it holds."""
        version = self.api.version
        found = self.discovered_credentials()
        cap = caps.from_credentials(name, version, found, self.identity("signer").credentials)
        if not cap.value:
            self.refusal_fails(found)
        return None if cap.value else f"target lacks capability '{name}' for {version} " \
                                      f"({cap.source})"

    def _discover(self, identity: str) -> Discovery:
        version = self.api.version
        if identity == "signer":
            with self.scenario_state_kept():
                signer = self.service_token()  # None: the service's style sends no token
            token = str(signer) if signer else None
        else:
            token = self._held_token(identity)
        who = "" if identity == "signer" else f"-{identity}"
        evidence = Evidence(f"session::credentials-{version}{who}{self.target.suffix()}",
                            self.world.evidence.reports_dir)
        http = self.api.http
        http = http.bind(evidence) if isinstance(http, ApiClient) else http
        api = cast(Adapter, make_adapter(version, http, self.target.csc_base_url(version)))
        try:
            return discover(api, token, version, identity,
                            cite=lambda resp: evidence.ref(resp.exchange_id))
        finally:
            evidence.write()

    @contextlib.contextmanager
    def scenario_state_kept(self) -> Iterator[None]:
        """Restore the scenario's token, answer and authorization after a side errand."""
        saved = {name: getattr(self.world, name) for name in _SCENARIO_STATE}
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(self.world, name, value)
