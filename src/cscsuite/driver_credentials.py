"""The driver's credential roles: "the signer's SCAL 2 credential" -> a credential ID.

A profile pin wins; every other role is filled from credential discovery
(``cscsuite.credential_discovery``), made once per process, API version and identity with the
service token the scenarios share. Discovery leaves the scenario's own state alone: it may log in
for that token, but the scenario's token, last answer and authorization stay what they were.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import cast

import pytest

from cscsuite import capabilities as caps
from cscsuite.adapters import make_adapter
from cscsuite.credential_discovery import Discovery, discover, resolve, unfilled_reason
from cscsuite.driver import Adapter
from cscsuite.driver_tokens import TokenDriver
from cscsuite.evidence import Evidence
from cscsuite.http import ApiClient
from cscsuite.vocabulary import ROLES

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
            pytest.skip(unfilled_reason(role, found, identity))
        return cred

    def discovered_credentials(self, identity: str = "signer") -> Discovery:
        """This version's discovery for ``identity`` (made on first use in this process)."""
        version = self.api.version
        key = (self.target.base_url, version, identity)
        pins = self.identity(identity).credentials
        return self.target.credentials.get(key, pins, lambda: self._discover(identity))

    def capability_skip(self, name: str) -> str | None:
        """A deferred capability (``needs_<name>``) decided now; None when it holds."""
        version = self.api.version
        cap = caps.from_credentials(name, version, self.discovered_credentials(),
                                    self.identity("signer").credentials)
        return None if cap.value else f"target lacks capability '{name}' for {version} " \
                                      f"({cap.source})"

    def _discover(self, identity: str) -> Discovery:
        version = self.api.version
        if identity != "signer":
            return Discovery(version, identity, problem=f"the suite holds a service token for "
                             f"the signer only, so {identity}'s credentials are not listed")
        with self._scenario_state_kept():
            token = self.service_token()
        evidence = Evidence(f"session::credentials-{version}", self.world.evidence.reports_dir)
        http = self.api.http
        http = http.bind(evidence) if isinstance(http, ApiClient) else http
        api = cast(Adapter, make_adapter(version, http, self.target.csc_base_url(version)))
        try:
            return discover(api, str(token), version, identity)
        finally:
            evidence.write()

    @contextlib.contextmanager
    def _scenario_state_kept(self) -> Iterator[None]:
        saved = {name: getattr(self.world, name) for name in _SCENARIO_STATE}
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(self.world, name, value)
