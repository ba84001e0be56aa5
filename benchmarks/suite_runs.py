"""Whole conformance runs as subprocesses: wall time, per-scenario durations and outcomes.

A run is ``pytest -p no:cacheprovider -q --reports-dir=<tmp>`` at the repository root, exactly as
a user starts it; its per-scenario outcomes and durations come from the run's ``summary.json``
(or ``junit.xml`` when there is none), so serial and parallel runs can be compared test by test.
Every run is bounded by a timeout and killed (with its process group) when it overruns.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
LOGIN_NOTE = "browser login: GET"
_COLLECTED = re.compile(r"(\d+)(?:/\d+)? tests? (?:collected|selected)")


@dataclass
class Completed:
    """One finished (or killed) subprocess."""

    wall_s: float
    returncode: int | None  # None: killed at the timeout
    output: str
    cpu_s: float = 0.0  # user + system time of the process and its reaped descendants

    def tail(self, lines: int = 3) -> str:
        return " | ".join(ln for ln in self.output.strip().splitlines()[-lines:])


@dataclass
class SuiteRun:
    """A conformance run: wall time, exit code, outcome and duration per test node id."""

    wall_s: float
    returncode: int | None
    cpu_s: float = 0.0
    outcomes: dict[str, str] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)  # of tests that did not pass
    logins: int = 0  # browser logins: summary.json's count, else the evidence notes
    login_budget: int | None = None  # instances whose subject is a login or an authorization
    source: str = ""  # the report the outcomes came from
    tail: str = ""
    output: str = field(default="", repr=False)


def run_bounded(cmd: Sequence[str], timeout_s: float, cwd: Path = REPO_ROOT) -> Completed:
    """Run ``cmd`` with merged output; kill its whole process group after ``timeout_s``.

    CPU time is what the process tree used, measured as the growth of this process's
    ``RUSAGE_CHILDREN``: on a loaded machine it says more than the wall time (runs must be
    sequential for it to be exact).
    """
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout_s)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        code = None
    wall = time.perf_counter() - started
    return Completed(wall, code, out.decode("utf-8", "replace"), _children_cpu() - cpu_before)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_suite(extra: Sequence[str], timeout_s: float) -> SuiteRun:
    """One full conformance run with its own reports directory."""
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        done = run_bounded([*PYTEST, "-q", f"--reports-dir={tmp}", *extra], timeout_s)
        run = SuiteRun(done.wall_s, done.returncode, done.cpu_s, tail=done.tail(),
                       output=done.output)
        read_reports(Path(tmp), run)
        if run.source != "summary.json" or run.login_budget is None:
            run.logins = count_logins(Path(tmp) / "evidence")
    return run


def count_logins(evidence: Path) -> int:
    """Browser logins the run made: the evidence notes one ``browser login: GET`` per login."""
    return sum(path.read_text(encoding="utf-8", errors="replace").count(LOGIN_NOTE)
               for path in evidence.rglob("*.json") if path.is_file())


def read_reports(reports: Path, run: SuiteRun) -> None:
    """Fill outcomes and durations from summary.json, else from junit.xml."""
    summary = reports / "summary.json"
    if summary.is_file():
        try:
            scenarios = json.loads(summary.read_text(encoding="utf-8")).get("scenarios") or {}
        except (OSError, ValueError):
            scenarios = {}
        if scenarios:
            run.source = "summary.json"
            _read_logins(summary, run)
            for nodeid, entry in scenarios.items():
                run.outcomes[nodeid] = str(entry.get("outcome"))
                run.durations[nodeid] = float(entry.get("duration") or 0.0)
                if entry.get("message"):
                    run.messages[nodeid] = str(entry["message"])[:300]
            return
    junit = reports / "junit.xml"
    if junit.is_file():
        run.source = "junit.xml"
        _read_junit(junit, run)


def _read_logins(summary: Path, run: SuiteRun) -> None:
    """The run's login count and budget from summary.json (absent in older reports)."""
    figures = json.loads(summary.read_text(encoding="utf-8")).get("logins")
    if isinstance(figures, dict) and isinstance(figures.get("total"), int):
        run.logins = figures["total"]
        budget = figures.get("scenarios_about_login")
        run.login_budget = budget if isinstance(budget, int) else None


def slowest(run: SuiteRun, count: int = 10) -> list[tuple[str, float]]:
    """The ``count`` slowest tests of a run, slowest first (node id, seconds)."""
    return sorted(run.durations.items(), key=lambda item: item[1], reverse=True)[:count]


def _read_junit(path: Path, run: SuiteRun) -> None:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return
    for case in root.iter("testcase"):
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        kinds = {child.tag for child in case}
        outcome = next((k for k in ("failure", "error", "skipped") if k in kinds), "passed")
        run.outcomes[name] = outcome
        run.durations[name] = float(case.get("time") or 0.0)


def collect(extra: Sequence[str], timeout_s: float) -> tuple[Completed, int | None]:
    """``pytest --collect-only -q``: its wall time and the number of tests it collected."""
    done = run_bounded([*PYTEST, "-q", "--collect-only", *extra], timeout_s)
    counts = [int(m.group(1)) for m in _COLLECTED.finditer(done.output)]
    if counts:
        return done, counts[-1]
    lines = [ln for ln in done.output.splitlines() if "::" in ln]
    return done, (len(lines) or None)


def outcome_differences(first: SuiteRun, second: SuiteRun) -> list[str]:
    """Node ids whose outcome differs, or that only one run has (sorted, for the report), with
    the message of the run where the test did not pass."""
    keys = sorted(set(first.outcomes) | set(second.outcomes))
    out = []
    for k in keys:
        a, b = first.outcomes.get(k, "-"), second.outcomes.get(k, "-")
        if a != b:
            why = first.messages.get(k) or second.messages.get(k) or ""
            out.append(f"{k}: {a} vs {b}" + (f" ({why})" if why else ""))
    return out
