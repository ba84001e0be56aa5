"""Judging one defect run: which scenarios turned red, compared with the expectations."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from selftest.expectations import Catch, Expectation
from selftest.processes import REPO_ROOT

RED = ("failed", "error")
GREEN = ("passed", "skipped", "xfailed")
RESULTS_DIR = Path(os.environ.get("CSC_SELFTEST_REPORT_DIR", REPO_ROOT / "reports-selftest"))


@dataclass
class Verdict:
    """What a defect run showed."""

    defect: str
    expected: list[str] = field(default_factory=list)
    tests: int = 0
    red: list[str] = field(default_factory=list)  # "id_x[v1]" (or node ids without stable id)
    missed: list[str] = field(default_factory=list)  # expected to fail, did not
    unexpected: list[str] = field(default_factory=list)  # failed, not expected
    seconds: float = 0.0

    @property
    def caught(self) -> bool:
        """Every scenario expected to catch the defect turned red (none expected: not caught)."""
        return bool(self.expected) and not self.missed

    @property
    def exact(self) -> bool:
        return self.caught and not self.missed and not self.unexpected


def read_summary(reports_dir: Path) -> dict[str, Any]:
    path = reports_dir / "summary.json"
    if not path.exists():
        raise AssertionError(f"the suite wrote no {path}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def judge(expectation: Expectation, summary: dict[str, Any], seconds: float) -> Verdict:
    verdict = Verdict(expectation.defect, [str(c) for c in expectation.catch],
                      seconds=round(seconds, 1))
    expected_ids = {c.stable_id for c in expectation.catch}
    red_instances: set[tuple[str, str]] = set()
    for nodeid, item in summary.get("scenarios", {}).items():
        verdict.tests += 1
        if item.get("outcome") not in RED:
            continue
        sid, version = item.get("stable_id") or nodeid, item.get("api_version") or ""
        red_instances.add((sid, version))
        verdict.red.append(f"{sid}[{version}]" if version else sid)
        if sid not in expected_ids:
            verdict.unexpected.append(f"{nodeid}: {item.get('message', '')[:400]}")
    verdict.missed = [str(c) for c in expectation.catch if not _turned_red(c, red_instances)]
    verdict.red.sort()
    return verdict


def _turned_red(catch: Catch, red: set[tuple[str, str]]) -> bool:
    return any(sid == catch.stable_id and catch.version in (None, version) for sid, version in red)


def save(verdict: Verdict) -> None:
    """One JSON file per defect, so xdist workers never write the same file."""
    RESULTS_DIR.joinpath("results").mkdir(parents=True, exist_ok=True)
    data = asdict(verdict) | {"caught": verdict.caught, "exact": verdict.exact}
    RESULTS_DIR.joinpath("results", f"{verdict.defect}.json").write_text(
        json.dumps(data, indent=2) + "\n", encoding="utf-8")


def session_results(started: float) -> list[Path]:
    """Result files written since ``started`` (older ones belong to earlier sessions)."""
    return [p for p in RESULTS_DIR.glob("results/*.json") if p.stat().st_mtime >= started - 1]


def detection_report(registry: list[str], started: float) -> dict[str, Any]:
    """caught/total over the registry, from results written since ``started`` (this session);
    a defect without a result counts as not caught."""
    results = {}
    for path in session_results(started):
        item = json.loads(path.read_text(encoding="utf-8"))
        results[item["defect"]] = item
    caught = sorted(d for d in registry if results.get(d, {}).get("caught"))
    report = {
        "caught": len(caught),
        "total": len(registry),
        "rate": round(len(caught) / len(registry), 4) if registry else 0.0,
        "exact": sorted(d for d in registry if results.get(d, {}).get("exact")),
        "uncaught": sorted(set(registry) - set(caught)),
        "not_run": sorted(set(registry) - set(results)),
        "wall_seconds": round(time.time() - started, 1),
        "suite_seconds": {d: results[d]["seconds"] for d in sorted(results)},
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "detection.json").write_text(json.dumps(report, indent=2) + "\n",
                                               encoding="utf-8")
    return report
