"""The figures of a mutation run: counts, score, cost, and the survivors nobody classified yet.

``survivors.toml`` holds every survivor someone has looked at, keyed by ``module:line:operator:
occurrence`` with a class (``equivalent``, ``untestable`` or ``gap``) and the reason; a gap names
the scenario that closes it once one does. The report shows only the survivors not in it.
"""

from __future__ import annotations

import json
import re
import time
import tomllib
from collections import Counter
from pathlib import Path

import sessions
from scenarios import CAPPED

CLASSES = ("equivalent", "untestable", "gap")
RESULTS = Path(__file__).resolve().parents[1] / "results"


def classified(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("survivor", [])
    bad = [e for e in entries if e.get("class") not in CLASSES or not e.get("why")]
    if bad:
        raise SystemExit(f"survivors.toml: entries need a class in {CLASSES} and a why: {bad[:3]}")
    return {e["key"]: e for e in entries}


def kill_kind(output: str) -> str:
    """How the suite caught a mutant, from pytest's last line: a failed scenario or an error."""
    if output == "timeout":
        return "timeout"
    if "the embedded service exited" in output:
        return "service did not start"
    summary = [line for line in output.splitlines() if re.search(r" in [\d.]+s", line)]
    last = summary[-1] if summary else ""
    if re.search(r"\d+ failed", last):
        return "failed scenario"
    if re.search(r"\d+ errors?", last):
        return "scenario error"
    return "other"


def report(state: dict, dbs: list[Path], survivors_file: Path) -> dict:
    outcomes = [o for db in dbs if db.exists() for o in sessions.outcomes(db)]
    sampled = [o for o in outcomes if o.output != sessions.NOT_SAMPLED and
               o.output != sessions.ANNOTATION]
    verdicts = Counter(o.verdict for o in sampled)
    known = classified(survivors_file)
    survivors = [o for o in sampled if o.verdict == "survived"]
    classes = Counter(known[o.mutant.key]["class"] for o in survivors if o.mutant.key in known)
    new = [o for o in survivors if o.mutant.key not in known]
    caught = verdicts["killed"] + verdicts["timeout"]
    non_equivalent = caught + len(survivors) - classes["equivalent"]
    chunks = state.get("chunks", [])
    ran_in_chunks = sum(c["mutants"] for c in chunks)
    figures = {
        "commit": state.get("commit"),
        "generated": state.get("generated"),
        "set_aside_by_rule": state.get("by_rule"),
        "sampled": state.get("sampled"),
        "verdicts": dict(verdicts),
        "how_caught": dict(Counter(kill_kind(o.output) for o in sampled
                                   if o.verdict in ("killed", "timeout"))),
        "survivors": {"equivalent": classes["equivalent"], "untestable": classes["untestable"],
                      "gap": classes["gap"], "unclassified": len(new),
                      "of_a_capped_selection": sum(CAPPED in o.output for o in survivors)},
        "score": round(caught / non_equivalent, 4) if non_equivalent else None,
        "wall_s": round(sum(c["wall_s"] for c in chunks), 1),
        "mean_s_per_mutant": round(sum(c["wall_s"] * c["workers"] for c in chunks)
                                   / ran_in_chunks, 1) if ran_in_chunks else None,
        "by_module": _by_module(sampled),
    }
    _print(figures, new)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"mutation-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    out.write_text(json.dumps(figures | {"unclassified": [o.mutant.key for o in new]}, indent=2))
    print(f"written: {out}")
    return figures


def _by_module(sampled: list[sessions.Outcome]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = {}
    for o in sampled:
        table.setdefault(o.mutant.module, Counter())[o.verdict] += 1
    return {module: dict(counts) for module, counts in sorted(table.items())}


def _print(figures: dict, new: list[sessions.Outcome]) -> None:
    v = figures["verdicts"]
    print(f"mutants: {figures['generated']} generated, {figures['set_aside_by_rule']} set aside "
          f"by rule (annotations), {figures['sampled']} sampled")
    print(f"ran: {sum(v.get(k, 0) for k in ('killed', 'timeout', 'survived', 'error'))}; "
          f"killed {v.get('killed', 0)} (timeouts {v.get('timeout', 0)}), survived "
          f"{v.get('survived', 0)}, errors {v.get('error', 0)}, pending {v.get('pending', 0)}")
    print(f"how caught: {figures['how_caught']}")
    print(f"survivors: {figures['survivors']}")
    score = figures["score"]
    print(f"score (killed / non-equivalent): {score:.1%}" if score is not None else "score: n/a")
    print(f"wall time {figures['wall_s']} s; mean cost per mutant {figures['mean_s_per_mutant']} s"
          " (worker-seconds)")
    for o in new:
        capped = " [capped selection: rerun with --rerun-capped]" if CAPPED in o.output else ""
        print(f"\nSURVIVED (unclassified) {o.mutant.key}{capped}\n{o.diff.strip()}")
