"""Worker-side collection: step results of each scenario, attached to pytest's reports.

Runs wherever tests execute (the single process, or each xdist worker). The record lives in the
item's stash while the test runs and is copied onto every phase report as ``report.cscsuite``, a
plain dict that pytest/xdist serialise to the controller. No module-level state is shared with the
controller.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest

from cscsuite import tags as tagmod
from cscsuite.reporting.model import FindingRecord, ScenarioResult, StepResult
from cscsuite.reporting.redaction import redact_text

REPORT_ATTR = "cscsuite"
_RECORD = pytest.StashKey[ScenarioResult]()
_STEP_INDEX = pytest.StashKey[dict[int, int]]()
_STEP_START = pytest.StashKey[float]()
_FINDINGS_START = pytest.StashKey[int]()
_VERSION_IN_ID = re.compile(r"(?:^|[\[-])(v1|v2)\]$")
# "cscsuite.checks.base.ConformanceError: ..." -> "ConformanceError: ..."
_QUALIFIED_TYPE = re.compile(r"^(?:[a-z_][a-z0-9_]*\.)+(?=[A-Z]\w*: )")
MESSAGE_LINES = 8


def _template_of(item: pytest.Item) -> Any:
    try:
        from pytest_bdd.scenario import scenario_wrapper_template_registry
    except ImportError:  # pragma: no cover - pytest-bdd is a dependency
        return None
    obj = getattr(item, "obj", None)
    try:
        return scenario_wrapper_template_registry.get(obj) if obj is not None else None
    except TypeError:  # not weak-referenceable: not a scenario
        return None


def _api_version(item: pytest.Item) -> str:
    params = getattr(getattr(item, "callspec", None), "params", {}) or {}
    for name, value in params.items():
        if "version" in name and value in ("v1", "v2"):
            return str(value)
    match = _VERSION_IN_ID.search(item.nodeid)
    return match.group(1) if match else ""


def _target_of(item: pytest.Item) -> str:
    """The companion that runs the instance (``""``: the profile's own target)."""
    params = getattr(getattr(item, "callspec", None), "params", {}) or {}
    return str(params.get("csc_target") or "")


def _example_of(item: pytest.Item) -> dict[str, str]:
    params = getattr(getattr(item, "callspec", None), "params", {}) or {}
    example = params.get("_pytest_bdd_example") or {}
    return {str(k): str(v) for k, v in dict(example).items()}


def _example_tags(item: pytest.Item) -> set[str]:
    marks = getattr(getattr(item, "callspec", None), "marks", []) or []
    return {m.name for m in marks if m.name not in ("parametrize", "skip", "skipif", "xfail")}


def _new_record(item: pytest.Item) -> ScenarioResult:
    """Build the record from pytest-bdd's scenario template, so setup failures are described too."""
    rec = ScenarioResult(nodeid=item.nodeid, api_version=_api_version(item),
                         target=_target_of(item))
    rec.worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    template = _template_of(item)
    if template is None:
        return rec
    example = _example_of(item)
    scenario = template.render(example)
    feature = template.feature
    rule_tags = template.rule.tags if template.rule is not None else set()
    all_tags = set(template.tags) | set(feature.tags) | set(rule_tags) | _example_tags(item)
    rootdir = Path(str(item.config.rootpath))
    try:
        rel = Path(feature.filename).resolve().relative_to(rootdir.resolve()).as_posix()
    except ValueError:
        rel = Path(feature.filename).as_posix()
    background_lines = {s.line_number for s in template.all_background_steps}
    rec.feature_file = rel
    rec.feature_name = feature.name
    rec.scenario_name = scenario.name
    rec.scenario_line = scenario.line_number
    rec.tags = sorted(tagmod.clean(t) for t in all_tags)
    rec.example = example
    rec.stable_id = tagmod.stable_id_of(rec.tags)
    rec.area = tagmod.area_of(rec.tags)
    rec.steps = [
        StepResult(s.keyword, s.name, s.line_number, background=s.line_number in background_lines)
        for s in scenario.steps
    ]
    return rec


def record_of(item: pytest.Item) -> ScenarioResult:
    rec = item.stash.get(_RECORD, None)
    if rec is None:
        rec = _new_record(item)
        item.stash[_RECORD] = rec
    return rec


def _findings_count() -> int:
    try:
        from cscsuite.checks.base import GRADING
    except ImportError:  # pragma: no cover
        return 0
    return len(GRADING.findings)


def _new_findings(item: pytest.Item) -> list[FindingRecord]:
    from cscsuite.checks.base import GRADING

    start = item.stash.get(_FINDINGS_START, len(GRADING.findings))
    with GRADING.lock:
        fresh = list(GRADING.findings[start:])
    return [
        FindingRecord(f.clause, redact_text(f.requirement), redact_text(f.expected),
                      redact_text(f.actual), f.test_id or item.nodeid)
        for f in fresh
    ]


def _step_slot(item: pytest.Item, scenario: Any, step: Any) -> StepResult | None:
    rec = record_of(item)
    index = item.stash.get(_STEP_INDEX, None)
    if index is None:
        index = {id(s): i for i, s in enumerate(scenario.steps)}
        item.stash[_STEP_INDEX] = index
    pos = index.get(id(step))
    if pos is None:
        pos = next((i for i, s in enumerate(rec.steps) if s.line == step.line_number), None)
    return rec.steps[pos] if pos is not None and pos < len(rec.steps) else None


def _location(func: Callable[..., object] | None) -> str:
    code = getattr(func, "__code__", None)
    module = getattr(func, "__module__", "")
    return f"{module}:{code.co_firstlineno}" if code else ""


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return redact_text(f"{type(exc).__name__}: {first}" if first else type(exc).__name__, 500)


def stale_deviations(config: pytest.Config) -> list[dict[str, str]]:
    """Deviation entries that matched no collected test in this process (see deviations.py)."""
    try:
        from cscsuite import deviations
    except ImportError:  # pragma: no cover
        return []
    return [{"id": d.id, "api": d.api, "reason": d.reason, "link": d.link,
             "why": "matches no collected test"} for d in deviations.stale(config)]


class Collector:
    """pytest and pytest-bdd hooks filling the per-item record."""

    def __init__(self) -> None:
        self._stale_shipped = False

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        item.stash[_FINDINGS_START] = _findings_count()
        record_of(item)

    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Any,
                                   scenario: Any) -> None:
        rec = record_of(request.node)
        rec.start = time.time()
        request.node.stash[_STEP_INDEX] = {id(s): i for i, s in enumerate(scenario.steps)}
        if len(rec.steps) != len(scenario.steps):  # defensive: trust what actually runs
            rec.steps = [StepResult(s.keyword, s.name, s.line_number) for s in scenario.steps]

    def pytest_bdd_before_step_call(self, request: pytest.FixtureRequest, **_: Any) -> None:
        request.node.stash[_STEP_START] = time.perf_counter()

    def _finish_step(self, request: pytest.FixtureRequest, scenario: Any, step: Any,
                     status: str, func: Any = None, error: str = "") -> None:
        slot = _step_slot(request.node, scenario, step)
        if slot is None:
            return
        started = request.node.stash.get(_STEP_START, None)
        slot.duration = time.perf_counter() - started if started else 0.0
        slot.status, slot.error, slot.location = status, error, _location(func)
        request.node.stash[_STEP_START] = 0.0

    def pytest_bdd_after_step(self, request: pytest.FixtureRequest, feature: Any, scenario: Any,
                              step: Any, step_func: Any, step_func_args: Any) -> None:
        self._finish_step(request, scenario, step, "passed", step_func)

    def pytest_bdd_step_error(self, request: pytest.FixtureRequest, feature: Any, scenario: Any,
                              step: Any, step_func: Any, step_func_args: Any,
                              exception: Exception) -> None:
        self._finish_step(request, scenario, step, "failed", step_func, _one_line(exception))

    def pytest_bdd_step_func_lookup_error(self, request: pytest.FixtureRequest, feature: Any,
                                          scenario: Any, step: Any, exception: Exception) -> None:
        self._finish_step(request, scenario, step, "undefined", None,
                          "no step definition matches this text")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        rec = record_of(item)
        rec.findings.extend(_new_findings(item))
        item.stash[_FINDINGS_START] = _findings_count()
        data = rec.to_dict()
        if report.failed or (report.skipped and not (call.when == "call" and
                                                     hasattr(report, "wasxfail"))):
            data["phase_message"] = message_of(report)
            data["phase_details"] = redact_text(report.longreprtext)
        if not self._stale_shipped:  # once per process: workers collect, the controller may not
            data["stale_deviations"] = stale_deviations(item.config)
            self._stale_shipped = True
        setattr(report, REPORT_ATTR, data)
        rec.findings = []  # already shipped with this phase
        return report


def message_of(report: pytest.TestReport | pytest.CollectReport) -> str:
    """A one-line, redacted reason for a failed or skipped phase (or collection)."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # skip: (file, line, reason)
        return redact_text(str(longrepr[2]).removeprefix("Skipped: "), 500)
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None and str(getattr(crash, "message", "") or ""):
        lines = str(crash.message).splitlines()[:MESSAGE_LINES]
        lines[0] = _QUALIFIED_TYPE.sub("", lines[0])
        return redact_text("\n".join(lines), 2000)
    text = report.longreprtext.strip().splitlines()
    return redact_text(text[-1] if text else "", 500)
