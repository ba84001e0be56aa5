"""The expectation table is complete and points at real scenarios (fast; no suite run).

A defect in the registry with no expectation, or with one that names no existing scenario, means
the suite cannot be shown to catch it: these tests fail so it cannot go unnoticed.
"""

from __future__ import annotations

import pytest
from _pytest.mark.expression import Expression

from cscsandbox.config import default_text
from cscsandbox.defects import DEFECTS
from selftest import expectations, features_index
from selftest.derived_profile import override_config

TABLE = expectations.load()
SCENARIOS = features_index.index()


def test_list_defects_cli_matches_the_registry() -> None:
    listed = expectations.registered_defects()
    assert sorted(listed) == sorted(DEFECTS)
    assert all(listed.values()), "every defect needs a one-line description"


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_defect_has_an_expectation(defect: str) -> None:
    entry = TABLE.get(defect)
    assert entry is not None, f"{defect}: no entry in tests/selftest/expectations.toml"
    assert entry.catch, (f"{defect}: no scenario is expected to catch it "
                         f"({DEFECTS[defect][1]}); {entry.note}")


@pytest.mark.parametrize("defect", sorted(TABLE))
def test_expectation_names_existing_scenarios(defect: str) -> None:
    entry = TABLE[defect]
    assert defect in DEFECTS, f"expectation for {defect}, which is not in the defect registry"
    unknown = [str(c) for c in entry.catch if c.stable_id not in SCENARIOS]
    assert not unknown, f"{defect}: no scenario has the id(s) {unknown}"


@pytest.mark.parametrize("defect", sorted(TABLE))
def test_selection_includes_the_catching_scenarios(defect: str) -> None:
    entry = TABLE[defect]
    expression = Expression.compile(entry.select)
    outside = [str(c) for c in entry.catch if c.stable_id in SCENARIOS
               and not _selects(expression, SCENARIOS[c.stable_id].tags)]
    assert not outside, f"{defect}: -m {entry.select!r} does not select {outside}"


def _selects(expression: Expression, tags: frozenset[str]) -> bool:
    def matcher(name: str, /, **_: object) -> bool:
        return name in tags

    return expression.evaluate(matcher)


@pytest.mark.parametrize("defect", sorted(d for d, e in TABLE.items() if e.config))
def test_config_overrides_name_existing_keys(defect: str) -> None:
    override_config(default_text(), TABLE[defect].config)  # raises for an unknown key


def test_catch_parser_rejects_malformed_ids() -> None:
    assert str(expectations.parse_catch("id_signhash_007[v1]")) == "id_signhash_007[v1]"
    for bad in ("signhash_007", "id_signhash_007[v3]", "id_signhash"):
        with pytest.raises(ValueError):
            expectations.parse_catch(bad)
