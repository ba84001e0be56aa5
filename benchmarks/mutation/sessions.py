"""cosmic-ray sessions of a mutation run: which mutants run, and what became of them.

Everything here goes through cosmic-ray's own work database (``cosmic_ray.work_db``); a mutant
that is not run gets cosmic-ray's ``skipped`` outcome with the reason in its output, so
``cr-report`` shows the same picture as ``mutate.py report``.
"""

from __future__ import annotations

import ast
import random
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cosmic_ray.work_db import use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkItem, WorkResult

ANNOTATION = "equivalent by rule: inside a type annotation of a module with " \
             "'from __future__ import annotations' (PEP 563: never evaluated)"
NOT_SAMPLED = "not in the sample"


@dataclass(frozen=True)
class Mutant:
    """One mutant as this run names it: stable across sessions of the same commit."""

    module: str
    operator: str
    occurrence: int
    line: int
    job_id: str
    col: int = 0

    @property
    def key(self) -> str:
        return f"{self.module}:{self.line}:{self.operator}:{self.occurrence}"


def mutants(session: Path) -> list[Mutant]:
    with use_db(str(session)) as db:
        return [_mutant(item) for item in db.work_items]


def _mutant(item: WorkItem) -> Mutant:
    spec = item.mutations[0]
    module = str(spec.module_path).split("src/cscsandbox/", 1)[-1]
    return Mutant(module, spec.operator_name.removeprefix("core/"), spec.occurrence,
                  spec.start_pos[0], item.job_id, spec.start_pos[1])


def annotation_lines(path: Path) -> set[tuple[int, int, int, int]]:
    """Spans (line, col, end line, end col) of the annotations of a PEP 563 module, else none."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    future = any(isinstance(n, ast.ImportFrom) and n.module == "__future__"
                 and any(a.name == "annotations" for a in n.names) for n in tree.body)
    if not future:
        return set()
    spans = set()
    for node in ast.walk(tree):
        for ann in _annotations(node):
            spans.add((ann.lineno, ann.col_offset, ann.end_lineno or ann.lineno,
                       ann.end_col_offset or 0))
    return spans


def _annotations(node: ast.AST) -> Iterator[ast.expr]:
    if isinstance(node, ast.arg) and node.annotation is not None:
        yield node.annotation
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
        yield node.returns
    elif isinstance(node, ast.AnnAssign):
        yield node.annotation


def in_annotation(work: Path, session: Path) -> set[str]:
    """Job ids of the mutants that only change an unevaluated annotation."""
    spans: dict[str, set[tuple[int, int, int, int]]] = {}
    found = set()
    with use_db(str(session)) as db:
        for item in db.work_items:
            spec = item.mutations[0]
            path = str(spec.module_path)
            if path not in spans:
                spans[path] = annotation_lines(work / path)
            if any(_inside(spec.start_pos, span) for span in spans[path]):
                found.add(item.job_id)
    return found


def _inside(pos: tuple[int, int], span: tuple[int, int, int, int]) -> bool:
    line, col = pos
    return (span[0], span[1]) <= (line, col) < (span[2], span[3])


def choose(keys: Iterable[str], size: int, seed: int) -> list[str]:
    """A seeded random sample of mutant keys, in a stable order (the same for every worker)."""
    ordered = sorted(keys)
    return sorted(random.Random(seed).sample(ordered, min(size, len(ordered))))


def skip(session: Path, job_ids: Iterable[str], reason: str) -> None:
    """Give mutants cosmic-ray's ``skipped`` outcome, with the reason as their output."""
    with use_db(str(session)) as db:
        for job_id in job_ids:
            db.set_result(job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=reason))


def clear_results(session: Path, job_ids: Iterable[str]) -> None:
    """Make finished mutants pending again (after the suite changed, to run them anew)."""
    ids = list(job_ids)
    with sqlite3.connect(session) as db:  # cosmic-ray's WorkDB has no call for this
        db.executemany("DELETE FROM work_results WHERE job_id = ?", [(i,) for i in ids])


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    verdict: str  # killed / survived / timeout / skipped / pending / error
    output: str
    diff: str


def outcomes(session: Path) -> list[Outcome]:
    with use_db(str(session)) as db:
        results = dict(db.results)
        items = list(db.work_items)
    return [_outcome(item, results.get(item.job_id)) for item in items]


def _outcome(item: WorkItem, result: WorkResult | None) -> Outcome:
    mutant = _mutant(item)
    if result is None:
        return Outcome(mutant, "pending", "", "")
    output, diff = result.output or "", result.diff or ""
    if result.worker_outcome == WorkerOutcome.SKIPPED:
        return Outcome(mutant, "skipped", output, diff)
    if result.worker_outcome != WorkerOutcome.NORMAL:
        return Outcome(mutant, "error", output, diff)
    if result.test_outcome == TestOutcome.SURVIVED:
        return Outcome(mutant, "survived", output, diff)
    if result.test_outcome == TestOutcome.KILLED:
        return Outcome(mutant, "timeout" if output == "timeout" else "killed", output, diff)
    return Outcome(mutant, "error", output, diff)
