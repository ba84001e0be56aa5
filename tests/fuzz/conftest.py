"""Fixtures for fuzzing the reference service: a live sandbox with its own database and a token
minter. Run the full 10,000+ requests with ``pytest tests/fuzz -m fuzz --fuzz-full -n 2``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fuzz.budget import FULL_BUDGET, SAMPLE_BUDGET
from fuzz.minter import TokenMinter
from fuzz.tally import clear_tallies, summarize_tallies
from selftest.processes import LiveSandbox, live_sandbox


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-full", action="store_true", default=False,
        help=f"fuzz the sandbox with {FULL_BUDGET} requests instead of {SAMPLE_BUDGET} "
        "(also CSC_FUZZ_FULL=1; CSC_FUZZ_REQUESTS=N sets any budget)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: generated-request fuzzing of the reference service")


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller (or a run without xdist)
        clear_tallies()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if hasattr(terminalreporter.config, "workerinput"):
        return
    totals = summarize_tallies()
    if totals["tests"]:
        terminalreporter.write_line(
            f"fuzz totals: {totals['requests']} requests, {totals['server_errors']} 5xx, "
            f"{totals['problems']} contract problems over {totals['tests']} tests"
        )


@pytest.fixture(scope="session")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSandbox]:
    """One sandbox per worker process, automation endpoints off (as a deployed service)."""
    workdir = tmp_path_factory.mktemp("fuzz-sandbox")
    with live_sandbox(workdir, extra_args=["--no-test-endpoints"]) as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def minter(fuzz_target: LiveSandbox) -> TokenMinter:
    return TokenMinter(fuzz_target.db_path)
