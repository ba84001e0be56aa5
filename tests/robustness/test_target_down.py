"""Target down at start: one clear error line, within 15 s, before any scenario runs."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from selftest.processes import run_suite

DEADLINE_S = 15.0  # from session start to the error (interpreter start-up not included)
HANG_GUARD_S = 90.0  # the whole subprocess, start-up on a loaded machine included


def _closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.robustness
@pytest.mark.timeout(HANG_GUARD_S + 30)
def test_unreachable_target_is_one_clear_error_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    run = run_suite([f"--base-url={url}", "-m", "discovery or credentials", "-n", "0"],
                    tmp_path / "reports", timeout_s=HANG_GUARD_S)
    assert run.returncode not in (0, 1), "a run against no target must be an error of use"
    lines = [ln for ln in run.output.splitlines() if "target unreachable" in ln.lower()]
    assert len(lines) == 1, run.output[-3000:]
    assert url in lines[0], lines[0]
    assert "Traceback" not in run.output, run.output[-3000:]
    assert not re.search(r"\d+ (passed|failed|error)", run.output), "no scenario may run"
    session = re.search(r" in (\d+(?:\.\d+)?)s", run.output)
    assert session and float(session.group(1)) <= DEADLINE_S, run.output[-1500:]
