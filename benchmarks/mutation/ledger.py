"""A mutation run's results kept in the repository, so that the run outlives its machine.

cosmic-ray's session databases live in ``.mutation/``, which a fresh checkout lacks: a run of a
few hours that a session did not finish, or whose machine went away, had to start over. The
ledger (``ledger.json`` beside this file) holds every finished mutant's verdict by key, with the
output that says how it was caught or which scenarios it survived, and the wall time of every
chunk. A run whose sessions are new takes the verdicts back for the mutants it sampled, provided
the mutated code is the same (``code_id``), and runs only what is left.

A verdict is the suite's at the commit that gave it (``at``); ``mutate.py run --rerun-*`` runs
survivors again after the suite gained scenarios, as before.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterable
from pathlib import Path

import carry
import sessions
from cosmic_ray.work_db import use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

LEDGER = Path(__file__).resolve().parent / "ledger.json"
KEPT = ("killed", "timeout", "survived")  # an error or a pending mutant runs again
TAIL_LINES = 12  # pytest's failures and summary: enough to tell how a mutant was caught


def code_id(root: Path, packages: Iterable[str], commit: str = "HEAD") -> str:
    """A digest of the mutated packages' Python files at ``commit``: mutant keys (module, line,
    operator, occurrence) mean the same mutants exactly when it is unchanged."""
    listing = subprocess.run(["git", "ls-tree", "-r", commit, "--", *packages], cwd=root,
                             capture_output=True, text=True, check=True, timeout=60).stdout
    python = sorted(line for line in listing.splitlines() if line.endswith(".py"))
    return hashlib.sha256("\n".join(python).encode()).hexdigest()[:16]


def brief(output: str) -> str:
    """The first line of a mutant's output (what ran, and whether the selection was capped) and
    its last lines (how it ended)."""
    lines = output.splitlines()
    if len(lines) <= TAIL_LINES + 1:
        return output
    return "\n".join([lines[0], "...", *lines[-TAIL_LINES:]])


def load(path: Path = LEDGER) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save(state: dict, dbs: list[Path], code: str, path: Path = LEDGER) -> int:
    """Write the finished verdicts of ``dbs`` (and those the ledger holds for the same code that
    the sessions did not run) with the run's chunks; returns how many verdicts it holds."""
    old = load(path)
    results = dict(old.get("results", {})) if old.get("code") == code else {}
    every = [o for db in dbs for o in sessions.outcomes(db)]
    for outcome in every:
        if outcome.verdict in KEPT:
            results[outcome.mutant.key] = {
                "verdict": outcome.verdict, "at": state.get("commit", "")[:12],
                "output": brief(outcome.output),
                "diff": outcome.diff if outcome.verdict == "survived" else ""}
    ledger = {
        "code": code, "commit": state.get("commit"), "seed": state.get("seed"),
        "sampled": state.get("sampled"), "generated": state.get("generated"),
        "set_aside_by_rule": state.get("by_rule"), "chunks": state.get("chunks", []),
        **_sample(every), "results": dict(sorted(results.items())),
    }
    path.write_text(json.dumps(ledger, indent=1) + "\n", encoding="utf-8")
    return len(results)


def _sample(every: list[sessions.Outcome]) -> dict:
    """The sample by key, with each mutant's column and rank (``carry`` follows them to new
    code), and how many mutants were eligible (the rate at which new mutants join). ``every``:
    the outcomes of all workers' sessions (each lists every mutant; its share is not skipped)."""
    if not every:
        return {}
    spots = carry.spots({o.mutant.key: o.mutant for o in every}.values())
    eligible = [o for o in every if o.output != sessions.ANNOTATION]
    chosen = sorted(o.mutant.key for o in eligible if o.output != sessions.NOT_SAMPLED)
    return {"eligible": len({o.mutant.key for o in eligible}),
            "sample": {key: list(spots[key][3:]) for key in chosen}}


def restore(state: dict, dbs: list[Path], code: str, path: Path = LEDGER) -> int:
    """Give the pending mutants of new sessions the ledger's verdicts (same code only), and the
    state the ledger's chunks; returns how many verdicts were taken back."""
    ledger = load(path)
    if ledger.get("code") != code:
        return 0
    results, taken = ledger.get("results", {}), 0
    for db in dbs:
        pending = [o for o in sessions.outcomes(db) if o.verdict == "pending"]
        with use_db(str(db)) as work:
            for outcome in pending:
                kept = results.get(outcome.mutant.key)
                if kept and kept["verdict"] in KEPT:
                    work.set_result(outcome.mutant.job_id, _result(kept))
                    taken += 1
    if taken:
        state["chunks"] = list(ledger.get("chunks", []))
    return taken


def _result(kept: dict) -> WorkResult:
    test = TestOutcome.SURVIVED if kept["verdict"] == "survived" else TestOutcome.KILLED
    output = "timeout" if kept["verdict"] == "timeout" else kept["output"]
    return WorkResult(worker_outcome=WorkerOutcome.NORMAL, test_outcome=test, output=output,
                      diff=kept.get("diff") or None)
