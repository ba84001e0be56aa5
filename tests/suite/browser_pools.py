"""A launched browser pool for tests that log in against a stand-in site (skips without one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cscsuite.browser import BrowserPool, BrowserUnavailable


def launched_pool(**options: Any) -> Iterator[BrowserPool]:
    """A ``BrowserPool(**options)`` whose browser has started; closed after the test(s)."""
    pool = BrowserPool(**options)
    try:
        pool.browser()
    except BrowserUnavailable as exc:
        pytest.skip(str(exc))
    yield pool
    pool.close()
