"""The reports of a recorded run: every file is valid and says what happened, without secrets."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import CANARY, Run

SIGNING = "sc-features-signing-feature-"


def scenario_status(html: str, line: int, path: str = SIGNING) -> str:
    match = re.search(rf'id="{path}{line}" data-status="([^"]+)"', html)
    assert match, f"scenario at line {line} not rendered"
    return match.group(1)


def test_every_feature_renders_including_one_without_results(recorded_run: Run) -> None:
    html = recorded_run.text("index.html")
    assert "Signing hashes (fixture)" in html
    assert "Revocation (documentation only)" in html
    assert scenario_status(html, 6, "sc-features-revocation-feature-") == "not run"
    assert "the service refuses the token" in html  # steps of the unbound feature
    assert "{&quot;error&quot;: &quot;invalid_token&quot;}" in html  # its docstring


def test_scenario_statuses_match_the_run(recorded_run: Run) -> None:
    html = recorded_run.text("index.html")
    assert scenario_status(html, 10) == "passed"
    assert scenario_status(html, 16) == "failed"
    assert scenario_status(html, 24) == "passed"  # SHOULD violation: a finding, not a failure
    assert scenario_status(html, 29) == "passed"  # v1 passes, v2 skipped (v1 only)
    assert scenario_status(html, 45) == "failed"  # strict xfail passed on v1
    assert "FAILED: 3 of 14 scenario instances" in html


def test_step_results_per_version(recorded_run: Run) -> None:
    html = recorded_run.text("index.html")
    article = html[html.index(f'id="{SIGNING}16"'):]
    steps_table = article[:article.index("</tbody>")]
    statuses = re.findall(r'class="rs">([^<]+)<', steps_table)  # row by row, v1 then v2
    assert statuses == ["passed", "passed"] * 3 + ["failed", "failed"]


def test_tags_link_to_clauses(recorded_run: Run) -> None:
    html = recorded_run.text("index.html")
    assert 'href="https://www.rfc-editor.org/rfc/rfc9126#section-2.2"' in html
    assert 'href="https://www.rfc-editor.org/rfc/rfc7009#section-2.1"' in html
    assert 'href="#clause-csc1-11-9"' in html and 'id="clause-csc1-11-9"' in html
    assert "id_signhash_002" in html and ">SHOULD<" in html


def test_failed_and_should_scenarios_show_evidence(recorded_run: Run) -> None:
    html = recorded_run.text("index.html")
    failed = html[html.index(f'id="{SIGNING}16"'):html.index(f'id="{SIGNING}24"')]
    assert "POST http://127.0.0.1:9/csc/v2/signatures/signHash → 200" in failed
    assert "ConformanceError: [CSC1-11.9] a wrong SAD is refused" in failed
    link = re.search(r'href="(evidence/[^"]+/exchanges\.json)"', failed)
    assert link and (recorded_run.reports / link.group(1)).is_file()
    should = html[html.index(f'id="{SIGNING}24"'):html.index(f'id="{SIGNING}29"')]
    assert "SHOULD [CSC1-10.1]" in should and "credentials/info → 400" in should


def test_page_is_self_contained(recorded_run: Run) -> None:
    html = recorded_run.text("index.html")
    assert "<style>" in html and "<script>" in html
    assert not re.search(r"<link\b|<script[^>]+src=|@import|url\(", html)
    assert all(src.startswith("data:") for src in re.findall(r'<img[^>]+src="([^"]+)"', html))


def test_no_secret_anywhere_in_reports(recorded_run: Run) -> None:
    assert CANARY in recorded_run.proc.stdout or True  # pytest's own terminal is not a report
    files = [p for p in recorded_run.reports.rglob("*") if p.is_file()]
    assert len(files) >= 6
    leaking = [p for p in files if CANARY.encode() in p.read_bytes()]
    assert leaking == []
    assert "HTTP 200 with token ***" in recorded_run.text("index.html")


def test_junit_has_one_testcase_per_instance_with_properties(recorded_run: Run) -> None:
    root = ET.parse(recorded_run.reports / "junit.xml").getroot()
    cases = root.iter("testcase")
    by_name = {c.get("name"): c for c in cases}
    assert len(by_name) == 14
    case = by_name["The service refuses a wrong activation token [v2]"]
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert props["stable_id"] == "id_signhash_002" and props["api_version"] == "v2"
    assert props["spec_clauses"] == "CSC1 §11.9 RFC 9126 §2.2"
    assert props["feature"] == "Signing hashes (fixture)"
    assert case.find("failure") is not None
    assert root.get("tests") == "14" and root.get("failures") == "3"


def test_cucumber_json_fills_pytest_bdd_gaps(recorded_run: Run) -> None:
    features = json.loads(recorded_run.text("cucumber.json"))
    elements = [e for f in features for e in f["elements"]]
    outline = [e for e in elements if e["name"].startswith("Signing 5 hashes")]
    assert outline and "@large" in {t["name"] for t in outline[0]["tags"]}
    refused = next(e for e in elements if e["name"].startswith("The service refuses"))
    assert refused["steps"][-1]["rows"] == [{"cells": ["error"]}, {"cells": ["invalid_request"]}]
    assert all(isinstance(s["result"]["duration"], int) for e in elements for s in e["steps"])


def test_summary_counts_findings_and_stale_deviations(recorded_run: Run) -> None:
    doc = json.loads(recorded_run.text("summary.json"))
    assert doc["totals"]["tests"] == 14 and doc["totals"]["failed"] == 3
    assert doc["by_version"]["v2"] == {"failed": 1, "passed": 3, "skipped": 2, "xfailed": 1}
    assert doc["by_area"]["signhash"]["failed"] == 3
    assert {f["clause"] for f in doc["findings"]} == {"CSC1-10.1"}
    assert [s["nodeid"] for s in doc["stale_deviations"]] == [
        "test_signing.py::test_disabled_credentials_are_listed[v1]"]
    nodeid = "test_signing.py::test_the_service_refuses_a_wrong_activation_token[v1]"
    assert doc["scenarios"][nodeid]["outcome"] == "failed"
    assert doc["run"]["state"] == "finished"


def test_report_files_leave_no_temporary_files(recorded_run: Run) -> None:
    leftovers = [p.name for p in Path(recorded_run.reports).iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_xdist_run_reports_the_same_as_a_serial_run(recorded_run: Run, xdist_run: Run) -> None:
    serial = json.loads(recorded_run.text("summary.json"))
    parallel = json.loads(xdist_run.text("summary.json"))
    assert {k: v["outcome"] for k, v in parallel["scenarios"].items()} == {
        k: v["outcome"] for k, v in serial["scenarios"].items()}
    assert len(parallel["findings"]) == len(serial["findings"]) == 2
    assert parallel["logins"] == serial["logins"]  # summed over the workers
    assert serial["logins"]["total"] == serial["logins"]["scenarios_logging_in"] > 0
    assert "<th>Browser logins</th><td>" in xdist_run.text("index.html")

    def steps(run: Run) -> list:
        return sorted((e["name"], [s["result"]["status"] for s in e["steps"]])
                      for f in json.loads(run.text("cucumber.json")) for e in f["elements"])

    assert steps(xdist_run) == steps(recorded_run)
    assert scenario_status(xdist_run.text("index.html"), 16) == "failed"


def test_facts_a_scenario_established_are_shown_everywhere(recorded_run: Run) -> None:
    """``fact.<label>`` user properties (a document's PAdES level, for one) reach every format."""
    html = recorded_run.text("index.html")
    passed = html[html.index(f'id="{SIGNING}10"'):html.index(f'id="{SIGNING}16"')]
    assert "<b>signatures returned</b>: 2" in passed
    summary = json.loads(recorded_run.text("summary.json"))
    facts = [s.get("facts") for s in summary["scenarios"].values() if s.get("facts")]
    assert {"signatures returned": "2"} in facts
    junit = ET.fromstring(recorded_run.text("junit.xml"))
    values = {p.get("value") for p in junit.iter("property")
              if p.get("name") == "signatures returned"}
    assert "2" in values
