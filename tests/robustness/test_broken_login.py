"""A login page that changed its wording: the circuit breaker ends the later logins at once.

The profile is derived from ``targets/sandbox.toml`` with the one-time-code button renamed
("Verify" -> "Confirm code"), so every login of the ``password_sms`` recipe fails at step 7. Run
with two workers, the first failures (at most one per worker beyond the threshold) wait for the
page to stand still; every later one ends through the breaker, quoting the first failure: the
step, the label looked for, the labels the page had and the path of its masked screenshot.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from selftest.processes import REPO_ROOT, run_suite

SANDBOX_PROFILE = REPO_ROOT / "targets" / "sandbox.toml"
#: Scenarios that need a successful password + SMS login (none counts a failed login); one is an
#: outline with two examples, so at least eight tests run.
SCENARIOS = ("id_login_001 or id_login_004 or id_service_auth_001 or id_service_auth_002 or "
             "id_credential_auth_001 or id_credential_auth_002 or id_credential_auth_004 or "
             "id_credential_auth_005")
COUNT = 8
THRESHOLD = 2  # the profile default
WORKERS = 2
STEP = "login step 7 (click 'Confirm code') of recipe 'password_sms'"
BREAKER = "login ended by the circuit breaker: login step 7 of recipe 'password_sms'"


def renamed_button_profile(workdir: Path) -> Path:
    """The sandbox profile whose recipe clicks a one-time-code button the page does not have."""
    text = SANDBOX_PROFILE.read_text(encoding="utf-8")
    assert text.count('name = "Verify"') == 1, "the sandbox recipe changed; adapt this test"
    workdir.mkdir(parents=True, exist_ok=True)
    profile = workdir / SANDBOX_PROFILE.name
    profile.write_text(text.replace('name = "Verify"', 'name = "Confirm code"'), "utf-8")
    deviations = SANDBOX_PROFILE.with_name("sandbox.deviations.toml")
    if deviations.exists():
        shutil.copy(deviations, workdir / deviations.name)
    return profile


@pytest.mark.robustness
@pytest.mark.timeout(600)
def test_later_logins_end_through_the_breaker_quoting_the_first_failure(tmp_path: Path) -> None:
    profile = renamed_button_profile(tmp_path / "profile")
    run = run_suite([f"--profile={profile}", "--csc-api", "v2", "-m", SCENARIOS,
                     "-n", str(WORKERS)], tmp_path / "reports", timeout_s=500)
    summary = json.loads((run.reports_dir / "summary.json").read_text(encoding="utf-8"))
    items = summary["scenarios"]
    assert len(items) >= COUNT, run.output[-3000:]
    assert not [n for n, i in items.items() if i["outcome"] == "passed"], items
    messages = [i["message"] for i in items.values()]
    waited = [m for m in messages if STEP in m and BREAKER not in m]
    broken = [m for m in messages if BREAKER in m]
    assert len(waited) + len(broken) == len(items), messages
    # Only the failures before the circuit opened waited for the page (one per worker at most
    # beyond the threshold); every other login ended at the broken step.
    assert THRESHOLD <= len(waited) <= THRESHOLD + WORKERS - 1, waited
    for message in waited:  # a first failure already names what the page offered
        assert 'had: textbox "One-time code", button "Verify"' in message, message
    quoted = {m.split("first failure: ", 1)[1].split("\n")[0] for m in broken}
    assert len(quoted) == 1, f"all should quote the same first failure: {quoted}"
    first = quoted.pop()
    assert first.startswith(STEP) and 'button "Verify"' in first, first
    assert any(first in m for m in waited), "the quoted failure is one of the logins that waited"
    shot = re.search(r"screenshot: (\S+login-\d+-failure\.png)", first)
    assert shot is not None and Path(shot.group(1)).is_file(), first
