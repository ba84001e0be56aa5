"""Helpers for the suite core tests: a copy of the smoke project run by a pytest subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cscsuite.checks.base import GRADING, set_strict

REPO = Path(__file__).resolve().parents[2]
SMOKE = Path(__file__).parent / "fixtures" / "smoke"

#: The smoke project is a stand-alone pytest project, run only through ``run_smoke``.
collect_ignore = ["fixtures"]

RunPytest = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def smoke_project(tmp_path: Path) -> Path:
    """A private copy of the smoke project (its reports land in the copy)."""
    dest = tmp_path / "smoke"
    shutil.copytree(SMOKE, dest)
    return dest


@pytest.fixture
def run_smoke(smoke_project: Path) -> RunPytest:
    """Run pytest in the smoke project; bounded by ``timeout`` so a hang fails the test."""

    def run(*args: str, env: dict[str, str] | None = None,
            timeout: float = 90) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **(env or {})}
        cmd = [sys.executable, "-m", "pytest", "-p", "pytest_bdd.plugin", *args]
        return subprocess.run(cmd, cwd=smoke_project, env=full_env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    return run


@pytest.fixture
def strict_grading() -> Iterator[None]:
    """SHOULD checks raise, as under ``--csc-strict``, so a test can read their message."""
    GRADING.findings.clear()
    set_strict(True)
    yield
    set_strict(False)
    GRADING.findings.clear()
