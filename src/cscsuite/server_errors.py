"""Pytest plugin: a scenario in which the service failed internally does not pass.

A step judges the answers its rule is about; an HTTP 500 elsewhere in the scenario (a set-up call,
a lookup, the second of two calls) would otherwise go unseen, and a check that reads "some
refusal" could even count it as the refusal. After every scenario that ended without a failure
of its own, every recorded exchange is checked (CSC1 §10). A target that answers 502-504 was
unavailable: the scenario is an error of the run, not a verdict on the service.
"""

from __future__ import annotations

import sys
from dataclasses import fields
from typing import Any

import pytest

from cscsuite.checks.base import ConformanceError
from cscsuite.checks.errors import UNAVAILABLE, check_no_internal_error, is_internal_error
from cscsuite.evidence import Evidence
from cscsuite.outcomes import HarnessError


@pytest.hookimpl(optionalhook=True)  # a run without pytest-bdd has no such hook
def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any,
                              scenario: Any) -> None:
    if sys.exc_info()[1] is not None or "evidence" not in request.fixturenames:
        return  # the scenario already failed: its own failure is the one to report
    evidence: Evidence = request.getfixturevalue("evidence")
    calls = [(ex.status, f"{ex.method} {ex.url}", ex.id) for ex in evidence.exchanges
             if ex.status is not None]
    down = [f"HTTP {s} to {call}" for s, call, _ in calls if s in UNAVAILABLE]
    if down:
        raise HarnessError(f"the target was unavailable: {'; '.join(down)}")
    first = next((i for s, _, i in calls if is_internal_error(s)), None)
    try:
        check_no_internal_error([(s, call) for s, call, _ in calls], evidence=evidence.ref(first))
    except ConformanceError as err:
        raise InternalServerError.of(err) from None


class InternalServerError(ConformanceError):
    """A crash of the service: a failure even in a ``@should`` scenario, whose own rule is only
    a recommendation (the metadata scenario must not pass on an HTTP 500)."""

    @classmethod
    def of(cls, err: ConformanceError) -> InternalServerError:
        """``err`` (a failed no-crash check, with its clause and evidence) as a crash."""
        return cls(*(getattr(err, f.name) for f in fields(err)))
