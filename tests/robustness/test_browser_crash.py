"""Browser crash: the scenario whose login loses its browser errors, and the next ones run.

``--browser-path`` points at a wrapper around the real Chromium: on its first launch it either
exits at once (the browser dies on start) or starts Chromium and records its PID, which
``kill_browser_plugin`` kills when the first login asks for its one-time code (the browser dies
mid-login, at the same step on any machine); every later launch is the real browser.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from selftest.processes import REPO_ROOT, run_suite

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCENARIOS = "id_login_001 or id_login_002 or id_login_004"
FIRST_LAUNCH = {
    "exits-on-start": "exit 1",
    "killed-mid-login": '"{chromium}" "$@" & pid=$!; echo $pid > "{pid_file}"; wait $pid; exit 1',
}


def _wrapper(tmp_path: Path, first_launch: str) -> Path:
    counter = tmp_path / "launches"
    script = tmp_path / "crashing-chromium"
    first = first_launch.format(chromium=CHROMIUM, pid_file=tmp_path / "browser.pid")
    script.write_text(
        "#!/bin/sh\n"
        f'if [ ! -e "{counter}" ]; then touch "{counter}"; {first}; fi\n'
        f'exec "{CHROMIUM}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.mark.robustness
@pytest.mark.timeout(300)
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs the Debian chromium package")
@pytest.mark.parametrize("crash", sorted(FIRST_LAUNCH))
def test_a_browser_crash_costs_one_scenario(crash: str, tmp_path: Path) -> None:
    browser = _wrapper(tmp_path, FIRST_LAUNCH[crash])
    env = {"PYTHONPATH": str(REPO_ROOT / "tests"),
           "CSC_BROWSER_PID_FILE": str(tmp_path / "browser.pid")}
    run = run_suite([f"--browser-path={browser}", "--csc-api", "v2", "-m", SCENARIOS,
                     "-n", "0", "-p", "robustness.kill_browser_plugin"], tmp_path / "reports",
                    timeout_s=240, env=env)
    summary = json.loads((run.reports_dir / "summary.json").read_text(encoding="utf-8"))
    outcomes = sorted((item["outcome"], nodeid) for nodeid, item in summary["scenarios"].items())
    red = [n for o, n in outcomes if o in ("failed", "error")]
    green = [n for o, n in outcomes if o == "passed"]
    assert len(outcomes) == 3, run.output[-3000:]
    assert len(red) == 1, f"exactly the crashed scenario should be red: {outcomes}"
    crashed = summary["scenarios"][red[0]]
    assert "browser" in crashed["message"].lower(), crashed
    assert len(green) == 2, f"the scenarios after the crash must run and pass: {outcomes}"
