"""Per-scenario state shared by the steps.

A ``World`` is created for every scenario instance (function-scoped fixture ``world``). Steps
read and write it instead of passing values through fixtures, which keeps step functions to a
few lines and keeps secrets off step signatures (Allure records step arguments with ``repr``).
Secrets held here are wrapped in ``Secret`` so that no repr ever shows them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cscsuite.secret import Secret

if TYPE_CHECKING:
    from cscsuite.adapters.base import ApiResponse, CredentialInfo, CscApi
    from cscsuite.evidence import Evidence
    from cscsuite.outcomes import Outcome
    from cscsuite.profile_types import Profile

__all__ = ["Authorization", "Secret", "World"]  # Secret: still importable from here


@dataclass
class Authorization:
    """The outcome of one OAuth authorization (service or credential)."""

    scope: str
    code: str | None = None
    state_sent: str | None = None
    state_returned: str | None = None
    redirect_uri: str | None = None
    code_verifier: Secret | None = None
    error: str | None = None
    error_description: str | None = None
    callback_url: str | None = None
    token_response: ApiResponse | None = None
    access_token: Secret | None = None
    refresh_token: Secret | None = None
    #: When the outcome arrived (``time.monotonic``): a code's lifetime runs from no later.
    received_at: float = field(default_factory=time.monotonic)


@dataclass
class World:
    """Everything one scenario instance knows; reset for every test."""

    api: CscApi
    profile: Profile
    evidence: Evidence
    service_token: Secret | None = None
    credential: CredentialInfo | None = None
    hashes: list[bytes] = field(default_factory=list)
    hash_algorithm: str | None = None
    sign_algorithm: str | None = None
    sign_algorithm_params: bytes | None = None
    sad: Secret | None = None
    authorization: Authorization | None = None
    previous_authorization: Authorization | None = None
    response: ApiResponse | None = None
    signatures: list[bytes] = field(default_factory=list)
    #: What the last authorization attempt came to (``None`` after an API call: see response).
    outcome: Outcome | None = None
    #: The outcome of every signHash call of the scenario, in order.
    signings: list[Outcome] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    #: The scenario's tags (areas, flags, clauses): ``cscsuite.tags`` reads what they imply.
    tags: frozenset[str] = frozenset()
    #: Browser logins the scenario made (the run's login count in the reports).
    logins: int = 0
