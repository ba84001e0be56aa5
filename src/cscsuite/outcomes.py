"""What an action of the driver came to: granted, refused by the service, or not established.

A conformance verdict is only honest when the suite can tell three things apart:

* ``Granted``: the service did what was asked (a code, a token, a SAD, signatures).
* ``Refused``: the service said no, with an HTTP status and an error code, at a named place
  (``where``: "authorization endpoint", "token endpoint", "signHash", "login page", ...).
* ``HarnessFailure``: the suite itself could not establish what it needed (a login recipe that
  no longer matches the page, a crashed browser, a failed code exchange in a set-up step). It is
  never evidence about the service, so it must never make a refusal scenario pass.

``HarnessError`` is the exception form of ``HarnessFailure``: raising it from a step ends the
scenario as an *error* ("the suite could not establish: ..."), never as a pass or a plain failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Granted:
    """The service granted the action; ``value`` holds what came back (never printed)."""

    where: str
    value: Any = field(default=None, repr=False)
    evidence: str | None = None


@dataclass(frozen=True)
class Refused:
    """The service refused: HTTP ``status`` (0 when the refusal was a page, not an answer),
    the CSC/OAuth ``error`` code, where it happened and the evidence reference."""

    where: str
    status: int
    error: str | None
    description: str | None = None
    evidence: str | None = None
    body: str | None = None  # a body that is no JSON object: content type and excerpt


@dataclass(frozen=True)
class HarnessFailure:
    """The suite could not establish a precondition; says why."""

    reason: str
    evidence: str | None = None


Outcome = Granted | Refused | HarnessFailure


class HarnessError(Exception):
    """Raised when a scenario's precondition could not be established by the suite.

    The pytest plugin reports it as an error (not a failure, never a pass) with the message
    "the suite could not establish: <reason>".
    """

    def __init__(self, reason: str, evidence: str | None = None) -> None:
        self.reason = reason
        self.evidence = evidence
        text = f"the suite could not establish: {reason}"
        if evidence:
            text += f"\n  evidence: {evidence}"
        super().__init__(text)

    @classmethod
    def of(cls, failure: HarnessFailure) -> HarnessError:
        return cls(failure.reason, failure.evidence)
