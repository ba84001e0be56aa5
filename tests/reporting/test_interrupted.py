"""An interrupted run still leaves valid reports of what ran (SIGKILL, Ctrl-C, SIGTERM)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import build_cmd, copy_project, env

HANG = "test_errors_carry_a_description[v1]"  # the third scenario: two have finished by then


def _start(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(build_cmd("--reports-checkpoint=0"), cwd=project, text=True,
                            env=env(FIXTURE_HANG_TEST=HANG), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def _wait_for_results(reports: Path, count: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            doc = json.loads((reports / "summary.json").read_text())
            if len([s for s in doc["scenarios"].values() if s["outcome"] != "not run"]) >= count:
                return
        except (OSError, ValueError, KeyError):
            pass  # not written yet; a torn file would be a ValueError, checked below
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        time.sleep(0.2)
    proc.kill()
    pytest.fail("the run never checkpointed its first results")


def _assert_valid_reports(reports: Path) -> dict:
    doc = json.loads((reports / "summary.json").read_text())
    ET.parse(reports / "junit.xml")
    json.loads((reports / "cucumber.json").read_text())
    html = (reports / "index.html").read_text()
    assert html.rstrip().endswith("</html>")
    assert "Signatures come back in the order of the hashes" in html
    return doc


def test_killed_run_leaves_checkpointed_reports(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    proc = _start(project)
    try:
        _wait_for_results(project / "reports", 4, proc)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    doc = _assert_valid_reports(project / "reports")
    assert doc["run"]["state"] == "running"  # what a killed run looks like
    outcomes = [s["outcome"] for s in doc["scenarios"].values()]
    assert len(outcomes) >= 4 and outcomes.count("passed") >= 2


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupted_run_writes_final_reports(tmp_path: Path, sig: signal.Signals) -> None:
    project = copy_project(tmp_path / "project")
    proc = _start(project)
    try:
        _wait_for_results(project / "reports", 4, proc)
        time.sleep(0.5)  # inside the hanging test now
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    doc = _assert_valid_reports(project / "reports")
    assert doc["run"]["state"] == "interrupted", out
    hung = next(v for k, v in doc["scenarios"].items() if k.endswith(HANG))
    assert hung["outcome"] == "error" and "did not finish" in hung["message"]
    assert "INCOMPLETE" in (project / "reports" / "index.html").read_text()


@pytest.mark.parametrize("mode", [("--collect-only",), ("--generate-missing", "--feature",
                                                          "features")])
def test_modes_that_run_nothing_leave_the_reports_alone(tmp_path: Path, mode: tuple[str, ...]
                                                         ) -> None:
    project = copy_project(tmp_path / "project")
    reports = project / "reports"
    reports.mkdir()
    (reports / "summary.json").write_text('{"kept": true}', encoding="utf-8")
    proc = subprocess.run(build_cmd(*mode), cwd=project, env=env(), text=True,
                          capture_output=True, timeout=120, check=False)
    assert proc.returncode in (0, 5), proc.stdout + proc.stderr
    assert sorted(p.name for p in reports.iterdir()) == ["summary.json"]
    assert json.loads((reports / "summary.json").read_text(encoding="utf-8")) == {"kept": True}
