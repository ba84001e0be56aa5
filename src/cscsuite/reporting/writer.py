"""Writes every report file from the aggregated records: at checkpoints and once at the end.

Runs on the controller only. Each file is written atomically and independently: a failure to
render one report is reported, never allowed to lose the others.
"""

from __future__ import annotations

import json
import time
import traceback
from pathlib import Path
from typing import Any

from cscsuite.reporting import atomic, cucumber, html, junit, summary
from cscsuite.reporting.features import DocFeature, load_features
from cscsuite.reporting.model import ScenarioResult
from cscsuite.reporting.paths import safe_test_id


def _relative_evidence(rec: ScenarioResult, reports: Path) -> str:
    """The evidence directory relative to the reports dir, when one exists for this test."""
    candidates = []
    if rec.evidence_dir:
        given = Path(rec.evidence_dir)
        candidates.append(given if given.is_absolute() else reports / given)
    candidates.append(reports / "evidence" / safe_test_id(rec.nodeid))
    for path in candidates:
        if path.is_dir():
            try:
                return path.resolve().relative_to(reports.resolve()).as_posix()
            except ValueError:
                return path.as_posix()
    return ""


class ReportWriter:
    """Renders junit.xml, cucumber.json, summary.json and index.html into ``reports``."""

    def __init__(self, reports: Path, features_dir: Path, root: Path) -> None:
        self.reports = reports
        self.features_dir = features_dir
        self.root = root
        self.errors: list[str] = []
        self._docs: list[DocFeature] | None = None

    def docs(self) -> list[DocFeature]:
        if self._docs is None:
            self._docs = load_features(self.features_dir, self.root)
        return self._docs

    def write(self, results: list[ScenarioResult], run: dict[str, Any], *,
              stale: list[dict[str, str]], comparison: dict[str, Any] | None) -> dict[str, Any]:
        """Write all files; returns the summary document."""
        for rec in results:
            rec.evidence_dir = _relative_evidence(rec, self.reports)
        run = {**run, "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        doc = summary.build(results, run, stale=stale, comparison=comparison)
        self._guard("summary.json", lambda: atomic.write_json(self.reports / "summary.json", doc))
        self._guard("junit.xml", lambda: atomic.write_text(self.reports / "junit.xml",
                                                           junit.render(results, run)))
        self._guard("cucumber.json", lambda: atomic.write_text(
            self.reports / "cucumber.json",
            json.dumps(cucumber.render(results, self.docs()), indent=2, ensure_ascii=False)))
        self._guard("index.html", lambda: atomic.write_text(
            self.reports / "index.html",
            html.render(results, self.docs(), run, self.reports, stale=stale,
                        comparison=comparison)))
        return doc

    def _guard(self, name: str, action: Any) -> None:
        try:
            action()
        except Exception as exc:  # keep the other reports
            self.errors.append(f"{name}: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
