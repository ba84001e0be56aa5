"""Nightly comparison: newly failing, newly passing and disappeared tests, in page and terminal."""

from __future__ import annotations

import json

from cscsuite.reporting.compare import compare, terminal_lines
from cscsuite.reporting.model import ScenarioResult

from .conftest import Run, copy_project, run_project


def _previous(**outcomes: str) -> dict:
    return {"generated_at": "2026-01-01T00:00:00Z",
            "scenarios": {k: {"outcome": v, "scenario": k} for k, v in outcomes.items()}}


def test_compare_classifies_changes() -> None:
    now = [ScenarioResult("a", outcome="failed", message="boom"),
           ScenarioResult("b", outcome="passed"), ScenarioResult("c", outcome="passed"),
           ScenarioResult("e", outcome="skipped"), ScenarioResult("n", outcome="passed")]
    result = compare(_previous(a="passed", b="failed", c="passed", d="passed", e="passed"), now)
    assert [r["nodeid"] for r in result["newly_failing"]] == ["a"]
    assert result["newly_failing"][0]["message"] == "boom"
    assert [r["nodeid"] for r in result["newly_passing"]] == ["b"]
    assert [r["nodeid"] for r in result["disappeared"]] == ["d"]
    assert [r["nodeid"] for r in result["new"]] == ["n"]
    assert [r["nodeid"] for r in result["changed"]] == ["e"]
    lines = terminal_lines(result)
    assert "NEWLY FAILING: 1" in lines and "  a  (passed -> failed)" in lines


def test_compare_with_previous_summary_end_to_end(recorded_run: Run, tmp_path) -> None:
    previous = json.loads(recorded_run.text("summary.json"))
    failing = "test_signing.py::test_the_service_refuses_a_wrong_activation_token[v1]"
    passing = "test_signing.py::test_signatures_come_back_in_the_order_of_the_hashes[v2]"
    previous["scenarios"][failing]["outcome"] = "passed"
    previous["scenarios"][passing]["outcome"] = "failed"
    previous["scenarios"]["test_signing.py::test_gone[v1]"] = {"outcome": "passed"}
    prev_path = tmp_path / "previous-summary.json"
    prev_path.write_text(json.dumps(previous))
    project = copy_project(tmp_path / "project")
    run = run_project(project, f"--compare-with={prev_path}")
    out = run.proc.stdout
    assert "NEWLY FAILING: 1" in out and f"{failing}  (passed -> failed)" in out
    assert "newly passing: 1" in out and "disappeared: 1" in out
    doc = json.loads(run.text("summary.json"))
    assert [r["nodeid"] for r in doc["comparison"]["newly_passing"]] == [passing]
    html = run.text("index.html")
    assert "Newly failing (1)" in html and "test_gone[v1]" in html


def test_unusable_previous_summary_is_one_clear_error(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    project = copy_project(tmp_path / "project")
    run = run_project(project, f"--compare-with={bad}", timeout=60)
    assert run.proc.returncode == 4
    assert "is not a cscsuite summary.json" in run.proc.stderr
