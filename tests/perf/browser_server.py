"""A local Playwright browser server (``python -m playwright launch-server``) on loopback.

It stands in for a browser grid: the suite connects to its ``ws://`` endpoint with
``--browser-ws-endpoint`` instead of launching a browser itself. The server runs with
``DEBUG=pw:server`` so a test can see from its log that clients really connected.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

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
            endpoint = _read_endpoint(proc, time.monotonic() + START_TIMEOUT_S)
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


def _read_endpoint(proc: subprocess.Popen[bytes], deadline: float) -> str | None:
    """The first ``ws://`` line on stdout, or ``None`` when the server exits or stays silent."""
    assert proc.stdout is not None
    buffer = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if not sel.select(timeout=min(left, 0.5)):
                if proc.poll() is not None:
                    return None
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                return None
            buffer += chunk
            for line in buffer.decode("utf-8", "replace").splitlines():
                if line.startswith("ws://"):
                    return line.strip()
    return None
