"""Start the sandbox as a real subprocess (``python -m cscsandbox``) and wait for readiness."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

READY_TIMEOUT_S = 30.0


@dataclass
class LiveSandbox:
    base_url: str
    process: subprocess.Popen[str]
    ready_line: str

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=timeout)


@contextmanager
def start_sandbox(tmp_path: Path, *args: str) -> Iterator[LiveSandbox]:
    """Run ``python -m cscsandbox --port 0 --ready-file ... *args`` until the block ends."""
    ready_file = tmp_path / f"ready-{time.monotonic_ns()}.txt"
    command = [sys.executable, "-m", "cscsandbox", "--port", "0", "--ready-file", str(ready_file)]
    process = subprocess.Popen(
        [*command, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = _wait_ready(process, ready_file)
        yield LiveSandbox(ready_file.read_text().strip(), process, line)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


def _wait_ready(process: subprocess.Popen[str], ready_file: Path) -> str:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"sandbox exited with {process.returncode}: {err[-2000:]}")
        if ready_file.exists():
            assert process.stdout is not None
            return process.stdout.readline().strip()
        time.sleep(0.05)
    raise TimeoutError("sandbox did not become ready")
