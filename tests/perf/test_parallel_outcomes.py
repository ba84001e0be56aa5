"""``pytest -n 2`` gives every test the same outcome as a serial run (outcomes only, no timing).

A subset of the conformance features keeps this affordable: the login scenarios (browser, one
browser per worker) and discovery (plain HTTP), both API versions.
"""

from __future__ import annotations

import suite_runs

SUBSET = ["-k", "login or discovery"]
RUN_TIMEOUT_S = 900.0


def test_two_workers_give_the_same_outcomes_as_a_serial_run() -> None:
    serial = suite_runs.run_suite(SUBSET, RUN_TIMEOUT_S)
    parallel = suite_runs.run_suite(["-n", "2", *SUBSET], RUN_TIMEOUT_S)
    assert serial.outcomes, f"the serial run reported no tests: {serial.tail}"
    assert suite_runs.outcome_differences(serial, parallel) == []
    assert serial.returncode == parallel.returncode
