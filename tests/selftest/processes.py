"""Subprocesses the project's own tests drive: a live sandbox, and the conformance suite itself.

The self-tests, fuzz tests and robustness tests all treat the service and the suite as black
boxes reached over a process boundary, the way a user runs them, so this module holds the only
code that starts them. Every wait is bounded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


@dataclass
class LiveSandbox:
    """A running ``python -m cscsandbox`` on loopback."""

    base_url: str
    db_path: Path
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """Stop it abruptly (SIGKILL), as a crashing target would."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class SandboxStartError(RuntimeError):
    """The sandbox did not announce readiness in time."""


@contextmanager
def live_sandbox(
    workdir: Path,
    *,
    defects: Sequence[str] = (),
    config: Path | None = None,
    extra_args: Sequence[str] = (),
    timeout_s: float = 90.0,
) -> Iterator[LiveSandbox]:
    """Start a sandbox with its own database under ``workdir``; stop it on exit."""
    workdir.mkdir(parents=True, exist_ok=True)
    ready = workdir / "sandbox.ready"
    ready.unlink(missing_ok=True)
    db_path = workdir / "sandbox.db"
    cmd = [PYTHON, "-m", "cscsandbox", "--host", "127.0.0.1", "--port", "0",
           "--ready-file", str(ready), "--db", str(db_path)]
    if config is not None:
        cmd += ["--config", str(config)]
    for name in defects:
        cmd += ["--defect", name]
    cmd += list(extra_args)
    log = (workdir / "sandbox.log").open("wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        base_url = _wait_ready(proc, ready, timeout_s, workdir / "sandbox.log")
        yield LiveSandbox(base_url, db_path, proc)
    finally:
        _terminate(proc)
        log.close()


def _wait_ready(proc: subprocess.Popen[bytes], ready: Path, timeout_s: float, log: Path) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ready.exists():
            return ready.read_text(encoding="utf-8").strip()
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.exists() else ""
    raise SandboxStartError(f"sandbox not ready after {timeout_s:.0f}s (rc={proc.poll()}):\n{tail}")


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@dataclass(frozen=True)
class SuiteRun:
    """The outcome of one conformance-suite subprocess."""

    returncode: int
    output: str
    elapsed_s: float
    reports_dir: Path


def run_suite(
    args: Sequence[str],
    reports_dir: Path,
    *,
    timeout_s: float = 540.0,
    env: dict[str, str] | None = None,
) -> SuiteRun:
    """Run ``pytest`` at the repository root, as a user would, with its own reports directory.

    ``-p no:cacheprovider`` keeps parallel runs from sharing ``.pytest_cache``; stdout and stderr
    are merged so tests can search everything a user would see.
    """
    reports_dir.mkdir(parents=True, exist_ok=True)
    cmd = [PYTHON, "-m", "pytest", "-p", "no:cacheprovider", f"--reports-dir={reports_dir}",
           *args]
    full_env = {**os.environ, **(env or {})}
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_TESTRUNUID", "PYTEST_ADDOPTS"):
        full_env.pop(name, None)  # the child is a fresh session, not one of our workers
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=REPO_ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,  # one process group: a timeout also stops its sandbox
    )
    try:
        out, _ = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        tail = out.decode("utf-8", "replace")[-3000:]
        raise AssertionError(f"suite run exceeded {timeout_s:.0f}s: {cmd}\n{tail}") from exc
    return SuiteRun(proc.returncode, out.decode("utf-8", "replace"), time.monotonic() - start,
                    reports_dir)
