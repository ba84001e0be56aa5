"""Controller-side aggregation: phase reports (from any worker) -> one ScenarioResult per test.

Only ``pytest_runtest_logreport`` data is used, which is what xdist delivers to the controller.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from cscsuite.reporting.collect import REPORT_ATTR, message_of
from cscsuite.reporting.model import ScenarioResult, worst

UNFINISHED = "did not finish: the run was interrupted or its worker died"
#: The user property a harness hook sets on a test whose set-up the suite could not establish.
VERDICT_PROPERTY = "csc_verdict"
#: The user property carrying the number of browser logins a scenario made.
LOGINS_PROPERTY = "logins"
FACT_PREFIX = "fact."  # user properties shown with the scenario: ("fact.PAdES level", "B-LTA")


@dataclass
class _State:
    record: ScenarioResult
    outcomes: list[str] = field(default_factory=list)
    phases: set[str] = field(default_factory=set)
    messages: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    harness_error: bool = False  # ("csc_verdict", "error"): never a pass or a plain failure


def _phase_outcome(report: pytest.TestReport) -> str:
    wasxfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if wasxfail:
            return "xfailed" if report.skipped else "xpassed"
        return report.outcome
    if report.failed:
        return "error" if report.when in ("setup", "teardown") else "failed"
    if report.skipped:
        return "xfailed" if wasxfail else "skipped"
    return "passed"


class Aggregator:
    """Merges phase reports in arrival order; knows which tests are still unfinished."""

    def __init__(self) -> None:
        self.states: dict[str, _State] = {}
        self.stale_deviations: list[dict[str, str]] = []
        self.run_properties: dict[str, str] = {}
        self.last_change = time.time()

    def add(self, report: pytest.TestReport) -> None:
        data: dict[str, Any] = getattr(report, REPORT_ATTR, None) or {"nodeid": report.nodeid}
        state = self.states.get(report.nodeid)
        record = ScenarioResult.from_dict(data)
        if state is None:
            state = self.states[report.nodeid] = _State(record)
        else:
            findings = state.record.findings + record.findings
            record.findings = findings
            record.start = record.start or state.record.start
            record.duration = state.record.duration
            state.record = record
        state.record.duration += float(getattr(report, "duration", 0.0) or 0.0)
        state.phases.add(report.when or "")
        outcome = _phase_outcome(report)
        if report.when not in ("setup", "call", "teardown"):  # xdist crash reports ("???")
            outcome = "error"
        if outcome != "passed" or report.when == "call":
            state.outcomes.append(outcome)
        message = data.get("phase_message") or str(getattr(report, "wasxfail", "") or "")
        if message:
            state.messages.append(message)
        if data.get("phase_details"):
            state.details.append(str(data["phase_details"]))
        for entry in data.get("stale_deviations") or []:
            if entry not in self.stale_deviations:
                self.stale_deviations.append(entry)
        if "[XPASS(strict)]" in str(report.longrepr or ""):
            self._stale(report.nodeid, str(report.longrepr))
        for name, value in getattr(report, "user_properties", []) or []:
            self._user_property(report.nodeid, str(name), value)
        self.last_change = time.time()

    def add_collect(self, report: pytest.CollectReport) -> None:
        """A module skipped or broken at collection: a result of its own, so it stays visible."""
        if report.passed or report.nodeid in self.states:
            return
        state = self.states[report.nodeid] = _State(ScenarioResult(nodeid=report.nodeid))
        state.phases.add("collect")
        state.outcomes.append("skipped" if report.skipped else "error")
        state.messages.append(message_of(report) or "error while collecting")
        if report.failed:
            state.details.append(report.longreprtext)
        self.last_change = time.time()

    @property
    def collection_errors(self) -> list[str]:
        return [f"{s.record.nodeid}: {s.messages[0]}" for s in self.states.values()
                if "collect" in s.phases and s.outcomes == ["error"]]

    def _stale(self, nodeid: str, text: str) -> None:
        reason = text.replace("[XPASS(strict)]", "").strip()
        entry = {"nodeid": nodeid, "reason": reason,
                 "why": "known deviation no longer happens (strict xfail passed)"}
        if entry not in self.stale_deviations:
            self.stale_deviations.append(entry)

    def _user_property(self, nodeid: str, name: str, value: Any) -> None:
        if name.startswith("run."):
            self.run_properties[name[4:]] = str(value)
        elif name == "stale_deviation" and isinstance(value, dict):
            entry = {str(k): str(v) for k, v in value.items()}
            if entry not in self.stale_deviations:
                self.stale_deviations.append(entry)
        elif name == VERDICT_PROPERTY and str(value) == "error" and nodeid in self.states:
            self.states[nodeid].harness_error = True
        elif name.startswith(FACT_PREFIX) and nodeid in self.states:
            self.states[nodeid].record.facts[name[len(FACT_PREFIX):]] = str(value)
        elif name == LOGINS_PROPERTY and nodeid in self.states:
            self.states[nodeid].record.logins = int(value)
        elif name == "evidence_dir" and nodeid in self.states:
            self.states[nodeid].record.evidence_dir = str(value)

    def results(self, finished: bool) -> list[ScenarioResult]:
        """Current records; with ``finished`` an unfinished test counts as an error."""
        out = []
        for state in self.states.values():
            rec = ScenarioResult.from_dict(state.record.to_dict())
            outcomes = list(state.outcomes)
            messages = list(state.messages)
            if "call" not in state.phases and not outcomes:
                outcomes.append("error" if finished else "not run")
                messages.append(UNFINISHED if finished else "running")
            rec.outcome = worst(outcomes) if outcomes else "passed"
            if state.harness_error and rec.outcome in ("failed", "passed"):
                rec.outcome = "error"
            rec.message = messages[0] if messages else ""
            rec.details = "\n\n".join(state.details)
            out.append(rec)
        return out
