"""Start-up costs: how long ``python -m cscsandbox --port 0`` takes to print its ready line.

The clock starts before the interpreter is launched (imports, configuration, PKI load or
generation, database schema and the waitress socket are all included) and stops when the line
``cscsandbox ready <url>`` arrives on stdout. The wait is bounded.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cpu_costs

READY_PREFIX = b"cscsandbox ready "


class StartupError(RuntimeError):
    """The service exited or stayed silent past the deadline."""


@dataclass
class Launched:
    base_url: str
    pid: int
    ready_after_s: float  # wall seconds from launch to the ready line


@contextmanager
def running_sandbox(timeout_s: float = 60.0) -> Iterator[Launched]:
    """``python -m cscsandbox --port 0`` with a fresh database, stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        cmd = [sys.executable, "-m", "cscsandbox", "--host", "127.0.0.1", "--port", "0",
               "--db", str(Path(tmp) / "sandbox.db")]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL)
        try:
            base_url = _wait_for_ready(proc, started + timeout_s)
            yield Launched(base_url, proc.pid, time.perf_counter() - started)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def sandbox_ready_seconds(timeout_s: float = 60.0) -> tuple[float, float]:
    """Wall seconds from launch to the ready line, and the CPU seconds the service used until
    then."""
    with running_sandbox(timeout_s) as launched:
        return launched.ready_after_s, cpu_costs.process_cpu_s(launched.pid)


def read_stdout_line(proc: subprocess.Popen[bytes], timeout_s: float,
                     pick: Callable[[str], str | None]) -> str | None:
    """The first complete stdout line for which ``pick`` returns a value (that value), or
    ``None`` when the process exits, closes stdout or stays silent for ``timeout_s``."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout_s
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
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                found = pick(line.decode("utf-8", "replace"))
                if found is not None:
                    return found
    return None


def _ready_url(line: str) -> str | None:
    prefix = READY_PREFIX.decode()
    return line.split(prefix, 1)[1].strip() if prefix in line else None


def _wait_for_ready(proc: subprocess.Popen[bytes], deadline: float) -> str:
    """The base URL from the ready line (``deadline`` on the perf_counter clock)."""
    found = read_stdout_line(proc, deadline - time.perf_counter(), _ready_url)
    if found is not None:
        return found
    raise StartupError(f"cscsandbox printed no ready line (exit code {proc.poll()})")
