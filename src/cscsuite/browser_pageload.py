"""Page-load timing in the pooled browser, for the benchmarks (what a login page costs)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from playwright.sync_api import BrowserContext
from playwright.sync_api import Error as PlaywrightError

__all__ = ["PageLoad", "measure_page_load"]


class ContextSource(Protocol):
    """What the timing needs of ``browser.BrowserPool`` (a protocol, so browser.py can re-export
    this module without an import circle)."""

    def new_context(self) -> BrowserContext: ...


@dataclass(frozen=True)
class PageLoad:
    url: str
    wall_s: float
    dom_content_loaded_ms: float | None
    load_ms: float | None


def measure_page_load(pool: ContextSource, url: str, *, timeout_s: float = 30.0) -> PageLoad:
    """Load one page in a fresh context of the pooled browser (for the benchmarks)."""
    context = pool.new_context()
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="load", timeout=timeout_s * 1000)
        wall = time.perf_counter() - started
        timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
            return n ? [n.domContentLoadedEventEnd, n.loadEventEnd] : [null, null]; }""")
        return PageLoad(url, wall, timing[0], timing[1])
    finally:
        try:
            context.close()
        except PlaywrightError:
            pass
