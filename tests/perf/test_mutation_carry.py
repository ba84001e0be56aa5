"""Carrying the mutation sample over a fix of the service: each sampled mutant must follow its
own line to the new code, and survivors.toml's keys with it. A mistake here would hand one
mutant's classification to another."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks" / "mutation"))

import carry  # noqa: E402
from sessions import Mutant  # noqa: E402

OLD = textwrap.dedent("""\
    def f(a):
        if a == 1:
            return 2
        return a + 1
""")
NEW = textwrap.dedent("""\
    import os

    def f(a):
        if a is None:
            return 0
        if a == 1:
            return 2
        return a + 1
""")


def _m(line: int, op: str, occ: int, col: int, module: str = "csc/m.py") -> Mutant:
    return Mutant(module, op, occ, line, f"{module}{line}{op}{occ}", col)


def test_unchanged_lines_map_to_where_they_moved() -> None:
    kept = carry.line_map(OLD, NEW)
    assert kept == {1: 3, 2: 6, 3: 7, 4: 8}
    assert carry.line_map(OLD, "") == {}


def test_mutants_at_one_spot_are_told_apart_by_rank() -> None:
    found = carry.spots([_m(3, "NumberReplacer", 1, 11), _m(3, "NumberReplacer", 0, 11)])
    assert found["csc/m.py:3:NumberReplacer:0"][4] == 0
    assert found["csc/m.py:3:NumberReplacer:1"][4] == 1


def test_a_sampled_mutant_follows_its_line_and_new_lines_join_at_the_rate() -> None:
    old = {"csc/m.py:2:ReplaceComparisonOperator_Eq_Lt:0": [4, 0],
           "csc/m.py:3:NumberReplacer:1": [11, 1],
           "csc/m.py:9:AddNot:0": [0, 0]}  # its line is gone
    new = [_m(4, "ReplaceComparisonOperator_Eq_Lt", 0, 4),  # the added 'a is None' line
           _m(6, "ReplaceComparisonOperator_Eq_Lt", 1, 4),
           _m(7, "NumberReplacer", 2, 11), _m(7, "NumberReplacer", 3, 11),
           _m(5, "NumberReplacer", 0, 11), _m(5, "NumberReplacer", 1, 11)]
    moved = carry.carry(old, lambda m: OLD, lambda m: NEW, new, rate=1.0, seed=15)
    assert moved.moved == {"csc/m.py:2:ReplaceComparisonOperator_Eq_Lt:0":
                           "csc/m.py:6:ReplaceComparisonOperator_Eq_Lt:1",
                           "csc/m.py:3:NumberReplacer:1": "csc/m.py:7:NumberReplacer:3"}
    assert moved.gone == ["csc/m.py:9:AddNot:0"]
    # rate 1: every mutant of a changed line joins; none of an unchanged line that was not
    # sampled (line 7's other NumberReplacer stays out)
    assert moved.joined == ["csc/m.py:4:ReplaceComparisonOperator_Eq_Lt:0",
                            "csc/m.py:5:NumberReplacer:0", "csc/m.py:5:NumberReplacer:1"]
    none = carry.carry(old, lambda m: OLD, lambda m: NEW, new, rate=0.0, seed=15)
    assert none.joined == [] and none.moved == moved.moved


def test_the_draw_for_new_mutants_is_seeded() -> None:
    new = [_m(line, "AddNot", line, 0) for line in range(1, 9)]
    first = carry.carry({}, lambda m: "", lambda m: NEW, new, rate=0.5, seed=15).joined
    again = carry.carry({}, lambda m: "", lambda m: NEW, new, rate=0.5, seed=15).joined
    other = carry.carry({}, lambda m: "", lambda m: NEW, new, rate=0.5, seed=16).joined
    assert first == again and 0 < len(first) < 8 and other != first


def test_survivors_keys_move_and_the_rest_of_the_file_stays(tmp_path: Path) -> None:
    path = tmp_path / "survivors.toml"
    path.write_text('# header\n[[survivor]]\nkey = "csc/m.py:3:NumberReplacer:1"\n'
                    'class = "untestable"\nwhy = "key = \\"x\\" in a reason"\n\n'
                    '[[survivor]]\nkey = "pki/x.py:5:AddNot:0"\nclass = "gap"\nwhy = "w"\n')
    assert carry.rekey(path, {"csc/m.py:3:NumberReplacer:1": "csc/m.py:7:NumberReplacer:3"}) == 1
    text = path.read_text()
    assert 'key = "csc/m.py:7:NumberReplacer:3"' in text and "csc/m.py:3:" not in text
    assert text.startswith("# header") and 'key = "pki/x.py:5:AddNot:0"' in text
