"""Redaction canaries: a full conformance run with distinctive secrets leaves none of them in any
report file (zip members such as Playwright traces included) or in the terminal output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cscsandbox.config import default_text
from robustness import canaries
from selftest.derived_profile import SANDBOX_PROFILE as PROFILE
from selftest.derived_profile import sandbox_profile_with_config
from selftest.processes import run_suite


def test_canaries_cover_client_secrets_and_passwords() -> None:
    found = canaries.make_canaries(PROFILE, default_text())
    names = {c.env_var for c in found}
    assert "SANDBOX_CLIENT_SECRET" in names and "SANDBOX_ALICE_PASSWORD" in names, names
    config = canaries.canary_config(default_text(), found)
    assert all(f'"{c.default}"' not in config and c.value in config for c in found)


def test_the_search_finds_every_encoding(tmp_path: Path) -> None:
    canary = canaries.Canary("X_SECRET", "x-default-secret", "Canary9-0123abcd", "client-a")
    for form, needle in canary.needles().items():
        (tmp_path / f"{form}.txt").write_bytes(b"before " + needle + b" after")
    assert len(canaries.find_leaks(tmp_path, "", [canary])) >= len(canary.needles())
    assert canaries.find_leaks(tmp_path / "none", "clean output", [canary]) == []


@pytest.mark.robustness
@pytest.mark.timeout(1800)
def test_no_secret_survives_a_full_run(tmp_path: Path) -> None:
    found = canaries.make_canaries(PROFILE, default_text())
    profile = sandbox_profile_with_config(tmp_path / "profile",
                                          canaries.canary_config(default_text(), found))
    env = {c.env_var: c.value for c in found}
    # traced logins: the kept traces of the refused logins are searched too
    run = run_suite([f"--profile={profile}", "-n", "2", "-rA", "--login-trace=retain-on-failure"],
                    tmp_path / "reports",
                    timeout_s=1500, env=env)
    summary = json.loads((run.reports_dir / "summary.json").read_text(encoding="utf-8"))
    passed = summary["totals"].get("passed", 0)
    assert passed >= 100, f"too few scenarios ran to prove anything: {summary['totals']}"
    files, zips = canaries.count_files(run.reports_dir)
    assert files > passed, "the run wrote less evidence than expected"
    assert zips, "no login trace was kept, so none was searched"
    leaks = canaries.find_leaks(run.reports_dir, run.output, found)
    assert not leaks, "secrets leaked:\n" + "\n".join(leaks[:30])
