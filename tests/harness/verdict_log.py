"""A pytest plugin for a suite subprocess: write every test's verdict to ``CSC_VERDICT_LOG``.

The verdict is the category pytest's terminal counts the test under (``passed``, ``failed``,
``error``, ``skipped``, ...), asked of the same ``pytest_report_teststatus`` hooks the terminal
uses, so a scenario reported as an error by ``cscsuite.verdicts`` reads ``error`` here.
Loaded with ``-p harness.verdict_log`` (``tests/`` on PYTHONPATH); only the controller writes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

_RANK = {"passed": 0, "skipped": 1, "xfailed": 1, "xpassed": 2, "failed": 3, "error": 4}
_verdicts: dict[str, dict[str, Any]] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    config = _CONFIG[0]
    category, _, _ = config.hook.pytest_report_teststatus(report=report, config=config)
    if not category:
        return
    if report.when != "call" and report.failed:
        category = "error"
    seen = _verdicts.get(report.nodeid)
    if seen is None or _RANK.get(category, 0) > _RANK.get(seen["verdict"], 0):
        ids = sorted(k for k in report.keywords if k.startswith("id_"))
        _verdicts[report.nodeid] = {"verdict": category, "ids": ids,
                                    "message": report.longreprtext[-3000:]}


_CONFIG: list[pytest.Config] = []


def pytest_configure(config: pytest.Config) -> None:
    _CONFIG.append(config)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return
    path = Path(os.environ["CSC_VERDICT_LOG"])
    path.write_text(json.dumps(_verdicts, indent=1), encoding="utf-8")
