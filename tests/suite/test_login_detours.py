"""Logins that leave the recipe's path on purpose (login_006, login_007): the derived recipe that
goes past the page asking for a value, and the page that followed it in a real login."""

from __future__ import annotations

from cscsuite.browser import LoginResult
from cscsuite.driver_login import going_past, page_after
from cscsuite.profile_types import LoginStep

RECIPE = (
    LoginStep(action="wait_url", pattern="/login/password"),
    LoginStep(action="fill", label="Password", value="identity.password"),
    LoginStep(action="click", role="button", name="Sign in"),
    LoginStep(action="wait_url", pattern="/login/otp"),
    LoginStep(action="fill", label="One-time code", value="otp"),
    LoginStep(action="click", role="button", name="Verify"),
    LoginStep(action="wait_url", pattern="/login/consent"),
    LoginStep(action="click", role="button", name="Approve", deny_name="Deny"),
)
AS = "https://as.example/realms/x/login"


def result(*pages: str) -> LoginResult:
    return LoginResult(None, None, None, None, None, None, tuple(pages))


def test_going_past_the_code_page_skips_its_steps_and_resumes_at_the_next_wait() -> None:
    derived = going_past(RECIPE, "otp", f"{AS}/consent")
    assert [s.action for s in derived] == ["wait_url", "fill", "click", "wait_url", "goto",
                                           "wait_url", "click"]
    assert derived[4].pattern == f"{AS}/consent"
    assert all(s.value != "otp" for s in derived)
    assert derived[-1].name == "Approve"


def test_going_past_the_last_page_ends_with_the_jump() -> None:
    derived = going_past(RECIPE[:6], "otp", f"{AS}/done")
    assert derived[-1] == LoginStep(action="goto", pattern=f"{AS}/done")


def test_going_past_resumes_at_a_step_bound_to_another_page() -> None:
    recipe = (*RECIPE[:6], LoginStep(action="click", role="button", name="Approve",
                                     if_url="/login/consent"))
    assert going_past(recipe, "otp", f"{AS}/consent")[-2:] == (
        LoginStep(action="goto", pattern=f"{AS}/consent"), recipe[-1])


def test_the_page_after_is_the_next_distinct_page_shown() -> None:
    pages = (f"{AS}/password", f"{AS}/otp", f"{AS}/otp", f"{AS}/consent")
    assert page_after(result(*pages), f"{AS}/otp") == f"{AS}/consent"
    assert page_after(result(f"{AS}/password", f"{AS}/otp"), f"{AS}/otp") is None
    assert page_after(result(f"{AS}/password"), f"{AS}/otp") is None
