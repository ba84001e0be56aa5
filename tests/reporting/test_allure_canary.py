"""Allure results (allure-pytest-bdd) carry no secret.

allure-pytest-bdd records every step-function argument with ``repr`` and every failure message.
The suite keeps secrets off step signatures (they sit in ``World`` as ``Secret``, whose repr
masks them) and the reporting plugin redacts each result before it is written. The control run
proves the grep finds a secret the redactor cannot know when it is passed as a plain argument.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CANARY, copy_project, run_project

pytest.importorskip("allure_pytest_bdd")

UNKNOWN = "unregistered-canary-9999"
LEAKY_FEATURE = """Feature: Leaky (control)
  Scenario: A secret passed as a plain step argument
    Given a plain token
"""
LEAKY_STEPS = '''import os
import pytest
from pytest_bdd import given, scenarios

scenarios("leaky.feature")


@pytest.fixture
def plain_token() -> str:
    return os.environ["UNREGISTERED_SECRET"]


@given("a plain token")
def _plain(plain_token: str) -> None:
    assert plain_token
'''


def _files_with_canary(folder: Path, canary: str) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.is_file() and canary.encode() in p.read_bytes()]


def test_allure_results_hold_no_secret(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    results = tmp_path / "allure-results"
    run = run_project(project, "-p", "allure_pytest_bdd.plugin", f"--alluredir={results}")
    assert run.proc.returncode == 1, run.proc.stdout
    assert len(list(results.glob("*-result.json"))) >= 10  # the scenarios that ran
    assert "Secret('***')" in "".join(p.read_text() for p in results.glob("*-result.json"))
    texts = "".join(p.read_text() for p in results.glob("*-result.json"))
    assert "HTTP 200 with token ***" in texts  # the failure message, redacted
    assert _files_with_canary(results, CANARY) == []


def test_control_plain_secret_argument_does_leak(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "features" / "leaky.feature").write_text(LEAKY_FEATURE)
    (project / "test_leaky.py").write_text(LEAKY_STEPS)
    results = tmp_path / "allure-results"
    run_project(project, "-p", "allure_pytest_bdd.plugin", f"--alluredir={results}",
                "test_leaky.py", UNREGISTERED_SECRET=UNKNOWN)
    assert _files_with_canary(results, UNKNOWN) != []
