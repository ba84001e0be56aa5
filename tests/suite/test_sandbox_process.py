"""SandboxProcess: its output reaches the log, and a stopped service leaves no pipe open."""

from __future__ import annotations

import sys
from pathlib import Path

from cscsuite.target import SandboxProcess

SERVICE = ("import sys, time, pathlib; print('serving', flush=True); "
           "pathlib.Path(sys.argv[1]).write_text('ready http://127.0.0.1:9'); time.sleep(60)")


class StandIn(SandboxProcess):
    """A stand-in service: prints a line, writes its ready file, then waits to be stopped."""

    def command(self, ready_file: Path) -> list[str]:
        return [sys.executable, "-c", SERVICE, str(ready_file)]


def test_a_stopped_service_leaves_its_log_written_and_its_pipe_closed(tmp_path: Path) -> None:
    service = StandIn(log_path=tmp_path / "sandbox.log", timeout_s=20)
    assert service.start() == "http://127.0.0.1:9"
    proc = service._proc
    service.stop()
    assert proc is not None and proc.returncode is not None
    assert proc.stdout is not None and proc.stdout.closed
    assert "serving" in (tmp_path / "sandbox.log").read_text()
