"""summary.json: counts, findings, stale deviations, timings, run facts and per-test outcomes.

The per-test list (``scenarios``, keyed by pytest node id) is what makes two nights comparable;
``schema`` is bumped whenever a key changes meaning.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from cscsuite.reporting import coverage, logins
from cscsuite.reporting.model import ScenarioResult, is_bad

SCHEMA = 1


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def tool_versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0], "platform": platform.platform()}
    for dist in ("csc-conformance-suite", "pytest", "pytest-bdd", "pytest-xdist", "playwright"):
        versions[dist] = _version(dist)
    return versions


def _counts(results: list[ScenarioResult], key: str,
            empty: str = "(none)") -> dict[str, dict[str, int]]:
    """Outcomes per value of ``key`` (``empty`` names the records without one)."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        table[str(getattr(r, key)) or empty][r.outcome] += 1
    return {k: dict(sorted(v.items())) for k, v in sorted(table.items())}


def build(results: list[ScenarioResult], run: dict[str, Any], *, stale: list[dict[str, str]],
          comparison: dict[str, Any] | None) -> dict[str, Any]:
    """The summary document (a plain dict, ready for JSON)."""
    by_outcome = Counter(r.outcome for r in results)
    slowest = sorted(results, key=lambda r: r.duration, reverse=True)[:10]
    findings = [asdict(f) | {"nodeid": r.nodeid} for r in results for f in r.findings]
    cov = coverage.of(results)
    return {
        "schema": SCHEMA,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "run": run,
        "totals": {"tests": len(results), **dict(sorted(by_outcome.items())),
                   "ok": verdict(results, run) in ("passed", "not run")},
        "verdict": verdict(results, run),
        "coverage": cov.to_dict() | {"min_run_percent": run.get("min_run_percent"),
                                     "below_minimum": coverage.below_minimum(
                                         cov, run.get("min_run_percent"))},
        "by_area": _counts(results, "area"),
        "by_version": _counts(results, "api_version"),
        # the target that ran each instance: a companion, else the profile's own (its name)
        "by_target": _counts(results, "target", str(run.get("profile") or "(profile)")),
        "by_feature": _counts(results, "feature_file"),
        "findings": findings,
        "stale_deviations": stale,
        "timings": {
            "total_test_seconds": round(sum(r.duration for r in results), 3),
            "slowest": [{"nodeid": r.nodeid, "seconds": round(r.duration, 3)} for r in slowest],
        },
        "logins": logins.figures(results),
        "comparison": comparison,
        "scenarios": {
            r.nodeid: {
                "outcome": r.outcome,
                "stable_id": r.stable_id,
                "api_version": r.api_version,
                "area": r.area,
                "feature": r.feature_file,
                "scenario": r.scenario_name,
                "duration": round(r.duration, 3),
                "message": r.message,
            } | ({"target": r.target} if r.target else {})
              | ({"facts": r.facts} if r.facts else {})
              | ({"logins": r.logins} if r.logins else {})
            for r in sorted(results, key=lambda r: r.nodeid)
        },
    }


def verdict(results: list[ScenarioResult], run: dict[str, Any]) -> str:
    """``failed`` (a failure or error), ``below minimum`` (too little ran for --csc-min-run),
    ``not run`` (every instance skipped), ``passed``; SHOULD findings never change it."""
    if any(is_bad(r.outcome) for r in results):
        return "failed"
    cov = coverage.of(results)
    if coverage.below_minimum(cov, run.get("min_run_percent")):
        return "below minimum"
    return "not run" if cov.ran == 0 else "passed"


def not_started(run: dict[str, Any], reason: str) -> dict[str, Any]:
    """``summary.not-started.json``: the run never started; the previous reports are kept."""
    return {"schema": SCHEMA, "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "ok": False, "state": "not-started", "reason": reason,
            "note": "the run did not start: the other report files are the previous run's",
            "run": run, "totals": {"tests": 0, "ok": False}, "verdict": "not started"}


def load(path: Path) -> dict[str, Any]:
    """Read a previous summary.json; raise ValueError with a one-line reason when unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValueError(f"--compare-with: {path} does not exist") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"--compare-with: {path} is not readable JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), dict):
        raise ValueError(f"--compare-with: {path} is not a cscsuite summary.json (no 'scenarios')")
    return data
