"""Waiting scenarios go first, one per round of xdist's round-robin deal (cscsuite.scheduling)."""

from __future__ import annotations

from dataclasses import dataclass

from cscsuite.scheduling import spread_waits


@dataclass
class FakeItem:
    name: str
    waits: bool = False

    def get_closest_marker(self, name: str) -> object | None:
        return object() if name == "waits" and self.waits else None


def _items(waiting: set[int], count: int = 10) -> list[FakeItem]:
    return [FakeItem(f"t{n}", n in waiting) for n in range(count)]


def _dealt(items: list[FakeItem], workers: int) -> list[list[str]]:
    """The scenarios each worker gets when they are dealt round-robin."""
    return [[i.name for i in items[w::workers]] for w in range(workers)]


def test_every_waiting_scenario_is_dealt_to_the_first_worker_first():
    items = _items({3, 7, 9})
    spread_waits(items, 2)  # type: ignore[arg-type]
    first, second = _dealt(items, 2)
    assert first[:3] == ["t3", "t7", "t9"]
    assert not {"t3", "t7", "t9"} & set(second)
    assert sorted(i.name for i in items) == sorted(f"t{n}" for n in range(10))  # none lost


def test_three_workers_and_more_waiting_scenarios_than_others_fit_between():
    items = _items({0, 1, 2, 3}, count=6)
    spread_waits(items, 3)  # type: ignore[arg-type]
    assert [i.name for i in items] == ["t0", "t4", "t5", "t1", "t2", "t3"]


def test_a_serial_run_keeps_the_collection_order():
    items = _items({3, 7})
    spread_waits(items, 0)  # type: ignore[arg-type]
    assert [i.name for i in items] == [f"t{n}" for n in range(10)]
