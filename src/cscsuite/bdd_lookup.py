"""pytest-bdd's search for a step's definition, remembered for the rest of the run.

pytest-bdd 9 finds the definition of a step by asking pytest, for every fixture name of the run
(about 170 here), which definitions the test sees: about 1.7 ms of CPU per search, two searches
per step, some 6 s of a serial run. The answer depends only on the step (its keyword type and
text), on where the test sits (the node ids of its parents, where step definitions live) and on
the fixtures registered; step definitions are all registered at collection. So each answer is
kept under that key, with the number of registered fixture names in it: a registration made
later starts a new search. When pytest-bdd's internals are not the expected ones, the search is
left as it is (``install`` says so by returning False).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["install", "remembered"]

Search = Callable[[Any, Any, Any], Iterable[Any]]
_PARAMETERS = ["step", "fixturemanager", "node"]


def remembered(search: Search, fixture_names: Callable[[Any], list[str]]) -> Search:
    """``search`` with its answers kept per step, parent chain and fixture count."""
    answers: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def lookup(step: Any, fixturemanager: Any, node: Any) -> Iterable[Any]:
        key = (step.type, step.name, tuple(n.nodeid for n in node.listchain()[:-1]),
               len(fixture_names(fixturemanager)))
        found = answers.get(key)
        if found is None:
            found = answers[key] = tuple(search(step, fixturemanager, node))
        return found

    lookup.__wrapped__ = search  # type: ignore[attr-defined]
    return lookup


def install() -> bool:
    """Put the remembering search in pytest-bdd's place (once per process)."""
    try:
        scenario = importlib.import_module("pytest_bdd.scenario")
        compat = importlib.import_module("pytest_bdd.compat")
    except ImportError:
        return False
    search = getattr(scenario, "find_fixturedefs_for_step", None)
    fixture_names = getattr(compat, "get_fixture_names", None)
    if search is None or fixture_names is None:
        return False
    if hasattr(search, "__wrapped__"):
        return True
    if list(inspect.signature(search).parameters) != _PARAMETERS:
        return False
    scenario.find_fixturedefs_for_step = remembered(  # type: ignore[attr-defined]
        search, fixture_names)
    return True
