"""The order scenarios run in under pytest-xdist: waiting scenarios spread to one worker.

A ``@waits`` scenario spends seconds idle, waiting out a lifetime the target states. Two of them
waiting at the same time on two workers leave the machine idle; one after the other on one
worker leave the cores to the other workers meanwhile. xdist's ``load`` scheduler deals the
first quarter of the run round-robin, one scenario per worker in collection order, so the
waiting scenarios are moved to positions 0, N, 2N, ... (N workers): all reach the same worker,
first. Each worker collects the same order, as xdist requires. A best effort: another scheduler
(``--dist worksteal``, ``loadscope``) only sees a different order; outcomes do not depend on it.
"""

from __future__ import annotations

import pytest

__all__ = ["WAITS_MARK", "spread_waits"]

WAITS_MARK = "waits"


def spread_waits(items: list[pytest.Item], workers: int) -> None:
    """Reorder ``items`` in place for ``workers`` xdist workers (fewer than 2: unchanged)."""
    if workers < 2:
        return
    waiting = [i for i in items if i.get_closest_marker(WAITS_MARK) is not None]
    if not waiting:
        return
    others = [i for i in items if i.get_closest_marker(WAITS_MARK) is None]
    ordered: list[pytest.Item] = []
    for index, item in enumerate(waiting):
        ordered.append(item)
        ordered.extend(others[index * (workers - 1):(index + 1) * (workers - 1)])
    ordered.extend(others[len(waiting) * (workers - 1):])
    items[:] = ordered
