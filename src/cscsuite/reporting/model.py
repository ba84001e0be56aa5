"""Per-scenario result records: what a worker knows about one test, in plain JSON-able form.

Records travel from xdist workers to the controller as a report attribute (pytest serialises
plain attributes of a ``TestReport``), so every field here is a str/int/float/bool/list/dict.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Outcomes, worst first: the order decides a scenario's overall outcome from its phases.
OUTCOME_ORDER = ("error", "failed", "xpassed", "xfailed", "skipped", "passed", "not run")
STEP_STATUSES = ("passed", "failed", "undefined", "skipped")


@dataclass
class StepResult:
    """One executed (or not executed) Gherkin step of one scenario instance."""

    keyword: str
    name: str
    line: int
    status: str = "skipped"  # passed | failed | undefined | skipped (= not reached)
    duration: float = 0.0
    error: str = ""
    location: str = ""  # step function, "module:line"
    background: bool = False


@dataclass
class FindingRecord:
    """A SHOULD-level finding attached to the scenario that produced it."""

    clause: str
    requirement: str
    expected: str
    actual: str
    test_id: str = ""


@dataclass
class ScenarioResult:
    """Everything the reports need about one test (one scenario instance x one API version)."""

    nodeid: str
    outcome: str = "not run"
    duration: float = 0.0
    start: float = 0.0
    feature_file: str = ""  # relative to rootdir, "/" separators
    feature_name: str = ""
    scenario_name: str = ""
    scenario_line: int = 0
    tags: list[str] = field(default_factory=list)
    api_version: str = ""
    target: str = ""  # the companion that ran it ("": the profile's own target)
    stable_id: str = ""
    area: str = ""
    example: dict[str, str] = field(default_factory=dict)
    steps: list[StepResult] = field(default_factory=list)
    message: str = ""  # one-line reason (redacted)
    details: str = ""  # longer failure text (redacted)
    findings: list[FindingRecord] = field(default_factory=list)
    evidence_dir: str = ""  # relative to the reports dir, when it exists
    worker: str = ""
    facts: dict[str, str] = field(default_factory=dict)  # user properties "fact.<label>"
    logins: int = 0  # browser logins the scenario made

    @property
    def is_scenario(self) -> bool:
        return bool(self.feature_file)

    @property
    def should(self) -> bool:
        return "should" in self.tags

    @property
    def display_name(self) -> str:
        base = self.scenario_name or self.nodeid.split("::")[-1]
        return f"{base} [{self.instance}]" if self.api_version else base

    @property
    def instance(self) -> str:
        """The API version, and the companion when one ran it: ``v1@basic-explicit``."""
        return f"{self.api_version}@{self.target}" if self.target else self.api_version

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioResult:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["steps"] = [StepResult(**s) for s in known.get("steps", [])]
        known["findings"] = [FindingRecord(**f) for f in known.get("findings", [])]
        return cls(**known)


def worst(outcomes: list[str]) -> str:
    """The most severe of several outcomes (unknown outcomes rank as errors)."""
    ranked = sorted(outcomes, key=lambda o: OUTCOME_ORDER.index(o) if o in OUTCOME_ORDER else 0)
    return ranked[0] if ranked else "not run"


def overall(outcomes: list[str]) -> str:
    """A scenario's (or feature's) status over its instances: a failure wins, then a pass, so
    an instance skipped for the other API version does not hide the one that ran."""
    if not outcomes:
        return "not run"
    if any(is_bad(o) for o in outcomes):
        return worst(outcomes)
    if "passed" in outcomes:
        return "passed"
    return worst(outcomes)


def is_bad(outcome: str) -> bool:
    """Outcomes that make a run fail."""
    return outcome in ("error", "failed", "xpassed")
