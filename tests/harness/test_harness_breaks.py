"""A broken harness turns the refusal scenarios that depend on it into errors, never passes.

Each test runs the conformance suite as a subprocess (as a user would) with one part of the suite
broken, and reads every scenario's verdict as the terminal counts it (``harness.verdict_log``):

* a login recipe that no longer matches the pages (a renamed one-time-code field, a renamed
  consent button), against a sandbox with a defect that makes it show the login instead of
  refusing, so only the recipe stands between the scenario and a false pass;
* a dropped SAD and a failed credential code exchange (``harness.break_exchange``, CSC v1);
* a browser killed as every login starts (``harness.kill_browser``).

Scenarios that do not depend on the broken part are the positive controls: they must still
pass. Every assertion names the scenarios and what the run printed.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from cscsandbox.config import default_text
from selftest.derived_profile import sandbox_profile_with_config
from selftest.processes import run_suite

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ESTABLISH = "the suite could not establish"
SAD_SCENARIOS = ("id_signhash_003 or id_signhash_004 or id_signhash_005 or id_signhash_006 "
                 "or id_signhash_009 or id_signhash_013 or id_revoke_006 or id_document_003")
SAD_CONTROLS = "id_signhash_010 or id_signhash_011"


def _suite(tmp_path: Path, args: list[str], env: dict[str, str] | None = None,
           plugins: tuple[str, ...] = (), workers: str = "2") -> dict[str, dict[str, Any]]:
    """Run the suite with ``args`` and the verdict log; the verdicts by node id."""
    log = tmp_path / "verdicts.json"
    extra = [arg for name in ("harness.verdict_log", *plugins) for arg in ("-p", name)]
    run = run_suite([*args, "-n", workers, *extra], tmp_path / "reports", timeout_s=420,
                    env={"PYTHONPATH": _pythonpath(), "CSC_VERDICT_LOG": str(log),
                         **(env or {})})
    assert log.exists(), f"the suite wrote no verdicts (exit {run.returncode}):\n" \
                         + run.output[-3000:]
    verdicts: dict[str, dict[str, Any]] = json.loads(log.read_text(encoding="utf-8"))
    assert verdicts, f"no scenario ran:\n{run.output[-3000:]}"
    assert run.returncode != 0 or all(v["verdict"] != "error" for v in verdicts.values())
    return verdicts


def _pythonpath() -> str:
    tests = Path(__file__).resolve().parents[1]
    return f"{tests.parent / 'src'}:{tests.parent}:{tests}"


def _is(item: dict[str, Any], nodeid: str, names: tuple[str, ...]) -> bool:
    """The scenario has one of the stable ids, or its node id contains one of the names."""
    return any(n in item["ids"] or n in nodeid for n in names)


def _assert_errors(verdicts: dict[str, dict[str, Any]], reason: str, *controls: str) -> None:
    """Every scenario but the controls ends as an error naming ``reason``; controls pass."""
    dependent = {n: v for n, v in verdicts.items() if not _is(v, n, controls)}
    assert dependent, f"no dependent scenario ran: {sorted(verdicts)}"
    not_errors = {n: v["verdict"] for n, v in dependent.items()
                  if v["verdict"] not in ("error", "skipped")}
    assert not not_errors, f"a broken harness must make these errors: {not_errors}"
    assert any(v["verdict"] == "error" for v in dependent.values())
    for nodeid, item in dependent.items():
        if item["verdict"] == "error":
            assert ESTABLISH in item["message"] and reason in item["message"], \
                f"{nodeid}: {item['message'][-800:]}"
    control_verdicts = {n: v["verdict"] for n, v in verdicts.items() if _is(v, n, controls)}
    assert all(v == "passed" for v in control_verdicts.values()), control_verdicts


def _profile(tmp_path: Path, replacements: dict[str, str]) -> Path:
    """A derived sandbox profile with text replaced (each replacement must apply)."""
    profile = sandbox_profile_with_config(tmp_path / "profile", default_text())
    text = profile.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, f"{old!r} is not in the sandbox profile"
        text = text.replace(old, new)
    profile.write_text(text, encoding="utf-8")
    return profile


FAST_LOGIN = {"login_s = 30.0": "login_s = 6.0"}
#: The sandbox then shows the login for an account token signed with the wrong key instead of
#: refusing it, so only the login recipe stands between that scenario and a false pass.
SHOWS_LOGIN = "--sandbox-defect=account-token-signature-unchecked"
#: account_token_002 examples the service refuses whatever the recipe (positive controls).
STILL_REFUSED = ("missing although", "issued long ago", "issued for another client",
                 "without a token identifier", "with an empty token identifier",
                 "for an account that does not exist")


@pytest.mark.harness
@pytest.mark.timeout(480)
@pytest.mark.parametrize(("broken", "control"), [
    ({'label = "One-time code"': 'label = "OTP"'}, "id_login_002"),
    ({'name = "Approve"': 'name = "Accept"'}, "id_login_004"),
], ids=["one-time-code-field", "consent-button"])
def test_a_wrong_login_recipe_errors_the_refusal_it_hides(tmp_path: Path, broken: dict[str, str],
                                                          control: str) -> None:
    """The login the recipe cannot finish must not read as the account token's refusal. The
    control depends on the recipe only up to a step the break leaves intact (the password page;
    the deny button) and still passes."""
    profile = _profile(tmp_path, {**FAST_LOGIN, **broken})
    verdicts = _suite(tmp_path, [f"--profile={profile}", "--csc-api", "v2", SHOWS_LOGIN,
                                 "-m", f"id_account_token_002 or {control}"])
    _assert_errors(verdicts, "browser login", control, *STILL_REFUSED)


@pytest.mark.harness
@pytest.mark.timeout(480)
@pytest.mark.parametrize(("mode", "reason"), [
    ("drop-sad", "HTTP 200 without an access token"),
    ("fail-exchange", "the authorization code exchange failed: HTTP 400 invalid_grant"),
])
def test_a_broken_credential_exchange_errors_the_signing_refusals(tmp_path: Path, mode: str,
                                                                  reason: str) -> None:
    verdicts = _suite(tmp_path, ["--csc-api", "v1", "-m", f"{SAD_SCENARIOS} or {SAD_CONTROLS}"],
                      env={"CSC_HARNESS_BREAK": mode}, plugins=("harness.break_exchange",))
    _assert_errors(verdicts, reason, "id_signhash_010", "id_signhash_011")


@pytest.mark.harness
@pytest.mark.timeout(480)
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs the Debian chromium package")
def test_a_killed_browser_errors_the_refusals_it_was_to_show(tmp_path: Path) -> None:
    """Every login after the first (par_007's service token, cached) loses its browser. An expired
    request reference the sandbox wrongly accepts, a reference of another client and defective
    account tokens: none of them may pass on a login that never showed a page."""
    profile = _profile(tmp_path, {})  # the profile's short PAR lifetime lets par_008 run
    verdicts = _suite(tmp_path, [f"--profile={profile}", f"--browser-path={_wrapper(tmp_path)}",
                                 "--csc-api", "v2", "--sandbox-defect=par-expiry-ignored",
                                 "-m", "id_par_007 or id_par_008 or id_par_009 "
                                       "or id_account_token_002"],
                      env={"CSC_BROWSER_PID_FILE": str(tmp_path / "browser.pid"),
                           "CSC_KILL_SPARE": "1", "CSC_RUN_FIRST": "id_par_007"},
                      plugins=("harness.kill_browser",), workers="0")
    _assert_errors(verdicts, "browser login")


def _wrapper(tmp_path: Path) -> Path:
    """A browser executable that records the PID of every Chromium it starts."""
    script = tmp_path / "recorded-chromium"
    script.write_text(f'#!/bin/sh\necho $$ > "{tmp_path / "browser.pid"}"\n'
                      f'exec "{CHROMIUM}" "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script
