"""Companion targets end to end (pytest subprocesses on a copy of the smoke project): test ids,
which embedded service runs a routed scenario, what the reports say, and the failure cases (a
need the companion lacks too skips with its reason; a companion that cannot start errors its
scenarios, never the run)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

TARGETS = Path(__file__).resolve().parents[2] / "targets"
RunPytest = Callable[..., subprocess.CompletedProcess[str]]
REPORTING = ("-p", "cscsuite.reporting.plugin")
ROUTED = """
  @needs_auth_login @id_discovery_905
  Scenario: A scenario that needs auth login
    Given the signing application asks the service about itself
    Then the service tells its name
"""


@pytest.fixture
def project(smoke_project: Path) -> Path:
    """The smoke project with one more scenario, which needs auth/login (PrimeSign lacks it)."""
    feature = smoke_project / "features" / "smoke.feature"
    feature.write_text(feature.read_text(encoding="utf-8") + ROUTED, encoding="utf-8")
    return smoke_project


def profile_with(project: Path, companions: str) -> str:
    """A minimal profile of the embedded service (PrimeSign personality) with these companions."""
    path = project / "custom.toml"
    path.write_text(f'name = "custom"\n[sandbox]\nenabled = true\n[identities.signer]\n'
                    f'values = {{}}\n{companions}', encoding="utf-8")
    return f"--profile={path}"


def ids(stdout: str) -> set[str]:
    return set(re.findall(r"::(\w+\[[\w@-]+\])", stdout))


def test_a_routed_scenario_is_collected_for_its_companion(project: Path,
                                                          run_smoke: RunPytest) -> None:
    collected = ids(run_smoke(f"--profile={TARGETS / 'sandbox.toml'}", "--collect-only",
                              "-q").stdout)
    assert {"test_a_scenario_that_needs_auth_login[v1@basic-explicit]",
            "test_a_scenario_that_needs_auth_login[v2@basic-explicit]"} <= collected
    assert "test_the_service_describes_itself[v1]" in collected
    assert not {i for i in collected if "@" in i and "auth_login" not in i}


def test_a_run_against_a_running_service_never_routes(project: Path,
                                                     run_smoke: RunPytest) -> None:
    result = run_smoke(f"--profile={TARGETS / 'sandbox.toml'}", "--base-url=http://127.0.0.1:9",
                       "--collect-only", "-q")
    collected = ids(result.stdout)
    assert "test_a_scenario_that_needs_auth_login[v1]" in collected
    assert not any("@" in i for i in collected), collected


def test_the_companion_runs_the_scenario_and_the_reports_name_it(project: Path,
                                                               run_smoke: RunPytest) -> None:
    result = run_smoke(f"--profile={TARGETS / 'sandbox.toml'}", *REPORTING, "-rs",
                       "-k", "auth_login or describes_itself", "--reports-dir=reports",
                       timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
    assert "cscsuite companions: basic-explicit = sandbox-basic-explicit" in result.stdout
    reports = project / "reports"
    summary = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    routed = {k: v for k, v in summary["scenarios"].items() if "auth_login" in k}
    assert {v["target"] for v in routed.values()} == {"basic-explicit"}
    assert all(v["outcome"] == "passed" for v in routed.values())
    assert summary["by_target"] == {"basic-explicit": {"passed": 2}, "sandbox": {"passed": 2}}
    assert "basic-explicit = sandbox-basic-explicit" in summary["run"]["companions"]
    junit = (reports / "junit.xml").read_text(encoding="utf-8")
    assert 'name="A scenario that needs auth login [v1@basic-explicit]"' in junit
    assert '<property name="target" value="basic-explicit" />' in junit
    assert "v1@basic-explicit" in (reports / "index.html").read_text(encoding="utf-8")
    # the companion's own service answered, and was stopped at the end of the run
    log = (reports / "sandbox-basic-explicit.log").read_text(encoding="utf-8")
    url = re.search(r"cscsandbox ready (http://127\.0\.0\.1:\d+)", log)
    assert url, log
    evidence = json.dumps([p.name for p in (reports / "evidence").rglob("*")])
    assert "session_discovery_basic-explicit" in evidence
    with pytest.raises(httpx.TransportError):
        httpx.post(f"{url.group(1)}/csc/v1/info", json={}, timeout=2)


def test_a_need_the_companion_lacks_too_skips_with_its_reason(project: Path,
                                                               run_smoke: RunPytest) -> None:
    profile = profile_with(project, f'[companions.wrong]\nprofile = '
                                    f'"{TARGETS / "sandbox-oauth2client.toml"}"\n'
                                    'capabilities = ["auth_login"]\n')
    result = run_smoke(profile, "-rs", "-k", "auth_login", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 skipped" in result.stdout
    assert ("target lacks capability 'auth_login' for v1 (discovery: info methods auth/login) "
            "[companion wrong]") in result.stdout


def test_a_companion_that_cannot_start_errors_only_its_scenarios(project: Path,
                                                                 run_smoke: RunPytest) -> None:
    (project / "broken.toml").write_text(
        f'extends = "{TARGETS / "sandbox-basic-explicit.toml"}"\nname = "broken"\n'
        '[sandbox]\nargs = ["--set", "service.no_such_key=1"]\n', encoding="utf-8")
    profile = profile_with(project, '[companions.broken]\nprofile = "broken"\n'
                                    'capabilities = ["auth_login"]\n')
    result = run_smoke(profile, "-k", "auth_login or describes_itself", timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed" in result.stdout and "2 errors" in result.stdout
    assert ("companion 'broken' (profile broken, " in result.stdout
            and "the embedded service exited with code" in result.stdout)
