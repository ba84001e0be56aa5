"""What a login in the browser learns as it runs, and the values its recipe enters.

``LoginState`` is filled by the page's listeners (``browser``, ``browser_callback``) and read by
the recipe runner (``browser_recipe``) and the settle rule; ``Values`` resolves a recipe step's
value reference and remembers which values are secrets, so evidence and traces can mask them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cscsuite.profile_types import Identity
from cscsuite.world import Secret

__all__ = ["LoginState", "RecipeError", "Values"]


class RecipeError(Exception):
    """A step could not be carried out (element missing, timeout, bad reference)."""


@dataclass
class LoginState:
    """What the page listeners and the runner learn while the login runs."""

    redirect_prefix: str
    callback_url: str | None = None
    http_error: str | None = None
    page_error: str | None = None
    pages_seen: list[str] = field(default_factory=list)
    declined_on: list[str] = field(default_factory=list)  # pages where a deny_name was clicked
    queried: list[str] = field(default_factory=list)  # pages whose address carried a query
    entered_on: dict[str, str] = field(default_factory=dict)  # value reference -> its page
    inflight: int = 0  # the page's requests not yet answered (the settle rule waits for 0)
    navigations: int = 0  # main-frame navigations so far (a new document since a step?)
    last_activity: float = field(default_factory=time.monotonic)

    def captured(self, url: str) -> bool:
        return url.startswith(self.redirect_prefix)

    def current_page(self) -> str:
        """The last page the login reached (without query), for failure messages."""
        return self.pages_seen[-1] if self.pages_seen else ""

    def request_started(self) -> None:
        self.inflight += 1
        self.last_activity = time.monotonic()

    def request_ended(self) -> None:
        self.inflight = max(0, self.inflight - 1)
        self.last_activity = time.monotonic()


class Values:
    """Resolves ``identity.<key>``, ``otp`` and ``literal:<text>``; remembers secret ones."""

    def __init__(self, identity: Identity, otp_fetcher: Callable[[], str] | None,
                 overrides: Mapping[str, str] | None) -> None:
        self.identity = identity
        self.otp_fetcher = otp_fetcher
        self.overrides = dict(overrides or {})
        self.secrets: list[str] = [v for v in self.overrides.values() if v]
        self.secrets += [str(v) for v in identity.values.values() if isinstance(v, Secret)]

    def deferred(self, ref: str) -> bool:
        """Whether the value only exists once its page shows (a one-time code)."""
        return ref == "otp" and ref not in self.overrides

    def resolve(self, ref: str) -> tuple[str, bool]:
        """(value, is_secret) for a reference."""
        if ref in self.overrides:
            return self.overrides[ref], True
        if ref.startswith("literal:"):
            return ref[len("literal:"):], False
        if ref == "otp":
            if self.otp_fetcher is None:
                raise RecipeError("the recipe needs a one-time code but the identity has no source")
            code = self.otp_fetcher()
            self.secrets.append(code)
            return code, True
        if ref.startswith("identity."):
            key = ref[len("identity."):]
            if key not in self.identity.values:
                raise RecipeError(f"identity {self.identity.name!r} has no value {key!r}")
            value = self.identity.values[key]
            return str(value), isinstance(value, Secret)
        raise RecipeError(f"unknown value reference {ref!r} (identity.<key>, otp, literal:<text>)")
