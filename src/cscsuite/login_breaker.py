"""The login circuit breaker: a recipe step that keeps failing ends later logins at once.

When a login page changes its wording, every login of that recipe would wait out its whole
timeout at the step that no longer matches. After ``threshold`` harness-side failures of the
*same step* of the *same recipe* in one run, the circuit of that step is open: a later login that
reaches the step gives it a short grace and then ends, quoting the first failure (step, label
looked for, labels the page had, screenshot).

State lives in files so that every pytest-xdist worker of one run sees it: one directory per
run, one sub-directory per recipe and step, one file per failure, each written atomically
(temporary file, then ``os.replace``). Counting is listing; nothing is ever rewritten, so no lock
is needed. Only harness-side failures are recorded (element or URL not found, crash): a refusal
the service shows (alert, error page, error redirect) never reaches the breaker.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from cscsuite.profile_types import LoginStep

__all__ = ["LoginBreaker", "StepFailure", "recipe_id", "step_id", "target_of"]

#: Default number of harness failures of one step before its circuit opens.
DEFAULT_THRESHOLD = 2


def target_of(step: LoginStep, deny: bool = False) -> str:
    """What the step looks for on the page: a label, an accessible name, a URL pattern, a text."""
    if step.action == "click":
        return (step.deny_name if deny and step.deny_name else step.name) or ""
    return step.pattern or step.label or step.name or step.text or ""


def recipe_id(name: str, recipe: Sequence[LoginStep]) -> str:
    """A recipe's name plus a digest of its steps: an edited recipe starts with a closed circuit."""
    digest = hashlib.sha256(repr(tuple(recipe)).encode()).hexdigest()[:12]
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:40]
    return f"{safe}-{digest}"


def step_id(index: int, action: str, target: str) -> str:
    """One step as it was tried: position, action and what it looked for (approve vs deny)."""
    digest = hashlib.sha256(target.encode()).hexdigest()[:12]
    return f"{index:03d}-{action}-{digest}"


@dataclass(frozen=True)
class StepFailure:
    """A harness-side failure of one recipe step, as the breaker keeps and quotes it."""

    recipe: str
    index: int
    action: str
    looked_for: str
    reason: str
    labels: tuple[str, ...] = ()
    url: str = ""
    screenshot: str | None = None

    def describe(self) -> str:
        """One paragraph: the step, what it looked for, what the page offered, the screenshot."""
        labels = ", ".join(self.labels) or "no buttons, links or fields"
        text = (f"login step {self.index} ({self.action} {self.looked_for!r}) of recipe "
                f"{self.recipe!r}: {self.reason}; the page")
        text += f" ({self.url})" if self.url else ""
        text += f" had: {labels}"
        if self.screenshot:
            text += f"; screenshot: {self.screenshot}"
        return text

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> StepFailure:
        raw_labels = data.get("labels")
        labels = tuple(str(x) for x in raw_labels) if isinstance(raw_labels, list) else ()
        shot = data.get("screenshot")
        return cls(recipe=str(data["recipe"]), index=int(str(data["index"])),
                   action=str(data["action"]), looked_for=str(data["looked_for"]),
                   reason=str(data["reason"]), labels=labels, url=str(data.get("url") or ""),
                   screenshot=str(shot) if shot else None)


class LoginBreaker:
    """Counts step failures in ``directory`` (shared by the run's processes); opens circuits.

    ``threshold`` 0 turns the breaker off (failures are neither recorded nor acted on).
    """

    def __init__(self, directory: str | Path, threshold: int = DEFAULT_THRESHOLD) -> None:
        self.directory = Path(directory)
        self.threshold = max(0, threshold)

    @property
    def enabled(self) -> bool:
        return self.threshold > 0

    def record(self, recipe_key: str, step_key: str, failure: StepFailure) -> None:
        """Keep one failure; the file appears complete or not at all."""
        if not self.enabled:
            return
        folder = self.directory / recipe_key / step_key
        folder.mkdir(parents=True, exist_ok=True)
        # Sorting the names sorts the failures by time: the first one is the one to quote.
        name = f"{time.time_ns():020d}-{os.getpid()}.json"
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(failure), out)
        os.replace(tmp, folder / name)

    def failures(self, recipe_key: str, step_key: str) -> list[StepFailure]:
        """The recorded failures of one step, oldest first."""
        folder = self.directory / recipe_key / step_key
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.glob("*.json")):
            try:
                found.append(StepFailure.from_json(json.loads(path.read_text("utf-8"))))
            except (OSError, ValueError, KeyError):
                continue  # unreadable records do not count
        return found

    def open_failure(self, recipe_key: str, step_key: str) -> StepFailure | None:
        """The first failure of a step whose circuit is open; ``None`` while it is closed."""
        folder = self.directory / recipe_key / step_key
        if not self.enabled or not folder.is_dir():
            return None
        if sum(1 for _ in folder.glob("*.json")) < self.threshold:
            return None  # cheap: most steps never fail
        found = self.failures(recipe_key, step_key)
        return found[0] if len(found) >= self.threshold else None

    def open_steps(self, recipe_key: str) -> dict[str, StepFailure]:
        """The recipe's steps whose circuit is open, each with its first failure."""
        folder = self.directory / recipe_key
        steps = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        opened = {key: self.open_failure(recipe_key, key) for key in steps}
        return {key: first for key, first in opened.items() if first is not None}
