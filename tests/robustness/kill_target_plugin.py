"""A pytest plugin for a suite subprocess: SIGKILL the target after N finished tests.

Loaded with ``-p robustness.kill_target_plugin`` (``tests/`` on PYTHONPATH). ``CSC_KILL_PID``
names the process, ``CSC_KILL_AFTER`` the count; the node ids that finished before the kill are
written to ``CSC_KILL_LOG`` so the parent knows which tests ran against a live target.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

_finished: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "teardown":
        return
    _finished.append(report.nodeid)
    if len(_finished) == int(os.environ["CSC_KILL_AFTER"]):
        Path(os.environ["CSC_KILL_LOG"]).write_text("\n".join(_finished) + "\n", encoding="utf-8")
        os.kill(int(os.environ["CSC_KILL_PID"]), signal.SIGKILL)
