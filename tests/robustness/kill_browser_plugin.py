"""A pytest plugin for a suite subprocess: SIGKILL the browser in the middle of the first login.

Loaded with ``-p robustness.kill_browser_plugin`` (``tests/`` on PYTHONPATH). The browser wrapper
of ``test_browser_crash`` writes the PID of its first Chromium to ``CSC_BROWSER_PID_FILE``; when
the first login asks for its one-time code (password page done, code page shown), the plugin
kills that Chromium before the code is read through it, so the crash lands inside a login
whatever the machine's speed.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from cscsuite import browser

_original_fetch_otp = browser.fetch_otp
_killed: list[int] = []


def _fetch_otp_after_a_crash(context: Any, source: Any) -> str:
    pid_file = Path(os.environ["CSC_BROWSER_PID_FILE"])
    if not _killed and pid_file.exists():
        pid = int(pid_file.read_text(encoding="utf-8").split()[0])
        _killed.append(pid)
        os.kill(pid, signal.SIGKILL)
    return _original_fetch_otp(context, source)


browser.fetch_otp = _fetch_otp_after_a_crash
