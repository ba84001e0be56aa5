"""Runs of a small fixture project (features + dummy steps, no service) for the report tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "project"
collect_ignore = ["fixtures"]
CANARY = "canary-Pr0file-S3cret-4711"


@dataclass
class Run:
    project: Path
    reports: Path
    proc: subprocess.CompletedProcess[str]

    def text(self, name: str) -> str:
        return (self.reports / name).read_text(encoding="utf-8")


def copy_project(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("__pycache__", "reports"))
    return dest


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "FIXTURE_"))}
    out.update(FAKE_PROFILE_SECRET=CANARY, PYTHONDONTWRITEBYTECODE="1",
               PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", **extra)
    return out


def build_cmd(*args: str) -> list[str]:
    """pytest with only the plugins the fixture project needs (autoload is off: fast start)."""
    return [sys.executable, "-m", "pytest", "-q", "-p", "pytest_bdd.plugin", *args]


def run_project(project: Path, *args: str, timeout: float = 120, **extra: str) -> Run:
    proc = subprocess.run(build_cmd(*args), cwd=project, env=env(**extra), text=True,
                          capture_output=True, timeout=timeout, check=False)
    return Run(project, project / "reports", proc)


@pytest.fixture(scope="session")
def recorded_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One complete run of the fixture project (3 failures, findings, skips, a known deviation)."""
    project = copy_project(tmp_path_factory.mktemp("recorded") / "project")
    run = run_project(project)
    assert run.proc.returncode == 1, run.proc.stdout + run.proc.stderr
    return run


@pytest.fixture(scope="session")
def xdist_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The same project on two xdist workers: step data must reach the controller."""
    project = copy_project(tmp_path_factory.mktemp("xdist") / "project")
    run = run_project(project, "-p", "xdist.plugin", "-n", "2")
    assert run.proc.returncode == 1, run.proc.stdout + run.proc.stderr
    return run
