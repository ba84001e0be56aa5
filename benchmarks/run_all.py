"""All performance figures of issue 9, side by side in one run (prints figures; asserts nothing).

Parts (``--only`` picks some; each is measured ``--*-repeats`` times and reported as a median):

- ``suite``: the full serial conformance run (``pytest -p no:cacheprovider -q
  --reports-dir=<tmp>``): wall time, per-scenario median duration, test instance count, browser
  logins against the login budget (both from the run's ``summary.json``), the 10 slowest tests;
- ``parallel``: the same run with ``-n 2`` (pytest-xdist), its ratio to serial, and whether every
  test has the same outcome in both;
- ``browser``: one real sandbox login (profile recipe, fresh context) against the same login by a
  minimal hand-written Playwright script (the floor) and one static page load, in the same
  browser, and their ratios;
- ``signhash``: signHash throughput (1 and 100 hashes per request) against bare in-process
  RSA-2048 signing, reusing ``bench_signhash.py``;
- ``startup``: ``pytest --collect-only`` wall time plus the time ``python -m cscsandbox --port 0``
  takes to print its ready line.

Usage: ``python benchmarks/run_all.py [--only suite,browser] [--suite-repeats 3] ...``.
The JSON goes to ``benchmarks/results/<UTC timestamp>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import bench_signhash
import browser_costs
import cpu_costs
import startup
import suite_runs

PARTS = ("suite", "parallel", "browser", "signhash", "startup")
RESULTS_DIR = Path(__file__).resolve().parent / "results"
#: (figure key, target text, predicate on the value); the targets of issue 9.
TARGETS: dict[str, tuple[str, Callable[[float], bool]]] = {
    "serial_wall_s": ("<= 90 s", lambda v: v <= 90),
    "parallel_wall_s": ("<= 60 s", lambda v: v <= 60),
    "logins_within_budget": ("yes", bool),
    "instances": (">= 160", lambda v: v >= 160),
    "parallel_speedup": ("> 1.0x", lambda v: v > 1.0),
    "login_floor_ratio": ("<= 1.10x", lambda v: v <= 1.10),
    "login_floor_cpu_ratio": ("<= 1.10x", lambda v: v <= 1.10),
    "signhash_single_ratio": (">= 50%", lambda v: v >= 0.5),
    "signhash_batch_ratio": (">= 85%", lambda v: v >= 0.85),
    "cpu_ratio_single": (">= 50%", lambda v: v >= 0.5),
    "cpu_ratio_batch": (">= 85%", lambda v: v >= 0.85),
    "startup_s": ("< 3 s", lambda v: v < 3),
    "startup_cpu_s": ("< 3 s", lambda v: v < 3),
}


def bounded(low: float, high: float, kind: type = int) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value
    return parse


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default=",".join(PARTS),
                   help=f"comma-separated parts to measure (default all: {','.join(PARTS)})")
    p.add_argument("--suite-repeats", type=bounded(1, 5), default=1,
                   help="full runs per mode, serial and -n 2 (1-5, default 1)")
    p.add_argument("--workers", type=bounded(2, 8), default=2, help="xdist workers (default 2)")
    p.add_argument("--suite-timeout", type=bounded(30, 3600, float), default=900.0,
                   help="kill a full run after this many seconds (default 900)")
    p.add_argument("--pytest-args", default="",
                   help="extra arguments for every conformance run, e.g. \"-k login\"")
    p.add_argument("--login-repeats", type=bounded(1, 30), default=5,
                   help="logins and static page loads (1-30, default 5)")
    p.add_argument("--browser-ws-endpoint", default=None,
                   help="measure logins in a remote Playwright browser server instead")
    p.add_argument("--signhash-rounds", type=bounded(1, 5), default=1,
                   help="rounds of the three signHash measurements (1-5, default 1)")
    p.add_argument("--signhash-seconds", type=bounded(0.5, 30, float), default=3.0,
                   help="duration of each signHash measurement (default 3)")
    p.add_argument("--startup-repeats", type=bounded(1, 10), default=3,
                   help="collections and service starts (1-10, default 3)")
    p.add_argument("--out-dir", type=Path, default=RESULTS_DIR, help="where the JSON goes")
    args = p.parse_args(argv)
    args.parts = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        p.error(f"--only: unknown part(s) {', '.join(sorted(unknown))}")
    return args


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


# -- parts -------------------------------------------------------------------------------------

def suite_figures(runs: list[suite_runs.SuiteRun], prefix: str) -> dict[str, Any]:
    per_run_medians = [statistics.median(r.durations.values()) for r in runs if r.durations]
    return {
        f"{prefix}_wall_s": median([r.wall_s for r in runs]),
        f"{prefix}_wall_each_s": [round(r.wall_s, 2) for r in runs],
        f"{prefix}_cpu_s": median([r.cpu_s for r in runs]),
        f"{prefix}_scenario_median_s": median(per_run_medians),
        f"{prefix}_exit_codes": [r.returncode for r in runs],
        f"{prefix}_complete": all(r.returncode is not None for r in runs),
        f"{prefix}_instances": len(runs[-1].outcomes),
        f"{prefix}_logins": runs[-1].logins,
        f"{prefix}_login_budget": runs[-1].login_budget,
        f"{prefix}_slowest": [[n, round(d, 3)] for n, d in suite_runs.slowest(runs[-1])],
        f"{prefix}_outcomes": _count(runs[-1].outcomes),
        f"{prefix}_report": runs[-1].source,
        f"{prefix}_tail": runs[-1].tail,
    }


def _count(outcomes: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return dict(sorted(counts.items()))


def measure_suites(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    extra = args.pytest_args.split()
    modes = [m for m in ("suite", "parallel") if m in args.parts]
    runs: dict[str, list[suite_runs.SuiteRun]] = {m: [] for m in modes}
    for _ in range(args.suite_repeats):  # interleaved, so load drift hits both modes alike
        for mode in modes:
            flags = ["-n", str(args.workers)] if mode == "parallel" else []
            runs[mode].append(suite_runs.run_suite([*flags, *extra], args.suite_timeout))
    if "suite" in runs:
        figures.update(suite_figures(runs["suite"], "serial"))
        figures["instances"] = figures["serial_instances"]
    if "parallel" in runs:
        figures.update(suite_figures(runs["parallel"], "parallel"))
        figures.setdefault("instances", figures["parallel_instances"])
    for mode in ("serial", "parallel"):
        used, budget = figures.get(f"{mode}_logins"), figures.get(f"{mode}_login_budget")
        if used is not None and budget is not None:
            figures.setdefault("logins_within_budget", used <= budget)
    if len(runs) == 2:
        serial, parallel = figures["serial_wall_s"], figures["parallel_wall_s"]
        figures["parallel_speedup"] = serial / parallel if parallel else None
        diffs = suite_runs.outcome_differences(runs["suite"][-1], runs["parallel"][-1])
        complete = figures["serial_complete"] and figures["parallel_complete"]
        # a run killed at the timeout has no full outcome list to compare
        figures["outcomes_identical"] = (not diffs and bool(runs["suite"][-1].outcomes)
                                         if complete else None)
        figures["outcome_differences"] = diffs[:80]


def measure_browser(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    root = suite_runs.REPO_ROOT
    costs = browser_costs.measure(args.login_repeats, root, args.browser_ws_endpoint)
    login, static = median(costs.login_s), median(costs.static_s)
    login_cpu, static_cpu = median(costs.login_cpu_s), median(costs.static_cpu_s)
    floor, floor_cpu = median(costs.handwritten_s), median(costs.handwritten_cpu_s)
    figures.update(handwritten_login_s=floor, handwritten_login_cpu_s=floor_cpu,
                   handwritten_each_s=[round(x, 3) for x in costs.handwritten_s],
                   login_floor_ratio=login / floor if login and floor else None,
                   login_floor_cpu_ratio=login_cpu / floor_cpu if login_cpu and floor_cpu
                   else None,
                   floor_static_ratio=floor / static if floor and static else None)
    figures.update(login_s=login, static_page_s=static,
                   login_traced_s=median(costs.login_traced_s),
                   login_fresh_s=median(costs.login_fresh_s),
                   login_fresh_cpu_s=median(costs.login_fresh_cpu_s),
                   login_fresh_floor_ratio=(median(costs.login_fresh_s) / floor
                                            if costs.login_fresh_s and floor else None),
                   login_each_s=[round(x, 3) for x in costs.login_s],
                   static_each_s=[round(x, 3) for x in costs.static_s],
                   login_static_ratio=login / static if login and static else None,
                   login_cpu_s=login_cpu, static_page_cpu_s=static_cpu,
                   login_traced_cpu_s=median(costs.login_traced_cpu_s),
                   login_static_cpu_ratio=login_cpu / static_cpu if login_cpu and static_cpu
                   else None)


def measure_signhash(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """Wall-clock rates (the issue's figures) and CPU cost per signature (robust under load)."""
    bare, single, batch = [], [], []
    cpu = {name: cpu_costs.CpuCount() for name in ("bare", "single", "batch")}
    seconds = args.signhash_seconds
    with tempfile.TemporaryDirectory(prefix="bench-signhash-") as tmp:
        db_path = os.path.join(tmp, "bench.db")
        process, base_url = bench_signhash.start(db_path, Path(tmp))
        try:
            bench_signhash.db.set_default_path(db_path)
            for _ in range(args.signhash_rounds):
                with cpu_costs.counting(cpu["bare"]):
                    bare.append(bench_signhash.bare_rate(seconds))
                with cpu_costs.counting(cpu["single"], process.pid):
                    single.append(bench_signhash.http_rate(base_url, 1, seconds))
                with cpu_costs.counting(cpu["batch"], process.pid):
                    batch.append(bench_signhash.http_rate(base_url, 100, seconds))
        finally:
            process.terminate()
            process.wait(timeout=10)
    figures.update(bare_sign_per_s=median(bare), signhash_single_per_s=median(single),
                   signhash_batch_sig_per_s=median(batch),
                   signhash_single_ratio=median([s / b for s, b in zip(single, bare, strict=True)]),
                   signhash_batch_ratio=median([s / b for s, b in zip(batch, bare, strict=True)]))
    per_sig = {name: count.per_unit() for name, count in cpu.items()}
    figures.update({f"cpu_ms_per_sig_{name}": 1000 * v for name, v in per_sig.items() if v})
    figures["service_cpu_ms_per_sig_single"] = _service_share(cpu["single"])
    figures["service_cpu_ms_per_sig_batch"] = _service_share(cpu["batch"])
    bare_cost = per_sig["bare"]
    for name in ("single", "batch"):
        cost = per_sig[name]
        if bare_cost and cost:
            figures[f"cpu_ratio_{name}"] = bare_cost / cost


def _service_share(count: cpu_costs.CpuCount) -> float | None:
    return 1000 * count.service_cpu_s / count.units if count.units else None


def measure_startup(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    collect_s, collect_cpu, ready_s, ready_cpu, count = [], [], [], [], None
    for _ in range(args.startup_repeats):
        done, count = suite_runs.collect(args.pytest_args.split(), 300)
        collect_s.append(done.wall_s)
        collect_cpu.append(done.cpu_s)
        wall, cpu = startup.sandbox_ready_seconds()
        ready_s.append(wall)
        ready_cpu.append(cpu)
    collect, ready = median(collect_s), median(ready_s)
    c_cpu, r_cpu = median(collect_cpu), median(ready_cpu)
    figures.update(collect_s=collect, collect_cpu_s=c_cpu, sandbox_ready_s=ready,
                   sandbox_ready_cpu_s=r_cpu, collected=count,
                   startup_s=collect + ready if collect is not None and ready is not None else None,
                   startup_cpu_s=c_cpu + r_cpu if c_cpu is not None and r_cpu is not None
                   else None)
    figures.setdefault("instances", count)


MEASURES: dict[str, Callable[[argparse.Namespace, dict[str, Any]], None]] = {
    "browser": measure_browser, "signhash": measure_signhash, "startup": measure_startup,
}


# -- output ------------------------------------------------------------------------------------

ROWS = (  # (figure key, label, format)
    ("serial_wall_s", "full run, serial: wall time", "{:.1f} s"),
    ("serial_cpu_s", "full run, serial: CPU time (process tree)", "{:.1f} s"),
    ("serial_scenario_median_s", "full run, serial: per-scenario median", "{:.3f} s"),
    ("instances", "test instances in the run", "{:.0f}"),
    ("serial_logins", "browser logins in the serial run", "{:.0f}"),
    ("serial_login_budget", "  budget: instances about a login", "{:.0f}"),
    ("parallel_logins", "browser logins in the -n {workers} run", "{:.0f}"),
    ("logins_within_budget", "logins <= instances about a login", "{}"),
    ("parallel_wall_s", "full run, -n {workers}: wall time", "{:.1f} s"),
    ("parallel_cpu_s", "full run, -n {workers}: CPU time (process tree)", "{:.1f} s"),
    ("parallel_scenario_median_s", "full run, -n {workers}: per-scenario median", "{:.3f} s"),
    ("parallel_speedup", "serial / -n {workers} wall time", "{:.2f}x"),
    ("outcomes_identical", "serial and -n {workers} outcomes identical", "{}"),
    ("login_s", "one browser login (warm context, default)", "{:.3f} s"),
    ("handwritten_login_s", "the same login, hand-written script (floor)", "{:.3f} s"),
    ("login_floor_ratio", "suite login / hand-written login", "{:.2f}x"),
    ("login_cpu_s", "one browser login: CPU (process tree)", "{:.3f} s"),
    ("handwritten_login_cpu_s", "hand-written login: CPU (process tree)", "{:.3f} s"),
    ("login_floor_cpu_ratio", "suite login / hand-written, CPU-based", "{:.2f}x"),
    ("login_fresh_s", "one browser login, fresh context (--fresh-login-context)", "{:.3f} s"),
    ("login_fresh_floor_ratio", "fresh-context login / hand-written login", "{:.2f}x"),
    ("login_fresh_cpu_s", "fresh-context login: CPU (renderer missed)", "{:.3f} s"),
    ("static_page_s", "one static page load (fresh context)", "{:.3f} s"),
    ("login_traced_s", "one login with --login-trace=retain-on-failure", "{:.3f} s"),
    ("login_static_ratio", "login / static page", "{:.2f}x"),
    ("floor_static_ratio", "hand-written login / static page", "{:.2f}x"),
    ("static_page_cpu_s", "one static page load: CPU (process tree)", "{:.3f} s"),
    ("login_traced_cpu_s", "one traced login: CPU", "{:.3f} s"),
    ("login_static_cpu_ratio", "login / static page, CPU-based", "{:.2f}x"),
    ("bare_sign_per_s", "bare RSA-2048 signing in-process", "{:.1f} sig/s"),
    ("signhash_single_per_s", "signHash, 1 hash/request", "{:.1f} req/s"),
    ("signhash_single_ratio", "signHash 1 hash / bare", "{:.1%}"),
    ("signhash_batch_sig_per_s", "signHash, 100 hashes/request", "{:.1f} sig/s"),
    ("signhash_batch_ratio", "signHash 100 hashes / bare", "{:.1%}"),
    ("cpu_ms_per_sig_bare", "CPU per signature: bare", "{:.2f} ms"),
    ("cpu_ms_per_sig_single", "CPU per signature: signHash 1 hash (all)", "{:.2f} ms"),
    ("service_cpu_ms_per_sig_single", "  of which in the service", "{:.2f} ms"),
    ("cpu_ratio_single", "CPU-based ratio, 1 hash (idle estimate)", "{:.1%}"),
    ("cpu_ms_per_sig_batch", "CPU per signature: signHash 100 (all)", "{:.2f} ms"),
    ("service_cpu_ms_per_sig_batch", "  of which in the service", "{:.2f} ms"),
    ("cpu_ratio_batch", "CPU-based ratio, 100 hashes (idle est.)", "{:.1%}"),
    ("collect_s", "pytest --collect-only wall time", "{:.2f} s"),
    ("collect_cpu_s", "pytest --collect-only CPU time", "{:.2f} s"),
    ("sandbox_ready_s", "cscsandbox launch to ready line", "{:.2f} s"),
    ("sandbox_ready_cpu_s", "cscsandbox launch to ready: CPU", "{:.2f} s"),
    ("startup_s", "start-up (collection + service)", "{:.2f} s"),
    ("startup_cpu_s", "start-up CPU (idle-machine estimate)", "{:.2f} s"),
)


def table(figures: dict[str, Any], workers: int) -> str:
    lines = [f"{'figure':46} {'median':>14}  {'target':>8}  status", "-" * 80]
    for key, label, fmt in ROWS:
        if key not in figures:
            continue
        value = figures[key]
        text = "n/a" if value is None else fmt.format(value)
        target, status = "", ""
        if key in TARGETS and value is not None:
            target, ok = TARGETS[key]
            status = "met" if ok(value) else "MISSED"
        lines.append(f"{label.format(workers=workers):46} {text:>14}  {target:>8}  {status}")
    return "\n".join(lines)


def write_json(out_dir: Path, document: dict[str, Any]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()
    started = time.perf_counter()
    figures: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if {"suite", "parallel"} & set(args.parts):
        try:
            measure_suites(args, figures)
        except Exception as exc:  # a broken part must not hide the others' figures
            errors["suite"] = f"{type(exc).__name__}: {exc}"
    for part in ("browser", "signhash", "startup"):
        if part in args.parts:
            try:
                MEASURES[part](args, figures)
            except Exception as exc:
                errors[part] = f"{type(exc).__name__}: {exc}"
    load_after = os.getloadavg()
    wall = round(time.perf_counter() - started, 1)
    no_pyc = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    machine = {"cpus": os.cpu_count(), "load_before": load_before, "load_after": load_after,
               "bench_wall_s": wall, "pythondontwritebytecode": no_pyc}
    print(f"CPUs {os.cpu_count()}, load average {load_before[0]:.1f} before / "
          f"{load_after[0]:.1f} after, benchmark wall {wall} s"
          + (", PYTHONDONTWRITEBYTECODE set (no .pyc cache: slower start-up)" if no_pyc else ""))
    print(table(figures, args.workers))
    for mode in ("serial", "parallel"):
        if figures.get(f"{mode}_complete") is False:
            print(f"{mode} run KILLED at the {args.suite_timeout:.0f} s timeout: its wall time is "
                  f"a lower bound and its outcomes are partial (raise --suite-timeout)")
        if figures.get(f"{mode}_tail"):
            print(f"{mode} run ended: {figures[f'{mode}_tail']}")
    slow = figures.get("serial_slowest") or figures.get("parallel_slowest") or []
    if slow:
        print("slowest scenarios (" + ("serial" if figures.get("serial_slowest") else
                                      f"-n {args.workers}") + " run):")
        for nodeid, seconds in slow:
            print(f"  {seconds:7.3f} s  {nodeid.split('::')[-1]}")
    for diff in figures.get("outcome_differences", [])[:10]:
        print(f"outcome differs: {diff}")
    for part, message in errors.items():
        print(f"{part}: FAILED to measure: {message}")
    path = write_json(args.out_dir, {"args": {k: str(v) for k, v in vars(args).items()},
                                     "machine": machine, "figures": figures, "errors": errors})
    print(f"figures written to {path}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
