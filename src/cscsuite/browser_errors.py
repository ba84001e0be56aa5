"""The errors of browser logins, as steps and the pytest plugin see them.

``LoginError`` is any login that could not be completed; ``LoginCircuitOpen`` is also a
``HarnessError`` (the suite could not log in, which says nothing about the service), so the
plugin reports it as an error.
"""

from __future__ import annotations

from cscsuite.http import TargetUnreachable
from cscsuite.login_breaker import StepFailure
from cscsuite.outcomes import HarnessError

__all__ = ["BrowserCrashed", "BrowserUnavailable", "LoginCircuitOpen", "LoginError",
           "raise_if_unreachable"]


class BrowserUnavailable(RuntimeError):
    """The browser cannot be found or launched (an error of use; the message is one line)."""


#: Chromium's network errors that mean the target did not answer at all.
_UNREACHABLE = ("ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED",
                "ERR_ADDRESS_UNREACHABLE", "ERR_CONNECTION_TIMED_OUT", "ERR_NAME_NOT_RESOLVED",
                "ERR_EMPTY_RESPONSE")


def raise_if_unreachable(url: str, reason: str) -> None:
    """Report a dead target the way the HTTP client does, so runs say "target unreachable"."""
    if any(code in reason for code in _UNREACHABLE):
        raise TargetUnreachable(url.split("?", 1)[0], reason)


class LoginError(RuntimeError):
    """A browser login could not be completed (recipe step failed, timed out)."""


class BrowserCrashed(LoginError):
    """The browser died during a login; the pool relaunches it for the next one."""


class LoginCircuitOpen(LoginError, HarnessError):
    """A recipe step failed too often in this run: this login ends there, quoting the first failure.

    A ``HarnessError`` too: the suite could not log in, which says nothing about the service.
    """

    def __init__(self, first: StepFailure, count: int | None = None) -> None:
        self.first = first
        times = f"{count} times" if count else "repeatedly"
        HarnessError.__init__(
            self, f"login ended by the circuit breaker: login step {first.index} of recipe "
                  f"{first.recipe!r} failed {times} in this run; first failure: "
                  f"{first.describe()}",
            first.screenshot)
