"""Two processes logging in as the same signer at once (what ``pytest -n 2`` does) all succeed.

Runs ``benchmarks/concurrent_logins.py`` (one sandbox, two processes with a browser each): the
regression test for one-time codes bound to their login (a shared per-user outbox slot let a login
read the code sent for the other process's login, "Invalid one-time code").
"""

from __future__ import annotations

import suite_runs

SCRIPT = suite_runs.REPO_ROOT / "benchmarks" / "concurrent_logins.py"


def test_concurrent_logins_of_one_signer_all_succeed() -> None:
    done = suite_runs.run_bounded(
        [suite_runs.PYTEST[0], str(SCRIPT), "--processes", "2", "--logins", "6"], 900)
    assert done.returncode == 0, done.tail(4)
    assert done.output.count("failed=0") == 2, done.tail(4)
