"""Small pieces of the reporting package: tag meaning, atomic writes, feature parsing, env check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cscsuite.reporting import atomic
from cscsuite.reporting.features import parse_feature
from cscsuite.reporting.model import overall, worst
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
