"""Honest run states: skips keep their reasons, nothing-ran reads NOT RUN, a run that never
started keeps the previous report, a harness error is an error and a misspelt tag stops the run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run, copy_project, run_project

SKIP_REASON = "no P-384 credential on this target"
FIRST = "test_signatures_come_back_in_the_order_of_the_hashes"


def _summary(run: Run, name: str = "summary.json") -> dict[str, Any]:
    return dict(json.loads(run.text(name)))


def _junit_cases(run: Run) -> dict[str, ET.Element]:
    root = ET.parse(run.reports / "junit.xml").getroot()
    return {str(c.get("name")): c for c in root.iter("testcase")}


def _cucumber(run: Run) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for f in json.loads(run.text("cucumber.json")) for e in f["elements"]}


@pytest.fixture(scope="module")
def skips_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Both instances of the first scenario skip inside a step; one module skips as a whole."""
    project = copy_project(tmp_path_factory.mktemp("skips") / "project")
    (project / "test_later.py").write_text(
        "import pytest\n\npytest.skip('needs a real provider', allow_module_level=True)\n")
    run = run_project(project, FIXTURE_SKIP_TEST=FIRST)
    assert run.proc.returncode == 1, run.proc.stdout + run.proc.stderr
    return run


def test_skip_reasons_reach_junit(skips_run: Run) -> None:
    cases = _junit_cases(skips_run)
    skipped = cases["Signatures come back in the order of the hashes [v1]"].find("skipped")
    assert skipped is not None and skipped.get("message") == SKIP_REASON
    v1_only = cases["Signing 5 hashes in one call [v2] (count=5)"].find("skipped")
    assert v1_only is not None
    assert v1_only.get("message") == "the capability exists in CSC API v1 only"
    module = cases["test_later.py"].find("skipped")  # a module-level skip is not lost
    assert module is not None and module.get("message") == "needs a real provider"


def test_skip_reasons_reach_cucumber_and_summary(skips_run: Run) -> None:
    element = _cucumber(skips_run)["Signatures come back in the order of the hashes [v2]"]
    assert element["steps"][0]["result"]["error_message"] == f"skipped: {SKIP_REASON}"
    doc = _summary(skips_run)
    assert doc["scenarios"][f"test_signing.py::{FIRST}[v1]"]["message"] == SKIP_REASON
    reasons = {r["reason"]: r["count"] for r in doc["coverage"]["not_run_reasons"]}
    assert reasons == {SKIP_REASON: 2, "the capability exists in CSC API v1 only": 2,
                       "needs a real provider": 1}
    assert (doc["coverage"]["ran"], doc["coverage"]["total"]) == (10, 15)


def test_skip_reasons_are_in_the_page_and_the_terminal(skips_run: Run) -> None:
    html = skips_run.text("index.html")
    lines = re.findall(r'<div class="skipline">(.*?)</div>', html)
    assert any("v1" in line and SKIP_REASON in line for line in lines)  # in the row itself
    headline = (f"10 of 15 scenario instances ran (66.7%); skipped: {SKIP_REASON} 2, the "
                "capability exists in CSC API v1 only 2, needs a real provider 1")
    assert headline in html
    assert "coverage: " + headline in skips_run.proc.stdout


@pytest.fixture(scope="module")
def all_skipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("allskipped") / "project")


def test_everything_skipped_reads_not_run(all_skipped: Path) -> None:
    run = run_project(all_skipped, "-k", "not plain", FIXTURE_SKIP_ALL="1")
    assert run.proc.returncode == 0, run.proc.stdout
    html = run.text("index.html")
    assert "NOT RUN: all 12 scenario instances skipped" in html
    assert '<span class="badge st-skipped">NOT RUN</span>' in html and ">OK<" not in html
    assert "Signing hashes</a>" in html  # the area's business name
    doc = _summary(run)
    assert doc["verdict"] == "not run" and doc["coverage"]["ran"] == 0
    assert "NOT RUN: every scenario instance was skipped" in run.proc.stdout


def test_min_run_fails_a_run_of_skips(all_skipped: Path) -> None:
    run = run_project(all_skipped, "-k", "not plain", "--csc-min-run=50", FIXTURE_SKIP_ALL="1")
    assert run.proc.returncode == 1, run.proc.stdout
    doc = _summary(run)
    assert doc["totals"]["ok"] is False and doc["verdict"] == "below minimum"
    assert doc["coverage"]["below_minimum"] is True and doc["coverage"]["min_run_percent"] == 50
    assert "FAILED: only 0% of the scenario instances ran (0 of 12), less than the required 50%" \
        in run.proc.stdout
    assert "FAILED: only 0%" in run.text("index.html")


def test_min_run_met_keeps_the_verdict(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    run = run_project(project, "-k", "description", "--csc-min-run=100")
    assert run.proc.returncode == 0, run.proc.stdout
    assert _summary(run)["coverage"]["below_minimum"] is False


def test_min_run_outside_0_to_100_is_a_usage_error(tmp_path: Path) -> None:
    run = run_project(copy_project(tmp_path / "project"), "--csc-min-run=150")
    assert run.proc.returncode == 4
    assert "--csc-min-run=150: give a percentage from 0 to 100" in run.proc.stderr


def test_findings_without_failures_read_passed(tmp_path: Path) -> None:
    run = run_project(copy_project(tmp_path / "project"), "-k", "description")
    assert run.proc.returncode == 0, run.proc.stdout
    html = run.text("index.html")
    assert "PASSED: 2 scenario instances (with 2 SHOULD finding(s))" in html
    assert 'id="findings"' in html and "errors carry error_description" in html
    doc = _summary(run)
    assert doc["verdict"] == "passed" and doc["totals"]["ok"] is True
    finding = doc["findings"][0]
    assert {k: finding[k] for k in ("clause", "requirement", "expected", "actual")} == {
        "clause": "CSC1-10.1", "requirement": "errors carry error_description",
        "expected": "an error_description", "actual": "none"}
    assert finding["test_id"].startswith("test_signing.py::test_errors_carry_a_description[")


# -- runs that never started ----------------------------------------------------------------


@pytest.fixture
def reported(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A project with a complete report of a good run, and that report's bytes."""
    project = copy_project(tmp_path / "project")
    run = run_project(project, "-k", "description")
    assert run.proc.returncode == 0, run.proc.stdout
    files = {p.name: p.read_bytes() for p in run.reports.iterdir() if p.is_file()}
    return project, files


def _assert_not_started(project: Path, before: dict[str, bytes], reason: str) -> dict[str, Any]:
    reports = project / "reports"
    after = {p.name: p.read_bytes() for p in reports.iterdir() if p.is_file()}
    assert after.pop("summary.not-started.json")
    assert after == before  # the previous report is intact
    doc = json.loads((reports / "summary.not-started.json").read_text())
    assert doc["ok"] is False and doc["state"] == "not-started" and reason in doc["reason"]
    assert doc["totals"]["ok"] is False
    return dict(doc)


def test_usage_error_keeps_the_previous_report(reported: tuple[Path, dict[str, bytes]]) -> None:
    project, before = reported
    run = run_project(project, "--compare-with=missing.json")
    assert run.proc.returncode == 4
    _assert_not_started(project, before, "usage error: --compare-with: missing.json")


def test_collection_error_keeps_the_previous_report(
        reported: tuple[Path, dict[str, bytes]]) -> None:
    project, before = reported
    (project / "test_broken.py").write_text("def broken(:\n")
    run = run_project(project)
    assert run.proc.returncode == 2
    doc = _assert_not_started(project, before, "1 collection error(s): test_broken.py")
    assert doc["run"]["state"] == "not-started"
    assert "the run did not start" in run.proc.stdout


def test_no_tests_keeps_the_previous_report_and_a_later_run_clears_the_note(
        reported: tuple[Path, dict[str, bytes]]) -> None:
    project, before = reported
    run = run_project(project, "-k", "no_such_test")
    assert run.proc.returncode == 5
    _assert_not_started(project, before, "no test ran")
    again = run_project(project, "-k", "description")
    assert again.proc.returncode == 0
    assert not (again.reports / "summary.not-started.json").exists()


# -- harness errors ---------------------------------------------------------------------------


def test_harness_error_is_an_error_in_all_four_formats(tmp_path: Path) -> None:
    run = run_project(copy_project(tmp_path / "project"), "-k", "order_of_the_hashes",
                      FIXTURE_HARNESS_TEST=f"{FIRST}[v1]")
    assert run.proc.returncode == 1, run.proc.stdout
    wanted = "the suite could not establish: the signer's credential could not be looked up"
    case = _junit_cases(run)["Signatures come back in the order of the hashes [v1]"]
    error = case.find("error")
    assert error is not None and wanted in str(error.get("message"))
    assert case.find("failure") is None
    steps = _cucumber(run)["Signatures come back in the order of the hashes [v1]"]["steps"]
    failed = [s["result"] for s in steps if s["result"]["status"] == "failed"]
    assert len(failed) == 1 and wanted in failed[0]["error_message"]
    doc = _summary(run)
    assert doc["totals"]["error"] == 1 and doc["totals"].get("failed", 0) == 0
    assert doc["totals"]["ok"] is False and doc["verdict"] == "failed"
    html = run.text("index.html")
    assert 'data-status="error"' in html and "FAILED: 1 of 2 scenario instances" in html


# -- the tag grammar --------------------------------------------------------------------------


def test_misspelt_capability_tag_is_a_collection_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    feature = project / "features" / "signing.feature"
    feature.write_text(feature.read_text().replace("@csc1_11_9 @id_signhash_001",
                                                   "@csc1_11_9 @id_signhash_001 @needs_parr"))
    run = run_project(project)
    assert run.proc.returncode == 2, run.proc.stdout
    assert "ERROR collecting test_signing.py" in run.proc.stdout
    assert ("unknown capability tag @needs_parr in features/signing.feature: known capabilities "
            "are account_token_client, alg_none_accepted") in run.proc.stdout
    assert ", par, " in run.proc.stdout


def test_known_capability_tag_collects(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    feature = project / "features" / "signing.feature"
    feature.write_text(feature.read_text().replace("@csc1_11_9 @id_signhash_001",
                                                   "@csc1_11_9 @id_signhash_001 @needs_par"))
    run = run_project(project, "-k", "order_of_the_hashes")
    assert run.proc.returncode == 0, run.proc.stdout
    assert "2 passed" in run.proc.stdout


def test_a_run_of_skipped_modules_did_not_start(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "test_later.py").write_text(
        "import pytest\n\npytest.skip('needs a real provider', allow_module_level=True)\n")
    run = run_project(project, "test_later.py")
    assert run.proc.returncode == 5, run.proc.stdout
    doc = json.loads(run.text("summary.not-started.json"))
    assert doc["reason"] == ("every module was skipped, for example test_later.py: "
                             "needs a real provider")
    assert not (run.reports / "summary.json").exists()
