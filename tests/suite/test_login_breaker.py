"""The login circuit breaker's state: threshold, per-step keys, sharing through files."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from types import SimpleNamespace

import pytest

from cscsuite.browser_breaker import BREAKER_DIR_KEY, BreakerRun, _XdistBreakerRun
from cscsuite.browser_errors import LoginCircuitOpen, LoginError
from cscsuite.login_breaker import LoginBreaker, StepFailure, recipe_id, step_id, target_of
from cscsuite.outcomes import HarnessError
from cscsuite.profile_types import LoginStep

RECIPE = (LoginStep("wait_url", pattern="/login/otp"),
          LoginStep("click", role="button", name="Confirm code"),
          LoginStep("click", role="button", name="Approve", deny_name="Deny"))
RKEY = recipe_id("password_sms", RECIPE)
CLICK = step_id(2, "click", "Confirm code")


def failure(reason: str = "timed out waiting for click 'Confirm code'", index: int = 2,
            shot: str | None = "reports/evidence/t1/login-1-failure.png") -> StepFailure:
    return StepFailure("password_sms", index, "click", "Confirm code", reason,
                       ('textbox "One-time code"', 'button "Verify"'),
                       "http://127.0.0.1:1/login/otp", shot)


def test_the_circuit_opens_at_the_threshold_and_quotes_the_first_failure(tmp_path: Path):
    breaker = LoginBreaker(tmp_path, threshold=2)
    breaker.record(RKEY, CLICK, failure("first"))
    assert breaker.open_steps(RKEY) == {}
    breaker.record(RKEY, CLICK, failure("second"))
    opened = breaker.open_steps(RKEY)
    assert list(opened) == [CLICK]
    assert opened[CLICK].reason == "first"


def test_failures_of_different_steps_do_not_add_up(tmp_path: Path):
    breaker = LoginBreaker(tmp_path, threshold=2)
    breaker.record(RKEY, CLICK, failure())
    breaker.record(RKEY, step_id(3, "click", "Approve"), failure(index=3))
    breaker.record(recipe_id("eid", RECIPE), CLICK, failure())
    assert breaker.open_steps(RKEY) == {}
    assert breaker.open_steps(recipe_id("eid", RECIPE)) == {}


def test_step_keys_tell_approve_from_deny_and_an_edited_recipe_from_the_old_one():
    consent = RECIPE[2]
    assert target_of(consent) == "Approve" and target_of(consent, deny=True) == "Deny"
    assert step_id(3, "click", "Approve") != step_id(3, "click", "Deny")
    assert step_id(2, "click", "Verify") != step_id(3, "click", "Verify")
    edited = (RECIPE[0], LoginStep("click", role="button", name="Verify"), RECIPE[2])
    assert recipe_id("password_sms", edited) != RKEY


def test_threshold_zero_turns_the_breaker_off(tmp_path: Path):
    breaker = LoginBreaker(tmp_path, threshold=0)
    for _ in range(3):
        breaker.record(RKEY, CLICK, failure())
    assert not breaker.enabled and breaker.open_steps(RKEY) == {}
    assert not any(tmp_path.iterdir())


def test_a_threshold_of_one_opens_on_the_first_failure(tmp_path: Path):
    breaker = LoginBreaker(tmp_path, threshold=1)
    breaker.record(RKEY, CLICK, failure())
    assert CLICK in breaker.open_steps(RKEY)


def test_half_written_and_unreadable_records_do_not_count(tmp_path: Path):
    breaker = LoginBreaker(tmp_path, threshold=2)
    breaker.record(RKEY, CLICK, failure())
    folder = tmp_path / RKEY / CLICK
    (folder / ".abc.tmp").write_text("{")  # a write in progress is not a record
    (folder / "00000000000000000001-1.json").write_text("not json")
    assert len(breaker.failures(RKEY, CLICK)) == 1
    assert breaker.open_steps(RKEY) == {}


def _record_in_child(directory: str, reason: str) -> None:
    LoginBreaker(directory, threshold=2).record(RKEY, CLICK, failure(reason))


def test_processes_share_the_state_through_the_directory(tmp_path: Path):
    ctx = multiprocessing.get_context("spawn")  # as separate as two xdist workers
    for reason in ("worker one", "worker two"):
        child = ctx.Process(target=_record_in_child, args=(str(tmp_path), reason))
        child.start()
        child.join(60)
        assert child.exitcode == 0
    opened = LoginBreaker(tmp_path, threshold=2).open_steps(RKEY)
    assert opened[CLICK].reason == "worker one"
    assert [f.reason for f in LoginBreaker(tmp_path).failures(RKEY, CLICK)] == [
        "worker one", "worker two"]


def test_the_first_failure_says_step_label_page_labels_and_screenshot():
    text = failure().describe()
    assert "login step 2 (click 'Confirm code') of recipe 'password_sms'" in text
    assert 'had: textbox "One-time code", button "Verify"' in text
    assert "screenshot: reports/evidence/t1/login-1-failure.png" in text


def test_the_open_circuit_error_is_a_login_error_and_a_harness_error():
    exc = LoginCircuitOpen(failure(), 2)
    assert isinstance(exc, LoginError) and isinstance(exc, HarnessError)
    assert str(exc).startswith("the suite could not establish: login ended by the circuit "
                               "breaker: login step 2 of recipe 'password_sms' failed 2 times")
    assert failure().describe() in str(exc)
    assert exc.evidence == "reports/evidence/t1/login-1-failure.png"
    with pytest.raises(LoginError):
        raise exc


def test_each_run_has_its_own_directory_lent_to_its_workers_and_removed_at_the_end():
    controller = _XdistBreakerRun(SimpleNamespace())
    other_run = BreakerRun(SimpleNamespace())
    assert controller.directory.is_dir() and controller.directory != other_run.directory
    node = SimpleNamespace(workerinput={})
    controller.pytest_configure_node(node)
    worker = BreakerRun(SimpleNamespace(workerinput=node.workerinput))
    assert worker.directory == controller.directory
    LoginBreaker(worker.directory).record(RKEY, CLICK, failure())
    worker.pytest_unconfigure(SimpleNamespace())  # a worker never removes the run's state
    assert controller.directory.is_dir()
    controller.pytest_unconfigure(SimpleNamespace())
    other_run.pytest_unconfigure(SimpleNamespace())
    assert not controller.directory.exists() and not other_run.directory.exists()
    assert BREAKER_DIR_KEY in node.workerinput
