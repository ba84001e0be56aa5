"""Every personality of the embedded service, run through its profile as a user would.

Each run selects the service- and credential-authorization areas (every style and authMode the
personality offers) and must end without failures or errors; each skip must name a capability
the personality really lacks, and the scenarios of the styles it offers must have passed. The
full runs (all areas) and their figures are in docs/architecture.md § Personalities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from selftest.outcomes import read_summary
from selftest.processes import run_suite

SELECTION = "service_auth or credential_auth"
#: Skips that name no capability yet: the "signing" role is RSA 2048 until role resolution
#: (credential discovery) picks a credential of the target's own (EC-only targets lack one).
ROLE_SKIP = re.compile(r"^the profile names no '(rsa2048|rsa3072)' credential for signer$")
CAPABILITY_SKIP = re.compile(r"^target lacks capability '(?P<name>[a-z0-9_]+)' for v[12] ")

_NO_OAUTH = {"oauth", "oauth2code_service", "oauth2client_service", "refresh", "par", "rar",
             "account_token_client"}


@dataclass(frozen=True)
class Personality:
    profile: str
    lacks: frozenset[str]  # capabilities whose absence may skip a scenario
    must_pass: tuple[str, ...]  # stable ids of the styles and modes it offers
    role_skips: bool = False


PERSONALITIES = [
    Personality("sandbox", frozenset({
        "auth_login", "auth_revoke", "login_remember_me", "oauth2client_service",
        "external_service", "external_token", "online_otp_credential", "pin_only_credential",
        "send_otp"}), ("id_service_auth_008", "id_credential_auth_001",
                       "id_credential_auth_010", "id_credential_auth_019",
                       "id_credential_auth_020")),
    Personality("sandbox-v1-external-ec", frozenset(_NO_OAUTH | {
        "auth_login", "auth_revoke", "login_remember_me", "explicit_credential",
        "online_otp_credential", "pin_only_credential", "send_otp", "disabled_credential",
        "second_signer"}),
        ("id_service_auth_008", "id_service_auth_016", "id_credential_auth_017",
         "id_credential_auth_019"), role_skips=True),
    Personality("sandbox-basic-explicit", frozenset(_NO_OAUTH | {
        "external_service", "external_token", "implicit_credential", "disabled_credential"}),
        ("id_service_auth_008", "id_service_auth_011", "id_service_auth_012",
         "id_service_auth_013", "id_service_auth_014", "id_service_auth_015",
         "id_credential_auth_011", "id_credential_auth_013", "id_credential_auth_014",
         "id_credential_auth_015", "id_credential_auth_016", "id_credential_auth_018",
         "id_credential_auth_020", "id_service_auth_017")),
    Personality("sandbox-primesign-keycloak", frozenset({
        "auth_login", "auth_revoke", "login_remember_me", "oauth2client_service",
        "external_service", "external_token", "online_otp_credential", "pin_only_credential",
        "send_otp", "account_token_client", "second_signer"}),
        ("id_service_auth_001", "id_service_auth_008", "id_credential_auth_001",
         "id_credential_auth_010", "id_credential_auth_019")),
    Personality("sandbox-oauth2client", frozenset({
        "oauth2code_service", "refresh", "auth_login", "auth_revoke", "login_remember_me",
        "external_service", "external_token", "online_otp_credential", "pin_only_credential",
        "send_otp", "account_token_client", "second_signer"}),
        ("id_service_auth_008", "id_service_auth_009", "id_service_auth_010",
         "id_credential_auth_001", "id_credential_auth_010")),
]


def _bad_skip(message: str, personality: Personality) -> bool:
    if personality.role_skips and ROLE_SKIP.match(message):
        return False
    match = CAPABILITY_SKIP.match(message)
    return match is None or match["name"] not in personality.lacks


@pytest.mark.selftest
@pytest.mark.parametrize("personality", PERSONALITIES, ids=lambda p: p.profile)
def test_personality_profile_runs_clean(personality: Personality, tmp_path: Path) -> None:
    run = run_suite(["-q", "-n", "0", "-m", SELECTION, f"--profile={personality.profile}",
                     "steps"], tmp_path / "reports", timeout_s=600)
    summary = read_summary(run.reports_dir)
    scenarios = summary["scenarios"].values()
    red = [f"{s['stable_id']}[{s['api_version']}]: {s['message'][:200]}"
           for s in scenarios if s["outcome"] in ("failed", "error")]
    assert not red and run.returncode == 0, "\n".join(red) or run.output[-3000:]
    bad = sorted({s["message"] for s in scenarios
                  if s["outcome"] == "skipped" and _bad_skip(s["message"], personality)})
    assert not bad, f"skips that name no capability {personality.profile} lacks: {bad}"
    passed = {s["stable_id"] for s in scenarios if s["outcome"] == "passed"}
    missing = [sid for sid in personality.must_pass if sid not in passed]
    assert not missing, f"{personality.profile}: these scenarios did not pass: {missing}"
    print(f"{personality.profile}: {summary['coverage']['ran']} of "
          f"{summary['coverage']['total']} ran in {run.elapsed_s:.0f} s; skipped by reason: "
          f"{summary['coverage']['not_run_reasons']}")


@pytest.mark.selftest
def test_a_run_whose_scenarios_never_log_in_needs_no_browser(tmp_path: Path) -> None:
    """@browser scenarios on a target without OAuth authorize directly: no browser is looked
    for or launched (a browser path that does not exist would otherwise end the run)."""
    run = run_suite(["-q", "-n", "0", "-m", "signhash and not id_signhash_002",
                     "--profile=sandbox-v1-external-ec",
                     f"--browser-path={tmp_path / 'no-such-chromium'}", "steps"],
                    tmp_path / "reports", timeout_s=300)
    summary = read_summary(run.reports_dir)
    passed = {s["stable_id"] for s in summary["scenarios"].values() if s["outcome"] == "passed"}
    assert run.returncode == 0, run.output[-3000:]
    assert "id_signhash_001" in passed  # tagged @browser, authorized directly
    assert "browser not found" not in run.output
