"""Which scenarios execute each line of the service: the map that makes a mutant cheap.

The baseline of a mutation run is one serial conformance run with coverage.py in the service
process (``covhook/sitecustomize.py``) and each scenario's node id as the dynamic context
(``context_plugin.py``). The result, ``{module: {line: [node ids]}}``, lets a mutant run only the
scenarios that execute the mutated statement, the way mutmut and cosmic-ray's own coverage
filters select tests, but across the process boundary between suite and service.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import coverage

HERE = Path(__file__).resolve().parent
PACKAGE = "src/cscsandbox/"
STARTUP = "(start-up or between scenarios)"
DURATIONS = "(durations)"
AREA = "(areas)"  # each scenario's area tag in the baseline (summary.json)
START_UP = "runs at start-up"
#: Modules whose work the service keeps for its lifetime: keys, certificates and authorities
#: are made once (``PkiStore`` caches them) and served to every later scenario. The map credits
#: their lines to whichever scenario happened to come first, so a mutant there runs every
#: scenario that reads the store (any line of ``STATE_READERS``).
SHARED_STATE = frozenset({"pki/keys.py", "pki/certs.py", "pki/store.py", "pki/tsa_certs.py"})
STATE_READERS = "pki/store.py"


def record(work: Path, out: Path, reports: Path) -> int:
    """The full conformance run on ``work`` with per-scenario coverage of the service; writes the
    map to ``out`` and returns pytest's exit status (non-zero: the baseline failed)."""
    data_dir = out.parent / "coverage-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    for old in data_dir.glob(".coverage*"):
        old.unlink()
    context = out.parent / "coverage-context"
    context.write_text("")
    env = dict(os.environ, CSC_MUTATION_COVERAGE_DATA=str(data_dir / ".coverage"),
               CSC_MUTATION_CONTEXT_FILE=str(context), PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=os.pathsep.join([str(HERE / "covhook"), str(HERE), str(work / "src"),
                                           str(work)]))
    cmd = [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:randomly",
           "-p", "no:cacheprovider", "-p", "context_plugin", f"--reports-dir={reports}",
           "--rootdir", str(work)]
    status = subprocess.run(cmd, cwd=work, env=env, timeout=3600, check=False).returncode
    table: dict[str, Any] = dict(build(data_dir))
    table[DURATIONS] = durations(reports / "summary.json")
    table[AREA] = areas(reports / "summary.json")
    out.write_text(json.dumps(table, indent=0, sort_keys=True))
    return status


def areas(summary: Path) -> dict[str, str]:
    """Each scenario's area in the baseline (``summary.json`` of the reports)."""
    if not summary.exists():
        return {}
    scenarios = json.loads(summary.read_text()).get("scenarios", {})
    return {node: str(row.get("area") or "") for node, row in scenarios.items()}


def durations(summary: Path) -> dict[str, float]:
    """Each scenario's duration in the baseline (``summary.json`` of the reports)."""
    if not summary.exists():
        return {}
    scenarios = json.loads(summary.read_text()).get("scenarios", {})
    return {node: float(row.get("duration") or 0) for node, row in scenarios.items()}


def build(data_dir: Path) -> dict[str, dict[str, list[str]]]:
    cov = coverage.Coverage(data_file=str(data_dir / ".coverage"))
    cov.combine([str(data_dir)], keep=True)
    data = cov.get_data()
    table: dict[str, dict[str, list[str]]] = {}
    for filename in data.measured_files():
        if PACKAGE not in filename:
            continue
        module = filename.split(PACKAGE, 1)[1]
        by_line = data.contexts_by_lineno(filename)
        table[module] = {str(line): sorted(c or STARTUP for c in contexts)
                         for line, contexts in by_line.items() if contexts}
    return table


def changed_lines(work: Path, module: str) -> list[int]:
    """Lines of the committed module that the mutant changed (``git diff -U0`` hunks)."""
    diff = subprocess.run(["git", "-C", str(work), "diff", "-U0", "--", PACKAGE + module],
                          capture_output=True, text=True, check=True, timeout=30).stdout
    lines: list[int] = []
    for start, count in re.findall(r"^@@ -(\d+)(?:,(\d+))? ", diff, flags=re.M):
        lines += range(int(start), int(start) + (int(count) if count else 1))
    return lines


def statement_lines(source: str, line: int) -> set[int]:
    """The line itself and the first line of the innermost statement holding it: coverage
    records a multi-line statement under its first line."""
    holding = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.stmt)
               and node.lineno <= line <= (node.end_lineno or node.lineno)]
    best = min(holding, key=lambda n: ((n.end_lineno or n.lineno) - n.lineno, -n.lineno),
               default=None)
    return {line} | ({best.lineno} if best else set())


def select(table: dict[str, Any], module: str, source: str, lines: list[int],
           prefer: str = "") -> tuple[list[str] | None, str]:
    """The scenarios that execute the mutated statement: those of the module's own area
    ``prefer`` first, each group cheapest first (with ``-x`` a killed mutant stops at its first
    failure, so this brings that failure forward, and a capped selection keeps the scenarios
    about the module's rules), or None when the statement runs at start-up (every scenario may
    depend on it: the caller falls back to the module's areas)."""
    covered = table.get(module, {})
    found: set[str] = set()
    if module in SHARED_STATE:
        for nodes in table.get(STATE_READERS, {}).values():
            found.update(n for n in nodes if n != STARTUP)  # its imports run at start-up
        what = f"{len(found)} scenario(s) read the state {module} builds"
    else:
        for line in lines:
            for number in statement_lines(source, line):
                found.update(covered.get(str(number), ()))
        what = f"{len(found)} scenario(s) execute line {lines}"
    if STARTUP in found:
        return None, f"line {lines} {START_UP}"
    cost, area = table.get(DURATIONS, {}), table.get(AREA, {})
    return sorted(found, key=lambda node: (area.get(node) != prefer, cost.get(node, 0.0),
                                           node)), what
