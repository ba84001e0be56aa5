"""Counting and judging fuzz answers, and collecting the figures of a run across xdist workers."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fuzz.inputs import Answer
from selftest.processes import REPO_ROOT

TALLY_DIR = Path(os.environ.get("CSC_FUZZ_REPORT_DIR", REPO_ROOT / "reports-fuzz"))
MAX_PROBLEMS = 50


def problem_with(label: str, answer: Answer) -> str | None:
    """Why an answer breaks the service's error contract, or None when it is fine."""
    if answer.status < 0:
        return f"{label}: no answer ({answer.failure})"
    if answer.status >= 500:
        return f"{label}: HTTP {answer.status} {answer.body[:200]!r}"
    if not 400 <= answer.status < 500:
        return None
    if "/oauth2/authorize " in label and answer.content_type.startswith("text/html"):
        return None  # RFC 6749 §4.1.2.1: an untrusted redirect_uri gets a page, not a redirect
    if not answer.content_type.startswith("application/json"):
        return f"{label}: HTTP {answer.status} with Content-Type {answer.content_type!r}"
    try:
        body = json.loads(answer.body)
    except ValueError:
        return f"{label}: HTTP {answer.status} body is not JSON: {answer.body[:120]!r}"
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return f"{label}: HTTP {answer.status} without a string 'error': {answer.body[:200]!r}"
    return None


@dataclass
class Tally:
    """Requests sent, their statuses, and the first problems found."""

    requests: int = 0
    server_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def observe(self, label: str, answer: Answer) -> None:
        self.requests += 1
        self.statuses[answer.status] += 1
        if answer.status >= 500:
            self.server_errors += 1
        problem = problem_with(label, answer)
        if problem and len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def record_tally(config: pytest.Config, key: str, tally: Tally) -> None:
    """Append this test's figures to the run's tally file (one file per xdist worker)."""
    TALLY_DIR.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    line = {"key": key, "requests": tally.requests, "server_errors": tally.server_errors,
            "problems": len(tally.problems)}
    with (TALLY_DIR / f"tally-{worker}.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


def clear_tallies() -> None:
    for old in TALLY_DIR.glob("tally-*.jsonl"):
        old.unlink()


def summarize_tallies() -> dict[str, int]:
    """Totals over every worker's tally file; also written to ``fuzz.json``."""
    totals = {"requests": 0, "server_errors": 0, "problems": 0, "tests": 0}
    for path in TALLY_DIR.glob("tally-*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            totals["tests"] += 1
            for key in ("requests", "server_errors", "problems"):
                totals[key] += int(item[key])
    if totals["tests"]:
        (TALLY_DIR / "fuzz.json").write_text(json.dumps(totals, indent=2) + "\n", encoding="utf-8")
    return totals
