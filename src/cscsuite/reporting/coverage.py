"""How much of the suite ran on this target, and why the rest did not.

A run of skips is not a pass: the reports say "212 of 299 scenario instances ran; skipped: ..."
with the skip reasons grouped (the same reason for v1 and v2 is one group), every area whose
instances all skipped reads NOT RUN, and ``--csc-min-run`` / ``[run] min_run_percent`` turn a run
in which too little ran into a failed one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cscsuite.reporting.model import ScenarioResult

#: Outcomes of instances that were exercised against the target (a known deviation ran too).
RAN = frozenset({"passed", "failed", "error", "xfailed", "xpassed"})
NO_REASON = "no reason given"
_VERSION = re.compile(r"\s+for (?:CSC API )?v[12]\b")
UNIT = "scenario instances"  # a plain pytest test counts as one instance too


def reason_group(message: str) -> str:
    """The skip reason without what differs per version (``for v1``, the trailing source)."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    first = first.removeprefix("Skipped: ")
    grouped = _VERSION.sub("", first).strip()
    opening = grouped.find(" (")
    if opening > 0:  # the detail, however nested or cut short: the scenario's row has it
        grouped = grouped[:opening]
    return grouped or first or NO_REASON


@dataclass
class Coverage:
    """What ran: counts, the share that ran and the grouped reasons of the rest."""

    total: int = 0
    ran: int = 0
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (reason, count), most first
    unit: str = UNIT

    @property
    def percent(self) -> float:
        return round(100.0 * self.ran / self.total, 1) if self.total else 0.0

    def headline(self, max_reasons: int = 6) -> str:
        """One sentence: "212 of 299 scenario instances ran (70.9%); skipped: reason 40, ..."."""
        text = f"{self.ran} of {self.total} {self.unit} ran ({self.percent:g}%)"
        if self.skipped:
            shown = [f"{reason} {count}" for reason, count in self.skipped[:max_reasons]]
            rest = sum(count for _, count in self.skipped[max_reasons:])
            if rest:
                shown.append(f"{rest} more for {len(self.skipped) - max_reasons} other reasons")
            text += "; skipped: " + ", ".join(shown)
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "total": self.total, "ran": self.ran, "percent": self.percent,
                "not_run_reasons": [{"reason": r, "count": n} for r, n in self.skipped]}


def of(results: Iterable[ScenarioResult]) -> Coverage:
    results = list(results)
    reasons = Counter(reason_group(r.message) for r in results if r.outcome not in RAN)
    ran = sum(r.outcome in RAN for r in results)
    unit = UNIT if any(r.is_scenario for r in results) else "tests"
    return Coverage(len(results), ran, sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
                    unit)


def nothing_ran(outcomes: Iterable[str]) -> bool:
    """An area (or run) whose instances all skipped: NOT RUN, never OK."""
    return not any(o in RAN for o in outcomes)


def below_minimum(cov: Coverage, minimum: float | None) -> bool:
    return minimum is not None and cov.percent < float(minimum)


def minimum_message(cov: Coverage, minimum: float) -> str:
    return (f"only {cov.percent:g}% of the {cov.unit} ran ({cov.ran} of {cov.total}), less than "
            f"the required {minimum:g}% (--csc-min-run / [run] min_run_percent)")
