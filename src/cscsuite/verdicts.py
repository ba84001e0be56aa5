"""Pytest plugin: a scenario whose precondition the suite could not establish is an *error*.

A ``HarnessError`` raised while a scenario runs says nothing about the service, so it must count
neither as a pass nor as a conformance failure. The report carries the user property
``csc_verdict=error`` (the reports map it to their error status) and the terminal counts the
test among the errors; the exit status stays non-zero. A deviation's strict xfail does not hide
it either: an expected failure of the service is not an expected failure of the suite.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from cscsuite.outcomes import HarnessError

VERDICT = ("csc_verdict", "error")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    harness = call.when == "call" and call.excinfo is not None \
        and call.excinfo.errisinstance(HarnessError)
    if harness and call.excinfo is not None:
        # The message says what could not be established and where the evidence is; the frames
        # of the browser driver below it say nothing more and cost seconds per scenario to
        # format (a broken login recipe errs every login scenario of the run).
        call.excinfo.traceback = call.excinfo.traceback[-1:]
    report: pytest.TestReport = yield
    if harness:
        if hasattr(report, "wasxfail"):  # a deviation's xfail never covers the suite's failure
            del report.wasxfail
        report.outcome = "failed"
        report.user_properties = [*report.user_properties, VERDICT]
    return report


def is_harness_error(report: pytest.TestReport | pytest.CollectReport) -> bool:
    """True for the call report of a scenario that ended on a ``HarnessError`` (also after the
    report travelled from an xdist worker, which turns tuples into lists)."""
    props = getattr(report, "user_properties", ())
    return (getattr(report, "when", None) == "call" and report.failed
            and any(tuple(p) == VERDICT for p in props))


def pytest_report_teststatus(report: pytest.TestReport | pytest.CollectReport,
                             config: pytest.Config) -> tuple[str, str, str] | None:
    if is_harness_error(report):
        return "error", "E", "ERROR"
    return None
