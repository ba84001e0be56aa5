"""Runs a login recipe (``LoginStep`` data from the profile) on one Playwright page.

The runner never sleeps for a fixed time: it waits for URLs and elements, in short slices, and
between slices checks the three reasons to stop early: the redirect to the client was captured,
the authorization server answered with an HTTP error page, or it shows an error (role ``alert``).
Values come from the identity, the one-time-code source or a literal; a scenario may override any
reference (a wrong password, a wrong code) without touching the recipe.
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable, Sequence
from typing import Literal
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cscsuite.browser_login_state import LoginState, RecipeError, Values
from cscsuite.browser_settle import SettleWatch, page_labels
from cscsuite.login_breaker import StepFailure, step_id, target_of
from cscsuite.profile_types import LoginStep

Decision = Literal["approve", "deny"]

#: Length of one wait slice; between slices the runner checks whether to stop.
SLICE_MS = 250
#: Roles a ``click`` step activates with Enter, as a keyboard user does. A pointer click first
#: waits two animation frames for the element to stand still, which made up a fifth of a login.
KEYBOARD_ROLES = frozenset({"button", "link"})
#: A button on the page whose field the recipe just filled is pressed at once, without a wait of
#: its own (one round trip instead of two); when it is not there within this time after all, the
#: step waits for it as any step does (slices, error probes, settle rule). The settle rule does
#: not watch a step's first ``WATCH_AFTER_S`` (2 s) either, so a missing button costs no more.
SAME_PAGE_PRESS_S = 2.0
#: How long an ``optional`` step waits at most for its element before it is skipped; it is
#: skipped sooner, after a wait slice, once the page has loaded and stood quiet (``QUIET_S``), as
#: when a recipe names two labels the code field may have and the page shows the other one.
OPTIONAL_WAIT_S = 3.0
#: A step whose circuit is open (see ``login_breaker``) waits for its page's load event and for
#: its requests in flight (at most ``TRIPPED_LOAD_S``), then gives its element this grace.
TRIPPED_GRACE_S = 0.05
TRIPPED_LOAD_S = 5.0
QUIET_POLL_MS = 50
#: "Quiet" means no request in flight for this long: the answer to the last request may still
#: be changing the page (a script adding the element) for a moment after it arrived.
QUIET_S = 0.25


class StepTimeout(RecipeError):
    """A step's element or URL did not appear: the harness-side failure the breaker counts."""


class StepFailed(RecipeError):
    """A step timed out; says which one, what it looked for and what the page offered instead.

    ``tripped`` is the first failure of this step in the run when its circuit was already open.
    """

    def __init__(self, failure: StepFailure, step_key: str,
                 tripped: StepFailure | None = None) -> None:
        self.failure = failure
        self.step_key = step_key
        self.tripped = tripped
        super().__init__(f"login step {failure.index} ({failure.action} "
                         f"{failure.looked_for!r}): {failure.reason}")


class Stop(Exception):
    """The login is over (callback captured or the AS shows an error)."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (Playwright's are long), or its type."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def page_url(url: str) -> str:
    """``scheme://host/path`` of a URL: pages are compared and shown without their query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def url_matches(pattern: str, url: str) -> bool:
    """A pattern with ``*`` is a glob over the whole URL; otherwise a substring."""
    return fnmatch.fnmatchcase(url, pattern) if "*" in pattern else pattern in url


def describe(step: LoginStep) -> str:
    target = step.pattern or step.label or step.name or step.text or ""
    return f"{step.action} {target!r}"


class RecipeRunner:
    """Executes the steps on ``page`` until they are done or the login stops."""

    def __init__(self, page: Page, state: LoginState, values: Values, deadline: float,
                 decision: Decision, *, recipe_name: str = "",
                 circuit: Callable[[str], StepFailure | None] | None = None,
                 settle_s: float | None = None) -> None:
        self.page = page
        self.state = state
        self.values = values
        self.deadline = deadline
        self.step_end = deadline
        self.decision = decision
        self.recipe_name = recipe_name
        self.circuit = circuit  # a step key -> its first failure while its circuit is open
        self.settle_s = settle_s  # a step ends once the page stood still this long (None: off)
        self.probe_first = False  # an open circuit: an element already there needs no wait
        self.settle = SettleWatch(page, state)
        self.current: tuple[int, str, str, str] | None = None  # index, action, target, step key
        self.failed: StepFailed | None = None
        self.masked: list[Locator] = []  # fields that received secrets (masked in screenshots)
        self.filled_on: int | None = None  # ``state.navigations`` when a field was last filled

    # --- stop conditions --------------------------------------------------------------------------

    def alert(self) -> Locator:
        return self.page.get_by_role("alert")

    def check_stop(self) -> None:
        """Stop on a captured callback, an HTTP error page or an error the page shows."""
        self.check_events()
        alert = self.alert()
        if alert.count() and alert.first.is_visible():
            text = " ".join(alert.first.inner_text().split())
            if text:
                self.state.page_error = f"the page shows an error: {text[:300]}"
                raise Stop

    def check_events(self) -> None:
        """The stop conditions the page listeners already recorded (no round trip)."""
        if self.state.callback_url is not None:
            raise Stop
        if self.state.http_error is not None:
            self.state.page_error = self.state.http_error
            raise Stop

    def page_settled(self) -> bool:
        """The page has loaded and no request was in flight for ``QUIET_S``: what it shows now
        is what it will show, short of a timer (costs one round trip)."""
        if self.state.inflight or time.monotonic() - self.state.last_activity < QUIET_S:
            return False
        try:
            return bool(self.page.evaluate("document.readyState") == "complete")
        except PlaywrightError:  # navigating right now: not settled
            return False

    def remaining_ms(self) -> float:
        return max(0.0, (self.deadline - time.monotonic()) * 1000)

    def wait(self, attempt: Callable[[float], None], what: str, limit_s: float | None = None,
             ) -> bool:
        """Run ``attempt(slice_ms)`` until it succeeds, the login stops or time runs out.

        The page is probed for an error only after a slice ran out: a probe right after a
        navigation would wait for the new page, which the attempt does anyway."""
        end = self.step_end if limit_s is None else min(self.step_end,
                                                        time.monotonic() + limit_s)
        probe_page = False
        self.settle.restart()
        while True:
            if probe_page:
                self.check_stop()
                if limit_s is not None and self.page_settled():
                    return False  # an optional element a loaded, quiet page lacks won't come
                if self.settle_s is not None and self.settle.still_for(self.settle_s):
                    if limit_s is not None:
                        return False
                    raise StepTimeout(f"the page stood still for {self.settle_s:g} s "
                                      f"without {what}")
            else:
                self.check_events()
            probe_page = True
            left_ms = (end - time.monotonic()) * 1000
            if left_ms <= 0:
                if limit_s is not None and end < self.step_end:
                    return False
                raise StepTimeout(f"timed out waiting for {what}")
            try:
                attempt(max(1.0, min(SLICE_MS, left_ms)))
                return True
            except PlaywrightTimeout:
                continue

    # --- steps ------------------------------------------------------------------------------------

    def run(self, steps: Sequence[LoginStep]) -> None:
        for index, step in enumerate(steps, start=1):
            self.check_events()
            if step.if_url and step.if_url not in self.page.url:
                continue
            try:
                self.run_counted(index, step)
            except StepFailed:
                raise
            except RecipeError as exc:
                raise RecipeError(f"login step {index} ({describe(step)}): {exc}") from None

    def run_counted(self, index: int, step: LoginStep) -> None:
        """Run one step under the circuit breaker: a step whose circuit is open gets a short
        grace once its page has loaded instead of the full wait; a timeout becomes a
        ``StepFailed`` that names the labels the page had."""
        target = target_of(step, deny=self.decision == "deny")
        key = step_id(index, step.action, target)
        tripped = self.circuit(key) if self.circuit is not None else None
        self.current = (index, step.action, target, key)
        settle_s = self.settle_s
        if tripped is not None:
            self.await_quiet()
            self.step_end = min(self.deadline, time.monotonic() + TRIPPED_GRACE_S)
            self.settle_s, self.probe_first = None, True
        try:
            self.run_step(step)
        except (StepTimeout, PlaywrightTimeout) as exc:
            reason = str(exc) if isinstance(exc, StepTimeout) else f"timed out: {first_line(exc)}"
            labels = () if tripped else page_labels(self.page)  # the first failure has them
            failure = StepFailure(self.recipe_name, index, step.action, target, reason,
                                  labels, self.state.current_page())
            raise StepFailed(failure, key, tripped) from None
        finally:
            self.step_end, self.settle_s, self.probe_first = self.deadline, settle_s, False

    def await_quiet(self) -> None:
        """Wait (at most ``TRIPPED_LOAD_S``) for the page's load event and for its requests to
        be answered: a page still loading, or a navigation still on its way, may yet bring the
        element; a loaded, quiet page that lacks it after a short grace will not."""
        end = min(self.deadline, time.monotonic() + TRIPPED_LOAD_S)
        while (left_ms := (end - time.monotonic()) * 1000) > 0:
            try:
                self.page.wait_for_load_state("load", timeout=max(1.0, left_ms))
            except PlaywrightTimeout:
                return
            if self.state.inflight == 0 and \
                    time.monotonic() - self.state.last_activity >= QUIET_S:
                return
            self.page.wait_for_timeout(QUIET_POLL_MS)

    def run_step(self, step: LoginStep) -> None:
        actions: dict[str, Callable[[LoginStep], None]] = {
            "wait_url": self.wait_url, "fill": self.fill, "click": self.click,
            "select": self.select, "check_text": self.check_text, "goto": self.goto,
        }
        if step.action not in actions:
            raise RecipeError(f"unknown action {step.action!r}")
        actions[step.action](step)

    def element(self, step: LoginStep, locator: Locator) -> Locator | None:
        """Wait until ``locator`` is visible; ``None`` when an optional step's element is absent.

        An error the page shows instead is found by the probe after a wait slice ran out, so a
        page that has the element costs one round trip and no probe."""
        target = locator.first
        # Under an open circuit the grace is short, shorter than one round trip to a loaded
        # browser; an element the quiet page already shows must not fail on that.
        found = (self.probe_first and target.is_visible()) or self.wait(
            lambda ms: target.wait_for(state="visible", timeout=ms), describe(step),
            OPTIONAL_WAIT_S if step.optional else None)
        return target if found else None

    def goto(self, step: LoginStep) -> None:
        """Open the address ``pattern`` names directly, as a signer typing it would."""
        self.page.goto(step.pattern or "", timeout=self.remaining_ms(), wait_until="commit")

    def wait_url(self, step: LoginStep) -> None:
        pattern = step.pattern or ""
        self.wait(lambda ms: self.page.wait_for_url(lambda u: url_matches(pattern, u),
                                                    timeout=ms, wait_until="commit"),
                  f"a URL matching {pattern!r}")

    def fill(self, step: LoginStep) -> None:
        """Fill a field. A value known in advance goes in with the wait (filling is idempotent,
        so a slice that ran out may simply try again); a one-time code is read only once its
        field shows, so it is the code of this very page."""
        ref = step.value or ""
        locator = self.page.get_by_label(step.label or "", exact=True).first
        optional = OPTIONAL_WAIT_S if step.optional else None
        if self.values.deferred(ref):
            if self.element(step, locator) is None:
                return
            value, secret = self.values.resolve(ref)
            self.mask(locator, secret)
            locator.fill(value, timeout=self.remaining_ms())
        else:
            value, secret = self.values.resolve(ref)
            self.mask(locator, secret)
            if not self.wait(lambda ms: locator.fill(value, timeout=ms), describe(step),
                             optional):
                return
        self.filled_on = self.state.navigations
        self.state.entered_on.setdefault(ref, page_url(self.page.url))

    def mask(self, field_: Locator, secret: bool) -> None:
        """Remember a field that receives a secret (masked in a failure screenshot)."""
        if secret:
            self.masked.append(field_)

    def select(self, step: LoginStep) -> None:
        box = self.element(step, self.page.get_by_label(step.label or "", exact=True))
        if box is not None:
            value, _ = self.values.resolve(step.value or "")
            box.select_option(value, timeout=self.remaining_ms())

    def click(self, step: LoginStep) -> None:
        declining = self.decision == "deny" and bool(step.deny_name)
        name = step.deny_name if declining else step.name
        if declining:
            self.state.declined_on.append(page_url(self.page.url))
        role = step.role or "button"
        locator = self.page.get_by_role(role, name=name, exact=True)  # type: ignore[arg-type]
        if role in KEYBOARD_ROLES and self.press_on_same_page(locator.first):
            return
        button = self.element(step, locator)
        if button is None:
            return
        if role in KEYBOARD_ROLES:  # as a keyboard user activates it
            button.press("Enter", timeout=self.remaining_ms())
        else:
            button.click(timeout=self.remaining_ms())

    def press_on_same_page(self, button: Locator) -> bool:
        """Press Enter on ``button`` at once when the recipe filled a field of this very document
        (a form's submit button is there with it); ``False`` when it did not, or when the button
        did not show in time (the caller then waits for it with the usual probes). Never for a
        step whose circuit is open: its short grace is for finding the element, not pressing."""
        if self.filled_on != self.state.navigations or self.step_end < self.deadline:
            return False
        limit_ms = min(SAME_PAGE_PRESS_S, self.deadline - time.monotonic()) * 1000
        if limit_ms <= 0:
            return False
        try:
            button.press("Enter", timeout=limit_ms)
        except PlaywrightTimeout:
            return False
        return True

    def check_text(self, step: LoginStep) -> None:
        self.element(step, self.page.get_by_text(step.text or ""))

    def wait_for_callback(self) -> None:
        """After the last step: the AS must now redirect to the client (or show an error)."""
        self.wait(lambda ms: self.page.wait_for_event(
            "requestfinished", lambda r: self.state.callback_url is not None
            or self.state.captured(r.url), timeout=ms), "the redirect to the client")
