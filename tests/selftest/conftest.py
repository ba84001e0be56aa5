"""Self-test session hooks: the ``selftest`` marker, and the detection rate printed at the end
(also written to ``reports-selftest/detection.json``). Run: ``pytest tests/selftest -n 2``."""

from __future__ import annotations

import time

import pytest

from cscsandbox.defects import DEFECTS
from selftest import outcomes

_started = time.time()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "selftest: runs the conformance suite against a deliberately broken sandbox")


def pytest_sessionstart(session: pytest.Session) -> None:
    global _started
    if not hasattr(session.config, "workerinput"):
        _started = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if hasattr(terminalreporter.config, "workerinput"):
        return
    if not outcomes.session_results(_started):
        return  # no defect run in this session (e.g. only the expectation checks)
    report = outcomes.detection_report(sorted(DEFECTS), _started)
    write = terminalreporter.write_line
    write(f"self-test detection rate: {report['caught']}/{report['total']} "
          f"({report['rate']:.0%}), exact expectations met: {len(report['exact'])}, "
          f"wall time {report['wall_seconds']:.0f}s")
    if report["uncaught"]:
        write("uncaught defects: " + ", ".join(report["uncaught"]))
