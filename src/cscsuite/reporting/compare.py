"""Nightly comparison against a previous summary.json: newly failing, newly passing, disappeared."""

from __future__ import annotations

from typing import Any

from cscsuite.reporting.model import ScenarioResult, is_bad

_GOOD = ("passed", "xfailed")


def compare(previous: dict[str, Any], results: list[ScenarioResult],
            previous_label: str = "") -> dict[str, Any]:
    """Differences between a previous summary and this run, keyed by pytest node id."""
    before: dict[str, dict[str, Any]] = previous.get("scenarios", {})
    now = {r.nodeid: r for r in results}

    def row(nodeid: str, old: str, new: str) -> dict[str, str]:
        rec = now.get(nodeid)
        name = rec.display_name if rec else before.get(nodeid, {}).get("scenario", "") or nodeid
        msg = rec.message if rec else ""
        return {"nodeid": nodeid, "name": name, "before": old, "now": new, "message": msg}

    newly_failing, newly_passing, changed = [], [], []
    for nodeid, rec in sorted(now.items()):
        old = before.get(nodeid, {}).get("outcome")
        if old is None or old == rec.outcome:
            continue
        if is_bad(rec.outcome) and not is_bad(old):
            newly_failing.append(row(nodeid, old, rec.outcome))
        elif rec.outcome in _GOOD and is_bad(old):
            newly_passing.append(row(nodeid, old, rec.outcome))
        else:
            changed.append(row(nodeid, old, rec.outcome))
    disappeared = [row(n, before[n].get("outcome", ""), "absent")
                   for n in sorted(before) if n not in now]
    new = [row(n, "absent", now[n].outcome) for n in sorted(now) if n not in before]
    return {
        "previous": previous_label,
        "previous_generated_at": previous.get("generated_at", ""),
        "newly_failing": newly_failing,
        "newly_passing": newly_passing,
        "disappeared": disappeared,
        "new": new,
        "changed": changed,
    }


def terminal_lines(comparison: dict[str, Any], limit: int = 30) -> list[str]:
    """Plain-text lines for the terminal summary."""
    lines = [f"compared with {comparison.get('previous') or 'previous run'}"
             f" ({comparison.get('previous_generated_at') or 'unknown time'})"]
    for key, title in (("newly_failing", "NEWLY FAILING"), ("newly_passing", "newly passing"),
                       ("disappeared", "disappeared"), ("new", "new")):
        rows = comparison.get(key, [])
        lines.append(f"{title}: {len(rows)}")
        for r in rows[:limit]:
            lines.append(f"  {r['nodeid']}  ({r['before']} -> {r['now']})")
        if len(rows) > limit:
            lines.append(f"  ... {len(rows) - limit} more")
    return lines
