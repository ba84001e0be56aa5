"""Small pieces of the reporting package: tag meaning, atomic writes, feature parsing, env check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cscsuite.reporting import atomic, logins
from cscsuite.reporting.aggregate import LOGINS_PROPERTY, Aggregator
from cscsuite.reporting.collect import REPORT_ATTR
from cscsuite.reporting.features import parse_feature
from cscsuite.reporting.model import ScenarioResult, overall, worst
from cscsuite.tags import area_of, clause_of, stable_id_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("tag", "label", "url"), [
    ("rfc9126_2_2", "RFC 9126 §2.2", "https://www.rfc-editor.org/rfc/rfc9126#section-2.2"),
    ("@rfc6749_4_1_2_1", "RFC 6749 §4.1.2.1",
     "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1"),
    ("csc1_11_9", "CSC1 §11.9", "#clause-csc1-11-9"),
    ("csc2_8_3_2", "CSC2 §8.3.2", "#clause-csc2-8-3-2"),
    ("etsi319412_5", "ETSI 319 412 §5", "#clause-etsi319412-5"),
    ("ps_live", "PrimeSign: observed on the live test system", "#clause-ps-live"),
])
def test_clause_tags_become_labels_and_links(tag: str, label: str, url: str) -> None:
    clause = clause_of(tag)
    assert clause is not None and (clause.label, clause.url) == (label, url)


def test_other_tags_are_not_clauses_and_areas_are_found() -> None:
    assert clause_of("signhash") is None and clause_of("id_signhash_007") is None
    assert stable_id_of(["should", "id_service_auth_012"]) == "id_service_auth_012"
    assert area_of(["csc1_8_3", "id_service_auth_012"]) == "service_auth"
    assert area_of(["browser", "signhash", "id_par_001"]) == "signhash"


def test_status_of_several_instances() -> None:
    assert overall(["passed", "skipped"]) == "passed"
    assert overall(["passed", "failed", "skipped"]) == "failed"
    assert overall(["skipped", "xfailed"]) == "xfailed"
    assert overall([]) == "not run"
    assert worst(["passed", "error", "failed"]) == "error"


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "summary.json"
    atomic.write_json(target, {"a": 1})
    atomic.write_json(target, {"b": 2})
    assert target.read_text() == '{\n  "b": 2\n}\n'
    assert [p.name for p in target.parent.iterdir()] == ["summary.json"]
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # readable by others (umask)


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    atomic.write_text(target, "old")
    with pytest.raises(TypeError):
        atomic.write_text(target, None)  # type: ignore[arg-type]
    assert target.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


def test_broken_feature_file_renders_as_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.feature"
    bad.write_text("Feature: x\n  Scenario: y\n    Given a\n  | not | a step |\n  Foo bar\n")
    doc = parse_feature(bad, tmp_path)
    assert doc.path == "bad.feature" and doc.error


def test_profile_env_check_lists_every_missing_variable(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('a = { env = "NEEDED_ONE" }\nb = { env = "OPTIONAL", default = "" }\n'
                       '[x]\nc = { env = "NEEDED_TWO" }\notp = { kind = "env", var = "OTP_VAR" }\n')
    env = {k: v for k, v in os.environ.items() if k not in ("NEEDED_ONE", "NEEDED_TWO")}
    env["OTP_VAR"] = ""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_profile_env.py"),
                           str(profile)], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "NEEDED_ONE, NEEDED_TWO." in proc.stderr and "OPTIONAL" not in proc.stderr
    env.update(NEEDED_ONE="1", NEEDED_TWO="2")
    ok = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_profile_env.py"),
                         str(profile)], env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr


def test_skip_reasons_group_across_versions() -> None:
    from cscsuite.reporting.coverage import reason_group

    v1 = "target lacks capability 'par' for v1 (discovery: AS metadata pushed_authorization)"
    v2 = "target lacks capability 'par' for v2 (profile override)"
    assert reason_group(v1) == reason_group(v2) == "target lacks capability 'par'"
    assert reason_group("the capability exists in CSC API v1 only") == \
        "the capability exists in CSC API v1 only"
    assert reason_group("Skipped: no P-384 credential\nmore") == "no P-384 credential"
    assert reason_group("") == "no reason given"


def test_coverage_headline_counts_and_folds_rare_reasons() -> None:
    from cscsuite.reporting import coverage
    from cscsuite.reporting.model import ScenarioResult

    def rec(outcome: str, message: str = "") -> ScenarioResult:
        return ScenarioResult(f"t{id(message)}", outcome, feature_file="f.feature",
                              message=message)

    results = [rec("passed")] * 3 + [rec("xfailed"), rec("error")]
    results += [rec("skipped", "no authorization server")] * 4
    results += [rec("skipped", f"reason {n}") for n in range(3)]
    cov = coverage.of(results)
    assert (cov.ran, cov.total, cov.percent) == (5, 12, 41.7)
    assert cov.headline(max_reasons=2) == (
        "5 of 12 scenario instances ran (41.7%); skipped: no authorization server 4, "
        "reason 0 1, 2 more for 2 other reasons")
    assert coverage.below_minimum(cov, 50) and not coverage.below_minimum(cov, None)
    assert coverage.nothing_ran(["skipped", "not run"]) and not coverage.nothing_ran(["xfailed"])


def test_profile_run_table_sets_the_minimum(tmp_path: Path) -> None:
    from cscsuite.profile import ProfileError, load_profile

    source = (ROOT / "targets" / "sandbox.toml").read_text(encoding="utf-8")
    (tmp_path / "p.toml").write_text(source + "\n[run]\nmin_run_percent = 80\n")
    assert load_profile(str(tmp_path / "p.toml"), ROOT).run.min_run_percent == 80.0
    assert load_profile(str(ROOT / "targets" / "sandbox.toml"), ROOT).run.min_run_percent is None
    (tmp_path / "q.toml").write_text(source + "\n[run]\nmin_run = 80\n")
    with pytest.raises(ProfileError, match=r"run\.min_run"):
        load_profile(str(tmp_path / "q.toml"), ROOT)


class _FakeConfig:
    """Just enough of pytest.Config for the reporting plugin's helpers."""

    def __init__(self, options: dict[str, object], session: object = None) -> None:
        from cscsuite.plugin import SESSION_KEY

        self.options = options
        self.stash = {SESSION_KEY: session} if session is not None else {}

    def getoption(self, name: str) -> object:
        if name not in self.options:
            raise ValueError(name)
        return self.options[name]


def test_embedded_target_is_named_cscsandbox_not_primesign() -> None:
    from types import SimpleNamespace

    from cscsuite.reporting.plugin import _suite_facts

    info = SimpleNamespace(name="primesign MOBILE (cscsandbox)", specs="2.1.0.1")
    session = SimpleNamespace(profile=SimpleNamespace(name="sandbox", source_path="s.toml"),
                              describe_target=lambda: "http://127.0.0.1:1", versions=("v2",),
                              defects=(), uses_sandbox=True,
                              target=SimpleNamespace(info={"v2": info}))
    facts = _suite_facts(_FakeConfig({}, session))  # type: ignore[arg-type]
    assert facts["service"] == "cscsandbox, PrimeSign personality (v2: 2.1.0.1)"
    assert facts["target"] == "http://127.0.0.1:1 (embedded reference service)"
    session.uses_sandbox = False
    assert _suite_facts(_FakeConfig({}, session))["service"] == (  # type: ignore[arg-type]
        "v2: primesign MOBILE (cscsandbox) 2.1.0.1")


def test_strict_reads_csc_strict_and_the_minimum_falls_back_to_the_profile() -> None:
    from types import SimpleNamespace

    from cscsuite.reporting.plugin import _min_run, _strict

    assert _strict(_FakeConfig({"csc_strict": True})) is True  # type: ignore[arg-type]
    assert _strict(_FakeConfig({})) is False  # type: ignore[arg-type]
    profile = SimpleNamespace(run=SimpleNamespace(min_run_percent=75))
    config = _FakeConfig({"csc_min_run": None}, SimpleNamespace(profile=profile))
    assert _min_run(config) == 75.0  # type: ignore[arg-type]
    config.options["csc_min_run"] = 20.0
    assert _min_run(config) == 20.0  # type: ignore[arg-type]


def test_run_section_shows_discovered_credentials_as_a_table() -> None:
    import json

    from cscsuite.reporting import html

    rows = [{"id": "c-<1>", "key": "RSA 2048", "scal": "1", "multisign": 1,
             "status": "enabled/valid", "auth_mode": "oauth2code", "roles": ["signing", "rsa2048"],
             "note": ""}]
    run = {"profile": "p", "credentials.v1.signer": json.dumps({"rows": rows}),
           "credentials.v2.signer": json.dumps({"rows": [], "problem": "HTTP 501"})}
    block = html._credentials(run)
    assert "<h3>Credentials: v1.signer</h3>" in block and "<td>c-&lt;1&gt;</td>" in block
    assert "<td>signing, rsa2048</td>" in block and "Discovery failed: HTTP 501" in block
    assert "credentials." not in html._facts(run)  # not repeated as raw JSON among the facts


def test_logins_are_counted_per_scenario_and_held_against_the_budget() -> None:
    agg = Aggregator()
    runs = [("a", ["signhash", "browser"], 1, "passed"), ("b", ["credentials"], 1, "passed"),
            ("c", ["login"], 2, "passed"), ("d", ["login"], 0, "skipped")]
    for nodeid, marks, count, outcome in runs:
        report = pytest.TestReport(nodeid, ("f", 1, nodeid), {}, outcome, None, "teardown",
                                   user_properties=[(LOGINS_PROPERTY, count)] if count else [])
        setattr(report, REPORT_ATTR, {"nodeid": nodeid, "tags": marks})
        agg.add(report)
    results = agg.results(finished=True)
    assert {r.nodeid: r.logins for r in results} == {"a": 1, "b": 1, "c": 2, "d": 0}
    figs = logins.figures([ScenarioResult(r.nodeid, outcome=o, tags=r.tags, logins=r.logins)
                           for r, (_, _, _, o) in zip(results, runs, strict=True)])
    assert figs == {"total": 4, "scenarios_logging_in": 3, "scenarios_about_login": 2,
                    "outside_subject": 1, "within_budget": False}
    assert logins.describe(figs).endswith("OVER BUDGET")


def test_the_reports_name_the_companion_that_ran_an_instance() -> None:
    from cscsuite.reporting import html_scenarios, junit, summary

    own = ScenarioResult("t.py::test_a[v1]", outcome="passed", api_version="v1",
                         scenario_name="A")
    routed = ScenarioResult("t.py::test_b[v1@basic-explicit]", outcome="passed",
                            api_version="v1", target="basic-explicit", scenario_name="B")
    assert (own.display_name, routed.display_name) == ("A [v1]", "B [v1@basic-explicit]")
    assert html_scenarios.instance_label(routed) == "v1@basic-explicit"
    doc = summary.build([own, routed], {"profile": "sandbox"}, stale=[], comparison=None)
    assert doc["by_target"] == {"basic-explicit": {"passed": 1}, "sandbox": {"passed": 1}}
    assert doc["scenarios"][routed.nodeid]["target"] == "basic-explicit"
    assert "target" not in doc["scenarios"][own.nodeid]
    xml = junit.render([own, routed], {})
    assert '<property name="target" value="basic-explicit" />' in xml
    assert xml.count('name="target"') == 1 and 'name="B [v1@basic-explicit]"' in xml
