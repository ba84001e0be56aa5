"""Fixtures for the performance-related (never timed) tests: a local Playwright browser server.

The conformance runs themselves are driven through ``benchmarks/suite_runs.py`` (the same code the
benchmark uses), so a run here is exactly the run the benchmark times.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from perf.browser_server import BrowserServer, browser_server_running  # noqa: E402


@pytest.fixture(scope="module")
def browser_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserServer]:
    """``playwright launch-server`` on 127.0.0.1 (skips when no browser can be found)."""
    with browser_server_running(tmp_path_factory.mktemp("pw-server")) as server:
        yield server
