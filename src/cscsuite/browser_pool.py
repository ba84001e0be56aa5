"""The worker's browser: found, launched once, relaunched after a crash, and its login contexts.

Debian's headless shell is preferred for headless runs (a third of the CPU of the full browser),
then Debian's chromium, then the browser Playwright manages. A run whose scenarios never log in
never looks for a browser.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from cscsuite.browser_context import Lease, WarmContext
from cscsuite.browser_errors import BrowserUnavailable
from cscsuite.browser_recipe import first_line
from cscsuite.login_breaker import LoginBreaker

__all__ = ["CHROMIUM_ARGS", "BrowserPool", "TracePolicy", "resolve_executable"]

SYSTEM_CHROMIUM = "/usr/bin/chromium"
#: Debian's build of Chromium's headless shell, the browser Playwright itself runs for headless
#: Chromium. A login costs a third of the CPU it costs in the full browser's headless mode.
SYSTEM_HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
#: Flags that keep Chromium quiet on an offline host (no background connections of its own).
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")
TracePolicy = Literal["off", "retain-on-failure"]

def resolve_executable(explicit: str | None = None, *, headless: bool = True) -> str | None:
    """An explicit path (must exist), else Debian's headless shell (for headless runs) or
    chromium, else ``None`` (Playwright's own)."""
    if explicit:
        if not os.path.isfile(explicit):
            raise BrowserUnavailable(f"browser not found: {explicit}")
        return explicit
    candidates = (SYSTEM_HEADLESS_SHELL, SYSTEM_CHROMIUM) if headless else (SYSTEM_CHROMIUM,)
    return next((path for path in candidates if os.path.isfile(path)), None)


class _SharedPlaywright:
    """One sync Playwright per process: a second one in the same thread refuses to start."""

    def __init__(self) -> None:
        self.instance: Playwright | None = None
        self.users = 0

    def acquire(self) -> Playwright:
        if self.instance is None:
            self.instance = sync_playwright().start()
        self.users += 1
        return self.instance

    def release(self) -> None:
        self.users = max(0, self.users - 1)
        if self.users == 0 and self.instance is not None:
            instance, self.instance = self.instance, None
            try:
                instance.stop()
            except PlaywrightError:
                pass


_PLAYWRIGHT = _SharedPlaywright()


class BrowserPool:
    """One lazily launched browser for this process, relaunched after a crash."""

    def __init__(self, executable_path: str | None = None, ws_endpoint: str | None = None,
                 headless: bool = True, args: Sequence[str] = CHROMIUM_ARGS,
                 launch_timeout_s: float = 30.0, trace: TracePolicy = "off",
                 breaker: LoginBreaker | None = None, settle_s: float | None = None,
                 reuse_contexts: bool = True) -> None:
        self.requested_path = executable_path  # resolved at the first launch, not before
        self.executable_path: str | None = None
        self._resolved = bool(ws_endpoint)
        self.ws_endpoint = ws_endpoint
        self.headless = headless
        self.args = list(args)
        self.launch_timeout_s = launch_timeout_s
        self.trace = trace
        self.breaker = breaker  # shared by the run's processes: see login_breaker
        self.settle_s = settle_s  # a login step ends once its page stood still this long
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        # One context kept warm across logins, wiped between them (see browser_context); traced
        # logins always get a fresh one, as tracing belongs to a context's whole life.
        self.reuse_contexts = reuse_contexts
        self._warm: WarmContext | None = None
        # Playwright keeps trace files (and otherwise an empty temp dir per launch) until the
        # process ends; an own directory lets the pool remove them after every login.
        self._traces = tempfile.TemporaryDirectory(prefix="cscsuite-traces-")
        self.launches = 0

    def describe(self) -> str:
        return (self.ws_endpoint or self.executable_path or self.requested_path
                or "Playwright-managed chromium")

    def connected(self) -> bool:
        return self._browser is not None and self._browser.is_connected()

    def browser(self) -> Browser:
        """The live browser, launching (or relaunching after a crash) when needed."""
        if self.connected():
            assert self._browser is not None
            return self._browser
        self._warm = None  # it died with the browser
        if not self._resolved:  # a run whose scenarios never log in needs no browser
            self.executable_path = resolve_executable(self.requested_path, headless=self.headless)
            self._resolved = True
        if not os.path.isdir(self._traces.name):  # closed before: start afresh
            self._traces = tempfile.TemporaryDirectory(prefix="cscsuite-traces-")
        if self._playwright is None:
            self._playwright = _PLAYWRIGHT.acquire()
        chromium = self._playwright.chromium
        try:
            if self.ws_endpoint:
                self._browser = chromium.connect(self.ws_endpoint,
                                                 timeout=self.launch_timeout_s * 1000)
            else:
                self._browser = chromium.launch(executable_path=self.executable_path,
                                                headless=self.headless, args=self.args,
                                                traces_dir=self._traces.name,
                                                timeout=self.launch_timeout_s * 1000)
        except PlaywrightError as exc:
            raise BrowserUnavailable(
                f"cannot start the browser ({self.describe()}): {first_line(exc)}") from None
        self.launches += 1
        return self._browser

    def new_context(self) -> BrowserContext:
        return self.browser().new_context(ignore_https_errors=False)

    def lease(self) -> Lease:
        """The context and page for the next login: the warm ones, or a fresh pair."""
        if not self.reuse_contexts or self.trace != "off":
            context = self.new_context()
            return Lease(context, context.new_page())
        self.browser()  # relaunches after a crash, which also drops the warm context
        if self._warm is None:
            self._warm = WarmContext(self.new_context())
        return self._warm.lease()

    def release(self, lease: Lease, *, clean: bool) -> None:
        """End a login's use of its context: wipe a warm one for the next login after a clean
        login; close it otherwise (a failed login's page may still be busy)."""
        lease.detach()
        if lease.warm is not None and lease.warm is self._warm and clean:
            try:
                lease.warm.wipe(lease.origins)
                return
            except PlaywrightError:
                pass
        if lease.warm is self._warm:
            self._warm = None
        close_quietly(lease.context)

    def clear_traces(self) -> None:
        """Forget the trace files of finished contexts (failed logins copied theirs already)."""
        folder = Path(self._traces.name)
        for entry in folder.iterdir() if folder.is_dir() else ():
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the browser and Playwright (safe to call twice, also after a crash)."""
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        self._warm = None
        if browser is not None:
            try:
                browser.close()
            except PlaywrightError:
                pass
        if playwright is not None:
            _PLAYWRIGHT.release()
        self._traces.cleanup()


def close_quietly(context: BrowserContext) -> None:
    try:
        context.close()
    except PlaywrightError:
        pass
