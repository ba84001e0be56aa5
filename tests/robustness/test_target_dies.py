"""Target dying mid-run: the scenarios after the crash error quickly with "target unreachable",
and the reports are still written."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from selftest.processes import REPO_ROOT, live_sandbox, run_suite

KILL_AFTER = 4


@pytest.mark.robustness
@pytest.mark.timeout(300)
def test_scenarios_after_the_target_died_error_as_unreachable(tmp_path: Path) -> None:
    kill_log = tmp_path / "before-kill.txt"
    with live_sandbox(tmp_path / "sandbox") as sandbox:
        env = {"PYTHONPATH": str(REPO_ROOT / "tests"), "CSC_KILL_PID": str(sandbox.process.pid),
               "CSC_KILL_AFTER": str(KILL_AFTER), "CSC_KILL_LOG": str(kill_log)}
        run = run_suite([f"--base-url={sandbox.base_url}", "-m", "discovery", "-n", "0",
                         "-p", "robustness.kill_target_plugin"], tmp_path / "reports",
                        timeout_s=180, env=env)
        assert sandbox.process.poll() is not None, "the plugin did not kill the target"
    before = set(kill_log.read_text(encoding="utf-8").split())
    summary = json.loads((run.reports_dir / "summary.json").read_text(encoding="utf-8"))
    after = {n: s for n, s in summary["scenarios"].items() if n not in before}
    assert len(before) == KILL_AFTER and after, run.output[-3000:]
    assert run.returncode == 1, run.output[-3000:]
    for nodeid, item in after.items():
        if item["outcome"] == "skipped":
            continue  # a capability the target lacks: never reaches the wire
        assert item["outcome"] in ("failed", "error"), f"{nodeid}: {item}"
        assert "target unreachable" in item["message"].lower(), f"{nodeid}: {item['message']!r}"
        assert item["duration"] < 10, f"{nodeid} took {item['duration']}s to notice"
    junit = ET.parse(run.reports_dir / "junit.xml").getroot()
    assert len(list(junit.iter("testcase"))) == len(summary["scenarios"])
