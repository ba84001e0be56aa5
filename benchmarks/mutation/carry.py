"""Carrying the sample, and the survivors people classified, over a change of the mutated code.

A mutant's key names its line and its occurrence among the module's mutants of that operator, so
fixing the service shifts the keys below the fix, and a seeded ``random.sample`` over a list one
mutant longer is another sample altogether: every fix of the service used to cost a new sample
and a new round of classifying survivors. Instead, each mutant of the old sample is followed to
the new code: its line, if unchanged, to the line it moved to (``difflib`` over the module's
old and new text), then the same operator at the same column (and the same rank among mutants at
that spot). Mutants on changed or added lines are new; they join the sample at the old sample's
rate, chosen by a seeded hash of their key so that the choice does not move again.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import sessions

Spot = tuple[str, str, int, int, int]  # module, operator, line, column, rank at that spot


def line_map(old: str, new: str) -> dict[int, int]:
    """The 1-based lines of ``old`` that ``new`` keeps unchanged, to their new numbers."""
    a, b = old.splitlines(), new.splitlines()
    kept: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            kept[block.a + k + 1] = block.b + k + 1
    return kept


def spots(mutants: Iterable[sessions.Mutant]) -> dict[str, Spot]:
    """Each mutant's spot; mutants at one spot (a number made one larger and one smaller) are
    told apart by their rank in the order of their occurrences."""
    ordered = sorted(mutants, key=lambda m: (m.module, m.operator, m.occurrence))
    seen: dict[tuple[str, str, int, int], int] = {}
    found: dict[str, Spot] = {}
    for m in ordered:
        place = (m.module, m.operator, m.line, m.col)
        found[m.key] = (*place, seen.get(place, 0))
        seen[place] = seen.get(place, 0) + 1
    return found


def module_of(key: str) -> str:
    return key.split(":", 1)[0]


@dataclass(frozen=True)
class Carried:
    moved: dict[str, str]  # old key -> new key, for every old sampled mutant still there
    gone: list[str]  # old sampled mutants whose line changed or went away
    joined: list[str]  # mutants on changed or added lines that join the sample

    def sample(self) -> list[str]:
        return sorted({*self.moved.values(), *self.joined})


def carry(old_sample: dict[str, list[int]], read_old: Callable[[str], str],
          read_new: Callable[[str], str], eligible: Iterable[sessions.Mutant], rate: float,
          seed: int) -> Carried:
    """``old_sample`` maps each old key to its column and rank (``ledger.save`` keeps them);
    ``read_old``/``read_new`` give a module's text before and after; ``eligible`` are the new
    code's mutants that may be sampled."""
    new = spots(eligible)
    where = {spot: key for key, spot in new.items()}
    modules = {module_of(k) for k in old_sample} | {s[0] for s in new.values()}
    maps = {m: line_map(read_old(m), read_new(m)) for m in modules}
    moved, gone = {}, []
    for key, (col, rank) in old_sample.items():
        _, line, operator, _ = key.split(":")
        module = module_of(key)
        to = maps[module].get(int(line))
        target = where.get((module, operator, to, col, rank)) if to is not None else None
        if target is None:
            gone.append(key)
        else:
            moved[key] = target
    kept_lines = {m: set(lines.values()) for m, lines in maps.items()}
    joined = [key for key, spot in new.items()
              if spot[2] not in kept_lines[spot[0]] and _draw(seed, key) < rate]
    return Carried(moved, sorted(gone), sorted(joined))


def _draw(seed: int, key: str) -> float:
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def rekey(path: Path, moved: dict[str, str]) -> int:
    """Rewrite the keys of ``survivors.toml`` that moved (the file keeps its order and text);
    returns how many changed."""
    if not path.exists():
        return 0
    changed = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal changed
        new = moved.get(match.group(2), match.group(2))
        changed += new != match.group(2)
        return f"{match.group(1)}{new}{match.group(3)}"

    text = re.sub(r'^(key = ")([^"]+)(")', swap, path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text, encoding="utf-8")
    return changed
