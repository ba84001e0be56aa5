"""A local Playwright browser server (``python -m playwright launch-server``) on loopback.

It stands in for a browser grid: the suite connects to its ``ws://`` endpoint with
``--browser-ws-endpoint`` instead of launching a browser itself. The server runs with
``DEBUG=pw:server`` so a test can see from its log that clients really connected.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from startup import read_stdout_line

from cscsuite.browser import CHROMIUM_ARGS, SYSTEM_CHROMIUM

START_TIMEOUT_S = 60.0


@dataclass
class BrowserServer:
    ws_endpoint: str
    log_path: Path

    def connections(self) -> int:
        """How many client connections the server has served so far."""
        return self.log_path.read_text(errors="replace").count("serving connection")


def launch_options() -> dict[str, object]:
    """Debian's chromium when present, else the Playwright-managed one."""
    options: dict[str, object] = {"headless": True, "host": "127.0.0.1", "port": 0,
                                  "wsPath": "/cscsuite-perf", "args": list(CHROMIUM_ARGS)}
    if os.path.isfile(SYSTEM_CHROMIUM):
        options["executablePath"] = SYSTEM_CHROMIUM
    return options


@contextmanager
def browser_server_running(workdir: Path) -> Iterator[BrowserServer]:
    config = workdir / "launch-server.json"
    config.write_text(json.dumps(launch_options()), encoding="utf-8")
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "playwright", "launch-server", "--browser", "chromium",
             "--config", str(config)],
            stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
            env={**os.environ, "DEBUG": "pw:server"},
            start_new_session=True)  # the Node server and its browser share the group
        try:
            endpoint = read_stdout_line(proc, START_TIMEOUT_S, _ws_line)
            if endpoint is None:
                pytest.skip(f"no Playwright browser server could start: "
                            f"{log_path.read_text(errors='replace')[-300:]}")
            yield BrowserServer(endpoint, log_path)
        finally:
            _stop_group(proc)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the wrapper, its Node server and the browser: signalling only the Python wrapper
    would leave the Node child (and Chromium) running."""
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def _ws_line(line: str) -> str | None:
    return line.strip() if line.startswith("ws://") else None
