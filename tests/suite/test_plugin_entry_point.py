"""The plugins load by entry point: path options work written with a space or with '='.

A pytest subprocess on the smoke project with plugin autoload on (as a user runs it), two xdist
workers, and every path outside the project and already existing: the case in which pytest would
otherwise take the value for its rootdir.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from cscsuite import option_paths

SANDBOX_PROFILE = Path(__file__).resolve().parents[2] / "targets" / "sandbox.toml"
ENTRY_POINTS = {ep.name for ep in metadata.entry_points(group="pytest11")}
needs_entry_points = pytest.mark.skipif(
    not {"cscsuite.plugin", "cscsuite.reporting.plugin"} <= ENTRY_POINTS,
    reason="the package was installed before its pytest11 entry points existed: reinstall it "
           "(pip install -e .)")


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    # as the project's addopts: two autoloaded plugins that only slow every start-up
    quiet = ["-p", "no:schemathesis", "-p", "no:hypothesispytest"]
    return subprocess.run([sys.executable, "-m", "pytest", *quiet, "-n", "2", *args],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


@needs_entry_points
@pytest.mark.parametrize("joined", [False, True], ids=["space", "equals"])
def test_path_options_in_both_forms(smoke_project: Path, tmp_path: Path, joined: bool) -> None:
    reports = tmp_path / "elsewhere" / "reports"
    reports.mkdir(parents=True)
    pairs = [("--profile", str(SANDBOX_PROFILE)), ("--reports-dir", str(reports))]
    args = [f"{k}={v}" for k, v in pairs] if joined else [a for pair in pairs for a in pair]
    result = run(smoke_project, *args)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert f"rootdir: {smoke_project}" in result.stdout
    assert "6 passed, 1 skipped" in result.stdout
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["totals"]["passed"] == 6, summary["totals"]


def test_joined_rewrites_only_path_options() -> None:
    assert option_paths.joined(["--reports-dir", "/x", "-k", "info", "--profile", "p.toml",
                                "--csc-api", "v1", "steps"]) == [
        "--reports-dir=/x", "-k", "info", "--profile=p.toml", "--csc-api", "v1", "steps"]
    assert option_paths.joined(["--reports-dir=/x", "--compare-with"]) == [
        "--reports-dir=/x", "--compare-with"]
