"""The self-test expectations (``expectations.toml``): for each defect, which scenarios must fail.

One table per defect::

    [sad-reusable]
    select = "signhash and not browser"     # pytest -m expression of the suite run
    catch = ["id_signhash_012", "id_signhash_013[v2]"]   # "[v1]"/"[v2]": only that instance
    args = ["--csc-strict"]                  # optional: only --csc-strict (@should catches)
    note = "why, when it is not obvious"

Each caught id must fail in at least one instance (or in the named version); every other test of
the run must pass or be skipped.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from selftest.processes import PYTHON, REPO_ROOT

EXPECTATIONS_PATH = Path(__file__).with_name("expectations.toml")
KEYS = frozenset({"select", "catch", "args", "note"})
_CATCH = re.compile(r"^(id_[a-z0-9_]+_\d+)(?:\[(v1|v2)\])?$")


@dataclass(frozen=True)
class Catch:
    stable_id: str
    version: str | None  # None: any instance

    def __str__(self) -> str:
        return f"{self.stable_id}[{self.version}]" if self.version else self.stable_id


@dataclass(frozen=True)
class Expectation:
    defect: str
    select: str
    catch: tuple[Catch, ...]
    args: tuple[str, ...] = ()
    note: str = ""


def parse_catch(text: str) -> Catch:
    match = _CATCH.match(text)
    if not match:
        raise ValueError(f"not a stable id (id_<area>_<nnn>, optional [v1]/[v2]): {text!r}")
    return Catch(match.group(1), match.group(2))


def load(path: Path = EXPECTATIONS_PATH) -> dict[str, Expectation]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table: dict[str, Expectation] = {}
    for defect, entry in data.items():
        unknown = sorted(set(entry) - KEYS)
        if unknown:
            raise ValueError(f"{path}: [{defect}] has unknown key(s) {unknown}: every defect runs "
                             "with the default profile, so there are no config overrides")
        table[defect] = Expectation(
            defect=defect,
            select=str(entry["select"]),
            catch=tuple(parse_catch(c) for c in entry.get("catch", [])),
            args=tuple(entry.get("args", [])),
            note=str(entry.get("note", "")),
        )
    return table


def registered_defects() -> dict[str, str]:
    """Defect name -> description, from ``python -m cscsandbox --list-defects`` (CLI contract)."""
    done = subprocess.run([PYTHON, "-m", "cscsandbox", "--list-defects"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    found: dict[str, str] = {}
    for line in done.stdout.splitlines():
        if line.strip():
            name, _, description = line.strip().partition(" ")
            found[name] = description.strip()
    return found
