"""What a failed check looks like, which clause it cites, and how MUST and SHOULD are graded.

Every check in ``cscsuite.checks`` is decorated with ``@clause(ref, requirement)``; inside it,
``expect`` and ``fail`` cite that clause (a context variable the decorator sets), so the clause
is written once. A MUST violation raises ``ConformanceError`` (an ``AssertionError``, so pytest
reports it as a plain failure with our message). A SHOULD violation (a check graded ``@should``,
or any ``ConformanceError`` in a scenario tagged ``@should``) is recorded as a ``Finding``: the
scenario passes unless the run is ``--csc-strict``; the findings get their own report section.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, NoReturn, ParamSpec, TypeVar, overload

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
    """A SHOULD-level deviation, reported but not failing (unless ``--csc-strict``)."""

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


# -- citing a clause ---------------------------------------------------------------------------

#: The (clause, requirement) of the ``@clause`` check running now, for ``expect`` and ``fail``.
_CITED: ContextVar[tuple[str, str] | None] = ContextVar("cscsuite_cited_clause", default=None)


@contextmanager
def citing(ref: str, requirement: str) -> Iterator[None]:
    """Make ``expect``/``fail`` cite ``ref`` inside the block (what ``@clause`` does)."""
    token = _CITED.set((ref, requirement))
    try:
        yield
    finally:
        _CITED.reset(token)


def clause(ref: str, requirement: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare the clause a check verifies: its ``expect``/``fail`` calls cite it, and a value
    from the service that :mod:`cscsuite.crypto` cannot parse fails the check citing it too."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with citing(ref, requirement):
                try:
                    return fn(*args, **kwargs)
                except Exception as err:
                    unreadable = _unreadable(err, ref, requirement, kwargs.get("evidence"))
                    if unreadable is None:
                        raise
                    raise unreadable from err

        wrapper.clause = ref  # type: ignore[attr-defined]
        wrapper.requirement = requirement  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _unreadable(err: Exception, ref: str, requirement: str,
                evidence: Any) -> ConformanceError | None:
    """A value from the service that :mod:`cscsuite.crypto` cannot parse, as a ConformanceError
    (imported here, on failure only: this module stays free of the crypto stack)."""
    from cscsuite.crypto.errors import VerificationError

    if not isinstance(err, VerificationError):
        return None
    return ConformanceError(ref, requirement, "well-formed certificates and values",
                            f"{err.reason}: {err}", evidence if isinstance(evidence, str) else None)


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


def _cited(ref: str | None, requirement: str | None) -> tuple[str, str]:
    """The clause to cite: the explicit one, else the running ``@clause`` check's."""
    current = _CITED.get()
    if ref is None and current is None:
        raise TypeError("expect()/fail() outside a @clause check must name ref and requirement")
    if current is None or (ref is not None and ref != current[0]):
        # A second clause: its requirement is the caller's, never the decorator's.
        return str(ref), requirement or ""
    return current[0], requirement or current[1]


@overload
def fail(expected: Any, actual: Any, /, evidence: str | None = None, *,
         ref: str | None = None, requirement: str | None = None) -> NoReturn: ...
@overload
def fail(ref: str, requirement: str, expected: Any, actual: Any, /,
         evidence: str | None = None) -> NoReturn: ...
def fail(*args: Any, evidence: str | None = None, ref: str | None = None,
         requirement: str | None = None) -> NoReturn:
    """Raise a ConformanceError citing the running check's clause (or ``ref`` when given).

    ``fail(expected, actual, evidence)``; the older ``fail(ref, requirement, expected, actual,
    evidence)`` form still works."""
    if len(args) >= 4:  # the explicit form: ref and requirement first
        ref, requirement, args = args[0], args[1], args[2:]
    if len(args) not in (2, 3):
        raise TypeError(f"fail() takes expected, actual and evidence, not {len(args)} values")
    if len(args) == 3:
        evidence = args[2]
    cited, why = _cited(ref, requirement)
    raise ConformanceError(cited, why, args[0], args[1], evidence)


@overload
def expect(condition: bool, expected: Any, actual: Any, /, evidence: str | None = None, *,
           ref: str | None = None, requirement: str | None = None) -> None: ...
@overload
def expect(condition: bool, ref: str, requirement: str, expected: Any, actual: Any, /,
           evidence: str | None = None) -> None: ...
def expect(condition: bool, *args: Any, **kwargs: Any) -> None:
    """Raise a ConformanceError unless ``condition`` holds (arguments as for ``fail``)."""
    if not condition:
        fail(*args, **kwargs)
