"""``--browser-ws-endpoint``: a login scenario runs in a remote Playwright browser server.

A local ``playwright launch-server`` on 127.0.0.1 stands in for a browser grid. The run must pass
and the server must have served the suite's connection; against an endpoint where nothing
listens, the run must fail with a message naming the endpoint (no silent local fallback).
"""

from __future__ import annotations

import socket

import suite_runs

from perf.browser_server import BrowserServer

ONE_LOGIN = ["-k", "id_login_001 and v2"]
RUN_TIMEOUT_S = 600.0


def test_login_scenario_passes_through_a_remote_browser_server(
        browser_server: BrowserServer) -> None:
    before = browser_server.connections()
    run = suite_runs.run_suite(["--browser-ws-endpoint", browser_server.ws_endpoint,
                                *ONE_LOGIN], RUN_TIMEOUT_S)
    assert list(run.outcomes.values()) == ["passed"], run.tail
    assert run.returncode == 0, run.tail
    assert browser_server.connections() > before, "the suite never connected to the server"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_endpoint_fails_the_login_with_its_address() -> None:
    endpoint = f"ws://127.0.0.1:{_closed_port()}/nothing-here"
    run = suite_runs.run_suite(["--browser-ws-endpoint", endpoint, *ONE_LOGIN], RUN_TIMEOUT_S)
    assert run.returncode not in (0, None), run.tail
    assert "passed" not in run.outcomes.values()
    assert endpoint in run.output, run.tail
