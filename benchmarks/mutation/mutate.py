"""Mutation testing of the embedded service with cosmic-ray, the conformance suite as the test.

    .venv/bin/python benchmarks/mutation/mutate.py run --sample 400 --minutes 120
    .venv/bin/python benchmarks/mutation/mutate.py run              # resume where it stopped
    .venv/bin/python benchmarks/mutation/mutate.py report

cosmic-ray (PyPI) generates the mutants of the rule-deciding and signature-producing packages
(``src/cscsandbox/{csc,oauth,pki,login}``) and applies each in place in a private clone of HEAD
under ``.mutation/``; the test command (``scenarios.py``) runs the conformance scenarios of the
mutated module's areas, and the service the suite starts imports the mutated clone.

Bounded and resumable: ``--minutes`` stops the run (the mutant in progress is undone and runs
again next time); results live in cosmic-ray session databases, so ``run`` goes on with what is
pending. Every chunk also writes its verdicts to ``ledger.json`` (``ledger.py``): committed, it
lets a run begun on another machine go on where it stopped, as long as the mutated code is the
same. Mutants that only change an unevaluated annotation are set aside by rule; of the rest a
seeded random sample runs (``--sample``). ``report`` gives the counts and the score, and lists
the survivors that ``survivors.toml`` does not classify yet.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import carry  # noqa: E402
import coverage_map  # noqa: E402
import ledger  # noqa: E402
import sessions  # noqa: E402
from report import classified, report  # noqa: E402
from scenarios import CAPPED  # noqa: E402

STATE_DIR = ROOT / ".mutation"
MAP = STATE_DIR / "coverage-map.json"
PACKAGES = ["src/cscsandbox/csc", "src/cscsandbox/oauth", "src/cscsandbox/pki",
            "src/cscsandbox/login"]
PER_MUTANT_TIMEOUT_S = 600.0


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip()


def load_state() -> dict:
    path = STATE_DIR / "state.json"
    return json.loads(path.read_text()) if path.exists() else {}


def save_state(state: dict) -> None:
    STATE_DIR.mkdir(exist_ok=True)
    (STATE_DIR / "state.json").write_text(json.dumps(state, indent=2))


def work_copy(i: int) -> Path:
    return STATE_DIR / f"work-{i}"


def session_db(i: int) -> Path:
    return STATE_DIR / f"session-{i}.sqlite"


def prepare_copy(i: int, commit: str) -> Path:
    """A clean clone of ``commit`` for worker ``i`` (cosmic-ray mutates its files in place)."""
    work = work_copy(i)
    if not work.exists():
        git("clone", "--quiet", "--no-checkout", str(ROOT), str(work))
    git("fetch", "--quiet", str(ROOT), commit, cwd=work)
    git("checkout", "--quiet", "--force", commit, cwd=work)
    git("clean", "-fdqx", cwd=work)  # also what a mutant wrote (a key cache in the wrong place)
    return work


def write_config(i: int) -> Path:
    """cosmic-ray's configuration for worker ``i``: the packages, the test command, the bound."""
    config = STATE_DIR / f"cosmic-ray-{i}.toml"
    command = f"{sys.executable} {HERE / 'scenarios.py'}"
    config.write_text(
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(PACKAGES)}\n"
        f"timeout = {PER_MUTANT_TIMEOUT_S}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(command)}\n\n"
        "[cosmic-ray.distributor]\nname = \"local\"\n")
    return config


def baseline(work: Path) -> None:
    """The unmutated clone must pass the whole run, or every mutant would look killed. The same
    run records which scenarios execute each line of the service (the coverage map)."""
    print("baseline: the conformance run on the unmutated clone, with coverage ...", flush=True)
    started = time.monotonic()
    status = coverage_map.record(work, MAP, STATE_DIR / "reports-baseline")
    if status != 0:  # once seen: a service started under coverage died importing argparse
        print(f"baseline: failed (exit {status}); running it once more, see "
              f"{STATE_DIR / 'reports-baseline'} for the first", flush=True)
        status = coverage_map.record(work, MAP, STATE_DIR / "reports-baseline-2")
    if status != 0:
        sys.exit(f"mutate: the baseline run failed (exit {status}); fix it first")
    print(f"baseline: passed in {time.monotonic() - started:.0f} s", flush=True)


def _env(work: Path, tag: str) -> dict[str, str]:
    return dict(os.environ, CSC_MUTATION_REPORTS=str(STATE_DIR / f"reports-{tag}"),
                CSC_MUTATION_MAP=str(MAP), PYTHONDONTWRITEBYTECODE="1")


def init_sessions(state: dict, workers: int, sample: int, seed: int, book: dict,
                  code: str) -> None:
    """cosmic-ray ``init`` per worker, then: annotations aside, the sample split over workers
    (the ledger's sample where it holds one, carried over to new code if the code changed)."""
    chosen: list[str] = []
    for i in range(workers):
        work = work_copy(i)
        subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "init", str(write_config(i)),
                        str(session_db(i)), "--force"], cwd=work, check=True, timeout=300)
        found = sessions.mutants(session_db(i))
        equivalent = sessions.in_annotation(work, session_db(i))
        sessions.skip(session_db(i), equivalent, sessions.ANNOTATION)
        eligible = {m.key: m for m in found if m.job_id not in equivalent}
        chosen = chosen or pick(eligible, sample, seed, book, state["commit"], code)
        mine = set(chosen[i::workers])
        sessions.skip(session_db(i), [m.job_id for k, m in eligible.items() if k not in mine],
                      sessions.NOT_SAMPLED)
        state.update(generated=len(found), by_rule=len(equivalent), sampled=len(chosen))
    print(f"init: {state['generated']} mutants generated; {state['by_rule']} set aside by rule; "
          f"{state['sampled']} sampled (seed {seed}) over {workers} worker(s)", flush=True)


def pick(eligible: dict[str, sessions.Mutant], size: int, seed: int, book: dict,
         commit: str, code: str) -> list[str]:
    """The sample: the ledger's (same code), or the ledger's carried over to the new code with
    the keys of ``survivors.toml`` moved along, or else a new seeded sample."""
    old = book.get("sample")
    if not old or not book.get("commit"):
        return sessions.choose(eligible, size, seed)
    if book.get("code") == code:
        return sorted(key for key in old if key in eligible)
    carried = carry.carry(old, _reader(book["commit"]), _reader(commit), eligible.values(),
                          len(old) / max(book.get("eligible") or 1, 1), book.get("seed") or seed)
    moved = carry.rekey(HERE / "survivors.toml", carried.moved)
    print(f"carry: the mutated code changed since the ledger's sample ({book['commit'][:12]}): "
          f"{len(carried.moved)} sampled mutants followed to the new code ({moved} keys of "
          f"survivors.toml moved with them), {len(carried.gone)} gone with their lines, "
          f"{len(carried.joined)} new ones on changed lines joined", flush=True)
    for key in carried.gone:
        print(f"carry: gone: {key}", flush=True)
    return carried.sample()


def _reader(commit: str) -> Callable[[str], str]:
    def read(module: str) -> str:
        done = subprocess.run(["git", "show", f"{commit}:src/cscsandbox/{module}"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60, check=False)
        return done.stdout if done.returncode == 0 else ""
    return read


def execute(workers: int, minutes: float, state: dict) -> None:
    """Run the pending mutants of every worker in parallel, until done or the time is up."""
    deadline = time.monotonic() + minutes * 60
    procs = []
    for i in range(workers):
        log = (STATE_DIR / f"exec-{i}.log").open("a")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "cosmic_ray.cli", "exec", str(write_config(i)),
             str(session_db(i))], cwd=work_copy(i), env=_env(work_copy(i), str(i)),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    before = _finished(workers)
    started = time.time()
    try:
        while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
            time.sleep(5)
    finally:  # also when stopped: undo a mutant left in place, and count what ran
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                _wait_or_kill(p)
        for i in range(workers):
            git("checkout", "--quiet", "--force", state["commit"], "--", "src", cwd=work_copy(i))
        ran = _finished(workers) - before
        state.setdefault("chunks", []).append(
            {"started": started, "wall_s": round(time.time() - started, 1), "mutants": ran,
             "workers": workers})
        save_state(state)
        keep(state)
        print(f"exec: {ran} mutant(s) in {time.time() - started:.0f} s", flush=True)


def _wait_or_kill(proc: subprocess.Popen) -> None:
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _finished(workers: int) -> int:
    return sum(o.verdict not in ("pending", "skipped")
               for i in range(workers) for o in sessions.outcomes(session_db(i)))


def coarse(output: str) -> bool:
    """Whether a mutant ran a capped selection (``--rerun-capped`` runs it again in full). A
    start-up statement's run of its module's areas was already whole: running it again would
    run the same scenarios."""
    return CAPPED in output


def rerun_rule(args: argparse.Namespace) -> Callable[[str, str], bool]:
    """Which survivors (by key and output) the ``--rerun-*`` options send back to pending."""
    known = classified(HERE / "survivors.toml")
    gaps = {key for key, entry in known.items() if entry["class"] == "gap"}
    matching = re.compile(args.rerun_matching) if args.rerun_matching else None

    def again(key: str, output: str) -> bool:
        return bool(args.rerun_survivors or (args.rerun_capped and coarse(output))
                    or (args.rerun_gaps and key in gaps)
                    or (args.rerun_unclassified and key not in known)
                    or (matching and matching.search(key)))
    return again


def run(args: argparse.Namespace) -> None:
    state = load_state()
    commit = git("rev-parse", "HEAD")
    if git("status", "--porcelain", "--", "src", "features", "steps", "conftest.py"):
        print("mutate: note: uncommitted changes are not in the run (it uses HEAD)", flush=True)
    fresh = args.fresh or not state or state.get("workers") != args.workers
    code = ledger.code_id(ROOT, PACKAGES, commit)
    if not fresh and state["commit"] != commit:
        # Mutants are positions in the mutated packages' Python files: other changes (the
        # suite, a personality's configuration) leave them valid, and the baseline is redone.
        if ledger.code_id(ROOT, PACKAGES, state["commit"]) != code:
            sys.exit("mutate: the mutated code changed since this run began; start over with "
                     "--fresh (the sample and survivors.toml are carried over to the new code)")
    state.update(commit=commit)
    for i in range(args.workers):
        prepare_copy(i, commit)
    if state.get("baseline") != commit:  # the map and the green run belong to one commit
        baseline(work_copy(0))
        state["baseline"] = commit
    if fresh:
        state.update(workers=args.workers, seed=args.seed, chunks=[])
        book = {} if args.new_sample else ledger.load()
        init_sessions(state, args.workers, args.sample, args.seed, book, code)
        taken = 0 if args.fresh else ledger.restore(state, _dbs(args.workers), code)
        if taken:
            print(f"ledger: {taken} verdict(s) taken back from {ledger.LEDGER.name} (same "
                  "mutated code); the rest runs", flush=True)
    again = rerun_rule(args)
    for i in range(args.workers):
        ids = [o.mutant.job_id for o in sessions.outcomes(session_db(i))
               if o.verdict == "survived" and again(o.mutant.key, o.output)]
        sessions.clear_results(session_db(i), ids)
    if args.rerun_capped:
        os.environ["CSC_MUTATION_MAX_SCENARIOS"] = "0"  # pending ones run in full too
    save_state(state)
    execute(args.workers, args.minutes, state)
    save_state(state)
    report(state, _dbs(args.workers), HERE / "survivors.toml")


def _dbs(workers: int) -> list[Path]:
    return [session_db(i) for i in range(workers)]


def keep(state: dict) -> None:
    """Write the run's verdicts to the ledger in the repository (commit it to keep them)."""
    code = ledger.code_id(ROOT, PACKAGES, state["commit"])
    held = ledger.save(state, _dbs(state["workers"]), code)
    print(f"ledger: {held} verdict(s) in {ledger.LEDGER.relative_to(ROOT)}", flush=True)


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("mutate: stopped (SIGTERM)"))  # -> finally
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    go = sub.add_parser("run", help="run pending mutants (start or resume)")
    go.add_argument("--sample", type=int, default=400, help="mutants to run (seeded sample)")
    go.add_argument("--seed", type=int, default=15)
    go.add_argument("--new-sample", action="store_true",
                    help="with --fresh: draw a new sample (--sample, --seed), not the ledger's")
    go.add_argument("--workers", type=int, default=1, help="parallel cosmic-ray sessions")
    go.add_argument("--minutes", type=float, default=60.0, help="stop after this long")
    go.add_argument("--fresh", action="store_true",
                    help="discard the verdicts and generate the mutants anew (the ledger's sample "
                         "is kept, carried over to new code)")
    go.add_argument("--rerun-survivors", action="store_true",
                    help="run the survivors again (after the suite gained scenarios)")
    go.add_argument("--rerun-capped", action="store_true",
                    help="run survivors of a coarse selection (capped, or areas) again in full")
    go.add_argument("--rerun-gaps", action="store_true",
                    help="run the survivors classified as gaps again (after scenarios closed "
                         "them: a closed gap must now be killed)")
    go.add_argument("--rerun-unclassified", action="store_true",
                    help="run the survivors nobody has classified yet again (the suite may "
                         "have gained the scenario that kills them)")
    go.add_argument("--rerun-matching", metavar="REGEX", default=None,
                    help="run the survivors whose key matches REGEX again (e.g. '^pki/' after "
                         "the selection of a module changed)")
    sub.add_parser("report", help="counts, score and unclassified survivors")
    sub.add_parser("save", help="write the verdicts so far to ledger.json (done after every run)")
    args = parser.parse_args()
    if args.command == "run":
        run(args)
        return
    state = load_state()
    if not state:
        sys.exit("mutate: no run on this machine yet; 'run' starts one (or takes the verdicts "
                 "of ledger.json back)")
    if args.command == "save":
        keep(state)
    else:
        report(state, _dbs(state["workers"]), HERE / "survivors.toml")


if __name__ == "__main__":
    main()
