"""What a failed check looks like, and how MUST and SHOULD are graded.

Every check in ``cscsuite.checks`` cites the clause it verifies. A MUST violation raises
``ConformanceError`` (an ``AssertionError``, so pytest reports it as a plain failure with our
message). A SHOULD violation is recorded as a ``Finding``: the scenario passes unless the run is
``--strict``; the findings get their own report section.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class ConformanceError(AssertionError):
    """A MUST-level deviation: clause, requirement, expected, actual and evidence."""

    clause: str
    requirement: str
    expected: Any
    actual: Any
    evidence: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [
            f"[{self.clause}] {self.requirement}",
            f"  expected: {self.expected}",
            f"  actual:   {self.actual}",
        ]
        if self.evidence:
            lines.append(f"  evidence: {self.evidence}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Finding:
    """A SHOULD-level deviation, reported but not failing (unless ``--strict``)."""

    clause: str
    requirement: str
    expected: str
    actual: str
    test_id: str = ""


@dataclass
class _Grading:
    strict: bool = False
    findings: list[Finding] = field(default_factory=list)
    current_test: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


GRADING = _Grading()


def set_strict(strict: bool) -> None:
    GRADING.strict = strict


def record_finding(err: ConformanceError) -> None:
    """Turn a SHOULD violation into a finding; re-raise it when the run is strict."""
    finding = Finding(err.clause, err.requirement, str(err.expected), str(err.actual),
                      GRADING.current_test)
    with GRADING.lock:
        GRADING.findings.append(finding)
    if GRADING.strict:
        raise err


def clause(ref: str, requirement: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Attach a clause reference to a check; failures without a clause get this one."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        fn.clause = ref  # type: ignore[attr-defined]
        fn.requirement = requirement  # type: ignore[attr-defined]
        return fn

    return decorate


def should(fn: Callable[P, R]) -> Callable[P, R]:
    """Grade a check as SHOULD: its ConformanceError becomes a Finding (unless strict)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ConformanceError as err:
            record_finding(err)
            return None  # type: ignore[return-value]

    wrapper.level = "SHOULD"  # type: ignore[attr-defined]
    return wrapper


def fail(ref: str, requirement: str, expected: Any, actual: Any, evidence: str | None = None):
    """Raise a ConformanceError; a one-liner for checks."""
    raise ConformanceError(ref, requirement, expected, actual, evidence)


def expect(condition: bool, ref: str, requirement: str, expected: Any, actual: Any,
           evidence: str | None = None) -> None:
    """Raise a ConformanceError unless ``condition`` holds."""
    if not condition:
        fail(ref, requirement, expected, actual, evidence)
