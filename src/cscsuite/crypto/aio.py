"""Run pyHanko / certvalidator coroutines from synchronous code.

Under Playwright's sync API the main thread counts as having a running event loop, so
``asyncio.run`` there raises (engineering-notes §2.4). Every call therefore hops to a worker
thread with its own loop, bounded by a timeout so a stuck fetch cannot hang a scenario.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(make_coro: Callable[[], Coroutine[Any, Any, T]], timeout: float = 30.0) -> T:
    """Run ``make_coro()`` to completion in a fresh thread and loop; re-raise its exception."""

    async def bounded() -> T:
        return await asyncio.wait_for(make_coro(), timeout)

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cscsuite-aio")
    try:
        return pool.submit(asyncio.run, bounded()).result(timeout + 5)
    finally:
        pool.shutdown(wait=False)
