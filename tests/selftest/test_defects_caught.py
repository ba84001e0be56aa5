"""For every defect of the reference service: the conformance suite, run against the sandbox with
that defect on, turns exactly the expected scenarios red and keeps the rest of its subset green.

Each defect is one subprocess suite run (``--sandbox-defect NAME -m <subset>``) with its own
reports directory; pytest-xdist spreads the defects over the cores (``pytest tests/selftest -n 2``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cscsandbox.defects import DEFECTS
from selftest import expectations, outcomes
from selftest.processes import run_suite

TABLE = expectations.load()
SUITE_TIMEOUT_S = 420


@pytest.mark.selftest
@pytest.mark.timeout(SUITE_TIMEOUT_S + 60)
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_defect_is_caught(defect: str, tmp_path: Path) -> None:
    entry = TABLE.get(defect) or expectations.Expectation(defect, DEFECTS[defect][0], ())
    args = ["-m", entry.select, f"--sandbox-defect={defect}", "-n", "0", "-q", *entry.args]
    run = run_suite(args, tmp_path / "reports", timeout_s=SUITE_TIMEOUT_S)
    verdict = outcomes.judge(entry, outcomes.read_summary(run.reports_dir), run.elapsed_s)
    outcomes.save(verdict)
    context = f"{defect} ({DEFECTS[defect][1]}), -m {entry.select!r}, {verdict.tests} tests"
    assert verdict.tests, (f"{context}: no test ran (exit status {run.returncode})\n"
                           + run.output[-2000:])
    assert verdict.red, f"{context}: no scenario failed, the defect went unnoticed"
    assert verdict.expected, f"{context}: no expectation; these turned red: {verdict.red}"
    assert not verdict.missed, f"{context}: expected to fail but did not: {verdict.missed}"
    assert not verdict.unexpected, (f"{context}: failed without being expected:\n"
                                    + "\n".join(verdict.unexpected))
