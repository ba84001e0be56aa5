"""The default conformance run (``pytest -n 2``, the sandbox profile, no selection) runs every
scenario that catches a defect: none is skipped for a missing capability or a lifetime too long
to wait for. With ``test_defects_caught`` (each defect, the default profile, no overrides) this
shows every defect switch turns the default run red, not only a specially configured self-test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from selftest import expectations, outcomes
from selftest.processes import run_suite

TABLE = expectations.load()
SUITE_TIMEOUT_S = 600


def catching_scenarios() -> set[str]:
    return {c.stable_id for entry in TABLE.values() for c in entry.catch}


@pytest.mark.selftest
@pytest.mark.timeout(SUITE_TIMEOUT_S + 60)
def test_the_default_run_runs_every_catching_scenario(tmp_path: Path) -> None:
    run = run_suite(["-n", "2", "-q"], tmp_path / "reports", timeout_s=SUITE_TIMEOUT_S)
    summary = outcomes.read_summary(run.reports_dir)
    ran: dict[str, set[str]] = {}
    for item in summary.get("scenarios", {}).values():
        ran.setdefault(item.get("stable_id") or "", set()).add(str(item.get("outcome")))
    assert run.returncode == 0, f"the default run is not green:\n{run.output[-3000:]}"
    not_run = sorted(sid for sid in catching_scenarios() if "passed" not in ran.get(sid, set()))
    assert not not_run, (f"the default run does not run (skips or deselects) {not_run}: "
                         "their defects would go unnoticed there")
