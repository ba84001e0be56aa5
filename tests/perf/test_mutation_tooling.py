"""The mutation run's own logic: which scenarios a mutant runs, which mutants are set aside by
rule, the sample, and how a kill is read. A mistake here would make the score mean nothing."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks" / "mutation"))

import report  # noqa: E402
import scenarios  # noqa: E402
import sessions  # noqa: E402

from cscsuite.tags import AREAS  # noqa: E402

PACKAGES = ("csc", "oauth", "pki", "login")


def test_every_mutated_module_has_areas_and_every_area_exists() -> None:
    modules = {str(p.relative_to(REPO / "src/cscsandbox"))
               for pkg in PACKAGES for p in (REPO / "src/cscsandbox" / pkg).glob("*.py")}
    with_code = {m for m in modules if (REPO / "src/cscsandbox" / m).stat().st_size > 200}
    assert with_code <= set(scenarios.AREAS), sorted(with_code - set(scenarios.AREAS))
    named = {word for expr in scenarios.AREAS.values() for word in expr.split() if word != "or"}
    assert named <= set(AREAS), sorted(named - set(AREAS))


def test_a_mutant_runs_its_areas_and_stops_at_the_first_failure(tmp_path: Path) -> None:
    cmd = scenarios.pytest_command(tmp_path, "oauth/revocation.py", tmp_path / "r")
    assert cmd[-2:] == ["-m", "revoke"]
    assert "-x" in cmd
    assert scenarios.pytest_command(tmp_path, None, tmp_path / "r").count("-m") == 1  # -m pytest


def test_only_annotations_of_pep563_modules_are_set_aside(tmp_path: Path) -> None:
    code = """\
        from __future__ import annotations
        def f(a: int | None, b=1 | 2) -> str | None:
            x: list[int] | None = None
            return a | b
        """
    module = tmp_path / "m.py"
    module.write_text(textwrap.dedent(code))
    spans = sessions.annotation_lines(module)
    inside = lambda line, col: any(sessions._inside((line, col), s) for s in spans)  # noqa: E731
    assert inside(2, 13)          # the | of "int | None"
    assert inside(2, 38)          # the | of the return annotation
    assert inside(3, 16)          # the | of the variable annotation
    assert not inside(2, 25)      # the | of the default value 1 | 2: evaluated
    assert not inside(4, 13)      # the | of the body
    module.write_text(textwrap.dedent(code).split("\n", 1)[1])
    assert sessions.annotation_lines(module) == set()  # evaluated annotations can fail: no rule


def test_the_sample_is_seeded_and_the_same_for_every_worker() -> None:
    keys = [f"m.py:{i}:AddNot:{i}" for i in range(100)]
    first = sessions.choose(keys, 10, seed=15)
    assert first == sessions.choose(list(reversed(keys)), 10, seed=15)
    assert first != sessions.choose(keys, 10, seed=16)
    assert len(sessions.choose(keys, 500, seed=15)) == 100


@pytest.mark.parametrize(("output", "kind"), [
    ("timeout", "timeout"),
    ("FAILED x\n1 failed, 3 passed, 9 deselected in 4.1s\n", "failed scenario"),
    ("ERROR x\n1 passed, 231 deselected, 1 error in 3.00s\n", "scenario error"),
    ("203 deselected in 0.99s\nERROR: the embedded service exited with code 1",
     "service did not start"),
    ("", "other"),
])
def test_a_kill_is_read_from_the_suites_summary(output: str, kind: str) -> None:
    assert report.kill_kind(output) == kind


def test_classified_survivors_need_a_class_and_a_reason(tmp_path: Path) -> None:
    good = tmp_path / "ok.toml"
    good.write_text('[[survivor]]\nkey = "a"\nclass = "equivalent"\nwhy = "same value"\n')
    assert report.classified(good)["a"]["class"] == "equivalent"
    bad = tmp_path / "bad.toml"
    bad.write_text('[[survivor]]\nkey = "a"\nclass = "fine"\nwhy = ""\n')
    with pytest.raises(SystemExit):
        report.classified(bad)


def test_a_mutated_line_maps_to_its_statement_and_the_scenarios_that_ran_it() -> None:
    import coverage_map

    source = textwrap.dedent("""\
        LIMIT = 3
        def check(count, used):
            if (count >
                    LIMIT - used):
                raise ValueError("too many")
            return True
        """)
    assert coverage_map.statement_lines(source, 4) == {3, 4}  # the if spans lines 3-4
    assert coverage_map.statement_lines(source, 5) == {5}
    table = {"csc/sad.py": {"1": [coverage_map.STARTUP], "3": ["t::a", "t::b"], "5": ["t::b"]},
             coverage_map.DURATIONS: {"t::a": 5.0, "t::b": 0.5}}
    assert coverage_map.select(table, "csc/sad.py", source, [4]) == (
        ["t::b", "t::a"], "2 scenario(s) execute line [4]")  # the cheaper scenario first
    table[coverage_map.AREA] = {"t::a": "signhash", "t::b": "errors"}
    assert coverage_map.select(table, "csc/sad.py", source, [4], prefer="signhash")[0] == [
        "t::a", "t::b"]  # the module's own area first, then the cheapest
    assert coverage_map.select(table, "csc/sad.py", source, [6])[0] == []  # nothing runs it
    assert coverage_map.select(table, "csc/sad.py", source, [1])[0] is None  # start-up: areas


def test_a_mutant_of_state_the_service_keeps_runs_every_reader_of_that_state() -> None:
    """Keys and certificates are made once per service and served to every later scenario: the
    map credits their lines to the first scenario only, so the selection is every reader."""
    from coverage_map import SHARED_STATE, STARTUP, STATE_READERS, select
    assert "pki/keys.py" in SHARED_STATE and STATE_READERS == "pki/store.py"
    table = {"pki/keys.py": {"30": ["t::first"]},
             "pki/store.py": {"1": [STARTUP], "141": ["t::first", "t::later"], "181": ["t::crl"]},
             "(durations)": {"t::first": 1.0, "t::later": 2.0, "t::crl": 0.5}}
    nodes, why = select(table, "pki/keys.py", "x = 1\n" * 40, [30])
    assert nodes == ["t::crl", "t::first", "t::later"]
    assert why == "3 scenario(s) read the state pki/keys.py builds"
    assert select(table, "csc/sad.py", "x = 1\n" * 40, [3])[0] == []  # others: by their lines


def test_the_rerun_options_pick_their_survivors(monkeypatch) -> None:
    import argparse

    import mutate
    monkeypatch.setattr(mutate, "classified", lambda _: {
        "csc/a.py:1:X:0": {"class": "gap"}, "csc/b.py:2:X:0": {"class": "untestable"}})
    base = dict(rerun_survivors=False, rerun_capped=False, rerun_gaps=False,
                rerun_unclassified=False, rerun_matching=None)

    def picked(**opts: object) -> list[str]:
        again = mutate.rerun_rule(argparse.Namespace(**{**base, **opts}))
        return [k for k in ("csc/a.py:1:X:0", "csc/b.py:2:X:0", "pki/c.py:3:X:0")
                if again(k, "mutated: ...; 3 scenario(s) execute line [3]; running 3")]

    assert picked() == []
    assert picked(rerun_gaps=True) == ["csc/a.py:1:X:0"]
    assert picked(rerun_unclassified=True) == ["pki/c.py:3:X:0"]
    assert picked(rerun_matching="^csc/b") == ["csc/b.py:2:X:0"]
    assert len(picked(rerun_survivors=True)) == 3


def test_only_a_capped_selection_is_run_again_in_full() -> None:
    import mutate
    assert mutate.coarse("mutated: csc/a.py; 90 scenario(s) execute line [3]; capped at the 30 "
                         "cheapest of 90; running 30 scenario(s)")
    assert not mutate.coarse("mutated: csc/a.py; line [1] runs at start-up; running the areas "
                             "'signhash'")  # its whole areas already ran
    assert not mutate.coarse("mutated: csc/a.py; 3 scenario(s) execute line [3]; running 3")
