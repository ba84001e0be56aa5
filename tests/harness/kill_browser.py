"""A pytest plugin for a suite subprocess: SIGKILL the browser as each login starts.

The browser wrapper of ``test_harness_breaks`` writes the PID of each Chromium it starts to
``CSC_BROWSER_PID_FILE``; the plugin kills that process once the login's browser context exists,
so the login dies inside ``run_login`` (a crashed browser) and the pool relaunches it for the
next login, which dies the same way. The first ``CSC_KILL_SPARE`` logins of the process are
spared (a cached service token then lets later scenarios reach their own logins), and the
scenarios with the id in ``CSC_RUN_FIRST`` run first, so their set-up is the one spared. Needs
``-n 0`` (one browser, one PID file). Loaded with ``-p harness.kill_browser``.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from cscsuite import browser

_original_prepare = browser._prepare
_logins: list[int] = []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text(encoding="utf-8"))


def _kill_then_prepare(context: Any, state: Any, trace: Any) -> Any:
    _logins.append(1)
    if len(_logins) <= int(os.environ.get("CSC_KILL_SPARE", "0")):
        return _original_prepare(context, state, trace)
    pid = int(Path(os.environ["CSC_BROWSER_PID_FILE"]).read_text(encoding="utf-8").split()[0])
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    return _original_prepare(context, state, trace)


browser._prepare = _kill_then_prepare


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    first = os.environ.get("CSC_RUN_FIRST", "")
    items.sort(key=lambda item: 0 if first and first in item.keywords else 1)
