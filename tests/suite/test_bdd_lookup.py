"""bdd_lookup: a step's definitions are searched once per step, parent chain and fixture count."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import pytest

from cscsuite import bdd_lookup


@dataclass(frozen=True)
class Step:
    type: str
    name: str


@dataclass
class Node:
    nodeid: str
    parents: tuple[str, ...] = ("", "steps/test_features.py")

    def listchain(self) -> list[Any]:
        return [Node(p, ()) for p in self.parents] + [self]


@dataclass
class Manager:
    names: list[str] = field(default_factory=lambda: ["a", "b"])


def counting() -> tuple[list[tuple[str, str, str]], Any]:
    calls: list[tuple[str, str, str]] = []

    def search(step: Step, fixturemanager: Manager, node: Node) -> Any:
        calls.append((step.type, step.name, node.nodeid))
        yield f"def of {step.type} {step.name}"
    return calls, search


def test_a_step_is_searched_once_for_every_test_with_the_same_parents() -> None:
    calls, search = counting()
    lookup = bdd_lookup.remembered(search, lambda m: m.names)
    manager = Manager()
    first = list(lookup(step=Step("given", "a token"), fixturemanager=manager,
                        node=Node("t[v1]")))
    again = list(lookup(step=Step("given", "a token"), fixturemanager=manager,
                        node=Node("t[v2]")))
    assert first == again == ["def of given a token"]
    assert calls == [("given", "a token", "t[v1]")]


@pytest.mark.parametrize("change", ["text", "type", "parents", "fixtures"])
def test_anything_the_answer_depends_on_starts_a_new_search(change: str) -> None:
    calls, search = counting()
    lookup = bdd_lookup.remembered(search, lambda m: m.names)
    manager, step, node = Manager(), Step("when", "signs"), Node("t[v1]")
    list(lookup(step=step, fixturemanager=manager, node=node))
    if change == "text":
        step = Step("when", "signs again")
    elif change == "type":
        step = Step("then", "signs")
    elif change == "parents":
        node = Node("t[v1]", ("", "steps/other_test.py"))
    else:
        manager.names.append("registered later")
    assert list(lookup(step=step, fixturemanager=manager, node=node))
    assert len(calls) == 2


def test_install_wraps_pytest_bdd_once() -> None:
    scenario = sys.modules["pytest_bdd.scenario"]
    assert bdd_lookup.install()
    wrapped = scenario.find_fixturedefs_for_step
    assert hasattr(wrapped, "__wrapped__")
    assert bdd_lookup.install() and scenario.find_fixturedefs_for_step is wrapped


def test_an_unexpected_search_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = sys.modules["pytest_bdd.scenario"]

    def other(step: Any, manager: Any) -> list[Any]:
        return []
    monkeypatch.setattr(scenario, "find_fixturedefs_for_step", other)
    assert not bdd_lookup.install()
    assert scenario.find_fixturedefs_for_step is other
