"""The login circuit breaker at work: judging failed steps, and one breaker directory per run.

``login_breaker`` keeps the counts; this module decides what a failed step means for the login
(counted, or the end of the login when the step's circuit is already open) and wires the
breaker into a pytest run: the controller (or the only process) creates the directory, hands it
to every xdist worker and removes it when the run ends, so no state leaks into the next run.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cscsuite.browser_errors import LoginCircuitOpen
from cscsuite.login_breaker import LoginBreaker, StepFailure
from cscsuite.redact import Redactor

if TYPE_CHECKING:
    from cscsuite.browser_recipe import RecipeRunner, StepFailed
    from cscsuite.profile_types import Timeouts

__all__ = ["BREAKER_DIR_KEY", "BreakerRun", "judge_step_failure", "login_options",
           "record_crash", "register"]

#: The key of the breaker directory in an xdist worker's ``workerinput``.
BREAKER_DIR_KEY = "cscsuite_login_breaker_dir"
_PLUGIN_NAME = "cscsuite-login-breaker"


def judge_step_failure(breaker: LoginBreaker | None, recipe_key: str, failed: StepFailed,
                       shot: str | None, redactor: Redactor) -> str:
    """Describe a step's failure and count it; ends the login when the step's circuit is open."""
    found = replace(failed.failure, screenshot=shot,
                    labels=tuple(redactor.text(label) for label in failed.failure.labels))
    if failed.tripped is not None:
        count = len(breaker.failures(recipe_key, failed.step_key)) if breaker else None
        raise LoginCircuitOpen(failed.tripped, count)
    if breaker is not None:
        breaker.record(recipe_key, failed.step_key, found)
    return found.describe()


def record_crash(breaker: LoginBreaker | None, recipe_key: str, runner: RecipeRunner | None,
                 reason: str) -> None:
    """A crash at a step counts for that step's circuit, like a timeout there."""
    if breaker is None or runner is None or runner.current is None:
        return
    index, action, target, key = runner.current
    breaker.record(recipe_key, key, StepFailure(runner.recipe_name, index, action, target,
                                                f"the browser crashed: {reason}",
                                                url=runner.state.current_page()))


class BreakerRun:
    """The run's breaker directory: made by the controller or the only process, lent to workers."""

    def __init__(self, config: pytest.Config) -> None:
        inherited = getattr(config, "workerinput", {}).get(BREAKER_DIR_KEY)
        self.owned = not inherited
        self.directory = Path(inherited or tempfile.mkdtemp(prefix="cscsuite-login-breaker-"))

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self.owned:
            shutil.rmtree(self.directory, ignore_errors=True)


class _XdistBreakerRun(BreakerRun):
    """With pytest-xdist: the controller lends its directory to every worker it starts."""

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[BREAKER_DIR_KEY] = str(self.directory)


def register(config: pytest.Config) -> None:
    """Give this pytest process its breaker directory (call from ``pytest_configure``).

    The xdist hook is only implemented when xdist is loaded: an optional hook would make
    ``config.hook.pytest_configure_node`` exist without xdist, which other plugins test for.
    """
    if config.pluginmanager.get_plugin(_PLUGIN_NAME) is None:
        xdist = hasattr(config.hook, "pytest_configure_node")
        run = _XdistBreakerRun(config) if xdist else BreakerRun(config)
        config.pluginmanager.register(run, _PLUGIN_NAME)


def login_options(config: pytest.Config, timeouts: Timeouts) -> dict[str, Any]:
    """``BrowserPool`` keyword arguments: the run's breaker and the settle time of a step."""
    run = config.pluginmanager.get_plugin(_PLUGIN_NAME)
    if not isinstance(run, BreakerRun):
        run = BreakerRun(config)
        config.pluginmanager.register(run, _PLUGIN_NAME)
    settle = timeouts.login_settle_s
    return {"breaker": LoginBreaker(run.directory, timeouts.login_breaker_after),
            "settle_s": settle if settle > 0 else None}
