"""The driver's verdicts without a service: how a login is classified, how refusal checks judge
outcomes, which set-up preconditions raise ``HarnessError``, and how pytest reports one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cscsuite.adapters import V1Adapter
from cscsuite.adapters.base import OMIT, ApiResponse, CredentialInfo, SignRequest
from cscsuite.adapters.common import MissingActivationToken
from cscsuite.browser import LoginResult
from cscsuite.checks.base import ConformanceError
from cscsuite.checks.refusal import (
    check_authorization_refused,
    check_login_refused,
    check_refused,
)
from cscsuite.driver import response_outcome
from cscsuite.driver_login import AUTHORIZATION_REQUEST, login_outcome, page_for_value
from cscsuite.driver_signing import SigningDriver
from cscsuite.driver_tokens import exchange_failure
from cscsuite.outcomes import Granted, HarnessError, HarnessFailure, Refused
from cscsuite.profile_types import LoginStep
from cscsuite.token_cache import TokenCache
from cscsuite.world import Authorization, Secret, World

AS = "https://as.example"
AUTHORIZE = f"{AS}/oauth2/authorize"
RECIPE = [LoginStep("wait_url", pattern="/login/password"),
          LoginStep("fill", label="Username", value="identity.username"),
          LoginStep("fill", label="Password", value="identity.password"),
          LoginStep("click", role="button", name="Sign in"),
          LoginStep("wait_url", pattern="/login/otp"),
          LoginStep("fill", label="One-time code", value="otp")]


def result(*pages: str, code: str | None = None, error: str | None = None,
           page_error: str | None = None) -> LoginResult:
    return LoginResult(None, Secret(code) if code else None, None, error, None, None,
                       tuple(pages), page_error)


def classify(res: LoginResult, expected_at: str = AUTHORIZATION_REQUEST) -> Any:
    return login_outcome(res, expected_at=expected_at, authorize_endpoint=AUTHORIZE,
                         recipe=RECIPE)


def test_a_code_is_granted_and_an_error_redirect_is_refused_wherever_it_comes() -> None:
    assert isinstance(classify(result(f"{AS}/login/password", code="c")), Granted)
    refused = classify(result(f"{AS}/login/consent", error="access_denied"))
    assert isinstance(refused, Refused) and refused.error == "access_denied"


def test_an_error_page_at_the_authorization_endpoint_is_the_services_refusal() -> None:
    outcome = classify(result(AUTHORIZE, page_error=f"HTTP 400 at {AUTHORIZE}"))
    assert isinstance(outcome, Refused) and outcome.status == 400


def test_an_alert_after_the_login_started_is_no_refusal_of_the_authorization_request() -> None:
    page = f"{AS}/login/password"
    outcome = classify(result(page, page_error="the page shows an error: Invalid password"))
    assert isinstance(outcome, HarnessFailure)
    assert "/login/password" in outcome.reason and "was not refused" in outcome.reason


def test_a_login_refusal_counts_only_on_the_page_that_asks_for_the_wrong_value() -> None:
    alert = "the page shows an error: Invalid"
    on_password = result(f"{AS}/login/password", page_error=alert)
    on_otp = result(f"{AS}/login/password", f"{AS}/login/otp", page_error=alert)
    assert isinstance(classify(on_otp, "otp"), Refused)
    assert isinstance(classify(on_password, "identity.password"), Refused)
    misplaced = classify(on_password, "otp")  # a wrong password hides the code under test
    assert isinstance(misplaced, HarnessFailure) and "/login/otp" in misplaced.reason


def test_the_page_of_a_value_is_the_recipes_nearest_wait_before_it() -> None:
    assert page_for_value(RECIPE, "otp") == "/login/otp"
    assert page_for_value(RECIPE, "identity.username") == "/login/password"
    assert page_for_value(RECIPE, "identity.pin") is None


def answer(status: int, body: dict[str, Any]) -> ApiResponse:
    return ApiResponse(status, {}, body, "", "https://as.example/token")


def test_a_code_exchange_without_tokens_is_a_failed_set_up() -> None:
    assert exchange_failure(answer(200, {"access_token": "t"})) is None
    assert "HTTP 400 invalid_grant" in str(exchange_failure(answer(400, {"error":
                                                                        "invalid_grant"})))
    assert "without an access token" in str(exchange_failure(answer(200, {"token_type": "SAD"})))


def test_refusal_checks_accept_only_the_documented_refusal() -> None:
    refused = response_outcome(answer(400, {"error": "invalid_request"}), "signHash", None)
    check_refused(refused, 400, "invalid_request")
    with pytest.raises(ConformanceError):
        check_refused(refused, 400, "invalid_grant")
    with pytest.raises(ConformanceError):
        check_refused(response_outcome(answer(200, {}), "signHash", None), 400, "invalid_request")
    with pytest.raises(ConformanceError):
        check_authorization_refused(Granted("authorization response", "code"))
    check_authorization_refused(Refused("authorization server page", 400, None))
    with pytest.raises(ConformanceError, match="5xx"):  # a crash is not a refusal
        check_authorization_refused(Refused("authorization server page", 500, None))


@pytest.mark.parametrize("check", [
    lambda o: check_refused(o, 400, "invalid_request"),
    check_authorization_refused,
    check_login_refused,
])
def test_a_harness_failure_never_satisfies_a_refusal_check(check: Any) -> None:
    with pytest.raises(HarnessError, match="could not establish: the login timed out"):
        check(HarnessFailure("the login timed out"))
    with pytest.raises(HarnessError, match="never ran"):
        check(None)


PROBE = """
import pytest
from cscsuite.outcomes import HarnessError

def test_set_up_broke():
    raise HarnessError("the authorization code exchange failed: HTTP 400 invalid_grant")

@pytest.mark.xfail(strict=True, reason="a known deviation of the service")
def test_deviation_does_not_hide_it():
    raise HarnessError("the browser crashed")

def test_service_deviates():
    assert False, "a conformance failure stays a failure"
"""


def test_a_harness_error_is_reported_as_an_error(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    env.pop("PYTEST_ADDOPTS", None)
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "cscsuite.verdicts", "-p",
                              "no:cscsuite.plugin", "-p", "no:cscsuite.reporting.plugin", "-p",
                          "no:cacheprovider", "-rA", "-q", "test_probe.py"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    out = run.stdout
    assert run.returncode == 1, out
    assert "1 failed, 2 errors" in out, out
    assert "ERROR test_probe.py::test_set_up_broke" in out, out
    assert "HarnessError: the suite could not establish: the authorization code exchange " \
           "failed: HTTP 400 invalid_grant" in out, out
    assert "ERROR test_probe.py::test_deviation_does_not_hide_it" in out, out
    assert "FAILED test_probe.py::test_service_deviates" in out, out


class RecordingHttp:
    """An HTTP client that records the last JSON body and answers 400 (never reached here)."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []

    def post_json(self, url: str, body: Any, **_: Any) -> ApiResponse:
        self.bodies.append(body)
        return answer(400, {"error": "invalid_request"})


def sign_request(**changes: Any) -> SignRequest:
    fields: dict[str, Any] = {"credential_id": "c", "hashes": [b"\x01" * 32],
                              "sign_algorithm": "1.2.840.113549.1.1.11", "sad": None}
    return SignRequest(**{**fields, **changes})


def test_a_missing_sad_never_drops_silently_out_of_sign_hash() -> None:
    http = RecordingHttp()
    api = V1Adapter(http, "https://rssp.example/csc/v1")
    with pytest.raises(MissingActivationToken):
        api.sign_hashes("svc", sign_request())
    assert not http.bodies, "nothing may be sent without the SAD"
    api.sign_hashes("svc", sign_request(overrides={"sad": OMIT}))  # the scenario asks for none
    assert "SAD" not in http.bodies[-1]


class NoEvidence:
    def ref(self, exchange_id: int | None) -> None:
        return None


def driver() -> SigningDriver:
    world = World(api=V1Adapter(RecordingHttp(), "https://rssp.example/csc/v1"),
                  profile=None, evidence=NoEvidence())  # type: ignore[arg-type]
    world.credential = CredentialInfo("c", "enabled", (), 2048, None, "valid", (), {}, "oauth2code",
                                      "1", 1, None)
    world.hashes, world.hash_algorithm = [b"\x01" * 32], "2.16.840.1.101.3.4.2.1"
    return SigningDriver(world, None, None, TokenCache())  # type: ignore[arg-type]


def test_signing_without_an_established_sad_errors_before_any_request() -> None:
    flow = driver()
    flow.world.outcome = Refused("authorization response", 0, "access_denied")
    with pytest.raises(HarnessError, match=r"no activation token to present.*access_denied"):
        flow.sign("SHA-256 with RSA")
    assert not flow.world.signings


def test_signing_again_needs_a_first_signing_that_worked() -> None:
    flow = driver()
    flow.world.signings.append(Refused("signHash", 400, "invalid_request"))
    with pytest.raises(HarnessError, match=r"first signing .* did not work: HTTP 400"):
        flow.sign_again("SHA-256 with RSA")


def test_exchanging_again_needs_a_first_exchange_that_worked() -> None:
    flow = driver()
    flow.world.authorization = Authorization("service", code="c",
                                             token_response=answer(400, {"error": "invalid_grant"}))
    with pytest.raises(HarnessError, match="first exchange of the code did not work: the "
                                           "authorization code exchange failed: HTTP 400"):
        flow.exchange_again()
