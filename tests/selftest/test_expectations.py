"""The expectation table is complete and points at real scenarios (fast; no suite run).

A defect in the registry with no expectation, or with one that names no existing scenario, means
the suite cannot be shown to catch it: these tests fail so it cannot go unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

from cscsandbox.defects import DEFECTS
from selftest import expectations, features_index

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


@pytest.mark.parametrize("defect", sorted(d for d, e in TABLE.items() if e.args))
def test_only_should_catches_need_strict_grading(defect: str) -> None:
    """The default run fails on every other defect; --csc-strict only turns the finding a
    SHOULD-level catch gives in the default run into a failure the self-test can see."""
    entry = TABLE[defect]
    assert entry.args == ("--csc-strict",), f"{defect}: extra options {entry.args}"
    lenient = [str(c) for c in entry.catch if c.stable_id in SCENARIOS
               and "should" not in SCENARIOS[c.stable_id].tags]
    assert not lenient, f"{defect}: {lenient} are MUST scenarios; the default run must fail them"


def test_expectations_take_no_config_overrides(tmp_path: Path) -> None:
    (tmp_path / "e.toml").write_text('[x]\nselect = "a"\nconfig = { par_expires_in = 3 }\n')
    with pytest.raises(ValueError, match="no config overrides"):
        expectations.load(tmp_path / "e.toml")


def test_catch_parser_rejects_malformed_ids() -> None:
    assert str(expectations.parse_catch("id_signhash_007[v1]")) == "id_signhash_007[v1]"
    for bad in ("signhash_007", "id_signhash_007[v3]", "id_signhash"):
        with pytest.raises(ValueError):
            expectations.parse_catch(bad)
