"""SHOULD grading end to end: a tiny pytest project run in a subprocess (two xdist workers).

A ``@should`` scenario or a ``@should`` check that finds a violation leaves the run green with a
finding in the reports; ``--csc-strict`` makes the same run red; pytest's own ``--strict`` does
not grade anything; a ``@should`` scenario that breaks for another reason still fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from checks_helpers import OFFLINE_PROFILE

TESTS = """
import os

import pytest

from cscsuite.checks.base import clause, expect, should


@should
@clause("RFC9126-2.2", "request_uri uses the URN namespace")
def soft_check(ok):
    expect(ok, "urn:ietf:params:oauth:request_uri:...", "another form")


@clause("RFC9126-4", "A pushed request is used once")
def hard_check(ok):
    expect(ok, "an error on the second use", "a second code")


@pytest.mark.should
def test_should_scenario(csc_version):
    hard_check(os.environ.get("GRADE_OK") == "1")


def test_should_check(csc_version):
    soft_check(os.environ.get("GRADE_OK") == "1")


@pytest.mark.should
def test_should_scenario_broken(csc_version):
    if os.environ.get("GRADE_BROKEN") == "1":
        raise RuntimeError("the harness broke, not the service")
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "t.toml").write_text(OFFLINE_PROFILE)
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n"
                                         "markers =\n    should: a SHOULD requirement\n")
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["cscsuite.plugin", "cscsuite.reporting.plugin"]\n')
    (tmp_path / "test_grading.py").write_text(TESTS)
    return tmp_path


def run(project: Path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    full_env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **env}
    cmd = [sys.executable, "-m", "pytest", "-rA", "-p", "pytest_bdd.plugin", "-p", "xdist.plugin",
           "-n", "2", "--profile=t", "--reports-dir=reports", "test_grading.py", *args]
    proc = subprocess.run(cmd,
                          cwd=project, env=full_env, capture_output=True, text=True, timeout=120,
                          check=False)
    summary = project / "reports" / "summary.json"
    return proc, json.loads(summary.read_text()) if summary.exists() else {}


def test_should_violation_is_a_finding_and_the_run_stays_green(project: Path) -> None:
    proc, summary = run(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = {(f["clause"], f["nodeid"].split("::")[1]) for f in summary["findings"]}
    assert found == {
        ("RFC9126-4", "test_should_scenario[v1]"), ("RFC9126-4", "test_should_scenario[v2]"),
        ("RFC9126-2.2", "test_should_check[v1]"), ("RFC9126-2.2", "test_should_check[v2]")}
    assert all(f["actual"] for f in summary["findings"])


def test_csc_strict_makes_findings_fatal(project: Path) -> None:
    proc, _ = run(project, "--csc-strict")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for name in ("test_should_scenario", "test_should_check"):
        for version in ("v1", "v2"):
            assert f"FAILED test_grading.py::{name}[{version}]" in proc.stdout
    assert "[RFC9126-4] A pushed request is used once" in proc.stdout
    assert "PASSED test_grading.py::test_should_scenario_broken[v1]" in proc.stdout


def test_pytest_strict_does_not_grade(project: Path) -> None:
    proc, summary = run(project, "--strict")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(summary["findings"]) == 4


def test_no_violation_no_finding(project: Path) -> None:
    proc, summary = run(project, GRADE_OK="1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert summary["findings"] == []


def test_should_scenario_failing_for_another_reason_still_fails(project: Path) -> None:
    proc, _ = run(project, GRADE_BROKEN="1")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED test_grading.py::test_should_scenario_broken[v1]" in proc.stdout
    assert "RuntimeError: the harness broke" in proc.stdout
