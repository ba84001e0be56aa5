"""The mutation ledger: verdicts written by one machine's run are taken back by a new run of the
same mutated code, and only by it. A mistake here would carry a verdict to the wrong mutant."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks" / "mutation"))

import ledger  # noqa: E402
import sessions  # noqa: E402
from cosmic_ray import work_item  # noqa: E402
from cosmic_ray.work_db import use_db  # noqa: E402
from cosmic_ray.work_item import (  # noqa: E402
    MutationSpec,
    WorkerOutcome,
    WorkItem,
    WorkResult,
)

RunOutcome = work_item.TestOutcome  # by another name: pytest would try to collect a Test* class

MUTANTS = [("a", 3, "ReplaceTrueWithFalse", 0), ("b", 7, "AddNot", 1), ("c", 9, "AddNot", 2),
           ("d", 12, "NumberReplacer", 0)]


def _session(path: Path) -> Path:
    with use_db(str(path)) as db:
        for job, line, op, occ in MUTANTS:
            db.add_work_item(WorkItem(job_id=job, mutations=[MutationSpec(
                module_path="src/cscsandbox/csc/m.py", operator_name=f"core/{op}",
                occurrence=occ, start_pos=(line, 0), end_pos=(line, 4))]))
    return path


def _verdicts(path: Path) -> dict[str, str]:
    return {o.mutant.job_id: o.verdict for o in sessions.outcomes(path)}


def test_a_new_session_takes_back_the_verdicts_of_the_same_code(tmp_path: Path) -> None:
    first = _session(tmp_path / "first.sqlite")
    output = "mutated: csc/m.py; running 3 scenario(s)\n" + "\n".join(
        f"line {i}" for i in range(40)) + "\n1 failed, 2 passed in 3.00s"
    with use_db(str(first)) as db:
        db.set_result("a", WorkResult(WorkerOutcome.NORMAL, output, RunOutcome.KILLED, "-x\n+y"))
        db.set_result("b", WorkResult(WorkerOutcome.NORMAL, "ok", RunOutcome.SURVIVED, "-p\n+q"))
        db.set_result("c", WorkResult(WorkerOutcome.EXCEPTION, "boom", None, None))
    sessions.skip(first, ["d"], sessions.NOT_SAMPLED)
    state = {"commit": "abc", "seed": 15, "chunks": [{"wall_s": 60.0, "mutants": 3}]}
    book = tmp_path / "ledger.json"
    assert ledger.save(state, [first], "code-1", book) == 2  # the error runs again
    kept_sample = ledger.load(book)
    assert kept_sample["eligible"] == 4 and kept_sample["commit"] == "abc"
    assert kept_sample["sample"] == {"csc/m.py:3:ReplaceTrueWithFalse:0": [0, 0],
                                     "csc/m.py:7:AddNot:1": [0, 0],
                                     "csc/m.py:9:AddNot:2": [0, 0]}  # column, rank: for carry

    second = _session(tmp_path / "second.sqlite")
    new_state: dict = {}
    assert ledger.restore(new_state, [second], "code-1", book) == 2
    assert _verdicts(second) == {"a": "killed", "b": "survived", "c": "pending", "d": "pending"}
    kept = {o.mutant.job_id: o for o in sessions.outcomes(second)}
    assert kept["a"].output.startswith("mutated: csc/m.py") and "1 failed" in kept["a"].output
    assert len(kept["a"].output.splitlines()) == ledger.TAIL_LINES + 2
    assert kept["b"].diff == "-p\n+q"  # a survivor's diff, for whoever classifies it
    assert new_state["chunks"] == state["chunks"]  # the wall time of the run so far


def _one_kill_saved(tmp_path: Path) -> Path:
    """A ledger of code ``code-1`` holding one killed mutant, ``a``."""
    first = _session(tmp_path / "first.sqlite")
    with use_db(str(first)) as db:
        db.set_result("a", WorkResult(WorkerOutcome.NORMAL, "x", RunOutcome.KILLED, None))
    book = tmp_path / "ledger.json"
    ledger.save({"commit": "abc"}, [first], "code-1", book)
    return book


def test_other_code_takes_back_nothing(tmp_path: Path) -> None:
    book = _one_kill_saved(tmp_path)
    second = _session(tmp_path / "second.sqlite")
    assert ledger.restore({}, [second], "code-2", book) == 0
    assert set(_verdicts(second).values()) == {"pending"}


def test_saving_keeps_the_ledgers_verdicts_the_sessions_did_not_run(tmp_path: Path) -> None:
    book = _one_kill_saved(tmp_path)
    other = _session(tmp_path / "other.sqlite")
    with use_db(str(other)) as db:
        db.set_result("d", WorkResult(WorkerOutcome.NORMAL, "y", RunOutcome.SURVIVED, "-1\n+2"))
    assert ledger.save({"commit": "def"}, [other], "code-1", book) == 2
    assert ledger.save({"commit": "def"}, [other], "code-2", book) == 1  # new code: start over


def test_the_code_id_follows_the_python_files_of_the_mutated_packages(tmp_path: Path) -> None:
    def commit(path: str, text: str) -> str:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
        git("add", "-A")
        git("commit", "-qm", path)
        return ledger.code_id(tmp_path, ["pkg"])

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                       cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    first = commit("pkg/m.py", "x = 1\n")
    assert commit("pkg/notes.md", "words\n") == first  # not Python: the mutants are the same
    assert commit("other/n.py", "y = 2\n") == first  # outside the mutated packages
    assert commit("pkg/m.py", "x = 2\n") != first
