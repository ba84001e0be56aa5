"""An internal server error anywhere in a scenario fails it; 501 does not; 502-504 are the run's
error; a scenario that already failed keeps its own failure."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cscsuite import server_errors
from cscsuite.evidence import Evidence
from cscsuite.outcomes import HarnessError


def _request(tmp_path, *statuses: int) -> SimpleNamespace:
    evidence = Evidence("t::x", reports_dir=tmp_path)
    for status in statuses:
        evidence.record_exchange(method="POST", url="http://t/csc/v2/x", request_headers={},
                                 request_body={}, status=status)
    return SimpleNamespace(fixturenames=["evidence"],
                           getfixturevalue=lambda name: evidence)


def _after(request) -> None:
    server_errors.pytest_bdd_after_scenario(request=request, feature=None, scenario=None)


def test_a_500_among_good_answers_fails_the_scenario(tmp_path) -> None:
    with pytest.raises(server_errors.InternalServerError, match="HTTP 500 to POST"):
        _after(_request(tmp_path, 200, 400, 500))


def test_not_implemented_and_refusals_pass(tmp_path) -> None:
    _after(_request(tmp_path, 200, 400, 401, 404, 501))


def test_an_unavailable_target_is_an_error_of_the_run(tmp_path) -> None:
    with pytest.raises(HarnessError, match="unavailable"):
        _after(_request(tmp_path, 200, 503))


def test_a_scenario_that_already_failed_keeps_its_own_failure(tmp_path) -> None:
    try:
        raise AssertionError("the step's own failure")
    except AssertionError:
        _after(_request(tmp_path, 500))  # must not replace the exception being handled
