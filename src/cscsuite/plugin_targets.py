"""The fixtures of an instance's target (the profile's own, or the companion that runs it),
and the capability gate, which asks that target.

Every scenario instance names its target in the parameter ``csc_target`` (set with
``csc_version`` at collection, see ``cscsuite.companions``); ``target`` and ``profile`` are that
target's, from the session registry (``SuiteSession.for_target``), so the driver, the adapter
and the capability gate serve a companion exactly as they serve the profile's own target. What a
process shares per target (discovery, credential discovery, the HTTP client, the embedded
service) lives in that target's session; the worker's token cache keys its tokens by issuer and
the browser pool is the worker's, so both serve every target as they are.

Registered by ``cscsuite.plugin`` (``pytest_plugins``), which never imports it: an imported module
could no longer be assertion-rewritten as a plugin.
"""

from __future__ import annotations

import pytest

from cscsuite import companions
from cscsuite.checks.base import GRADING
from cscsuite.outcomes import HarnessError
from cscsuite.profile_types import Profile
from cscsuite.session import UsageProblem, target_session
from cscsuite.target import Target


@pytest.fixture
def csc_target() -> str:
    """The target this instance runs against: ``""`` for the profile's own, else a companion's
    name (parametrised with ``csc_version``; see ``cscsuite.companions``)."""
    return companions.PRIMARY


@pytest.fixture
def target(pytestconfig: pytest.Config, csc_target: str) -> Target:
    """The discovered target of this instance (base URL, info per version, AS endpoints, trust
    anchors): discovered once per process and target. The profile's own target failing is an
    error of use; a companion failing is an error of the scenarios that need it."""
    try:
        return target_session(pytestconfig, csc_target).discover()
    except UsageProblem as exc:
        if csc_target:
            raise HarnessError(str(exc)) from None
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture
def profile(pytestconfig: pytest.Config, csc_target: str, target: Target) -> Profile:
    """The profile of this instance's target, with ``base_url`` filled in once it is known."""
    return target_session(pytestconfig, csc_target).profile_with_url()


@pytest.fixture(autouse=True)
def _csc_gate(request: pytest.FixtureRequest, csc_version: str, csc_target: str) -> None:
    """Skip a test whose ``needs_<capability>`` its target lacks; name it for the findings."""
    GRADING.current_test = request.node.nodeid
    needs = companions.needs_of(m.name for m in request.node.iter_markers())
    if not needs:
        return
    tgt: Target = request.getfixturevalue("target")
    for name in needs:
        reason = tgt.skip_reason(name, csc_version)
        if reason and tgt.capabilities[csc_version].deferred(name):
            reason = _decided_by_credentials(request, name)
        if reason:
            pytest.skip(f"{reason} [companion {csc_target}]" if csc_target else reason)


def _decided_by_credentials(request: pytest.FixtureRequest, name: str) -> str | None:
    """A deferred capability, decided from the signer's credentials by the scenario driver
    (fixture ``flow`` of ``steps/``)."""
    try:
        flow = request.getfixturevalue("flow")
    except pytest.FixtureLookupError:
        return (f"capability '{name}' is decided by credential discovery, which runs only in "
                f"scenarios (no driver fixture 'flow' here)")
    reason: str | None = flow.capability_skip(name)
    return reason
