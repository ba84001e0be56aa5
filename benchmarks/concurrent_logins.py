"""Concurrent browser logins of one user from several processes against one sandbox.

This is what ``pytest -n 2`` does: every worker logs in as the profile's signer. The script
prints how many logins per process succeeded, and why the others failed, so a shared-state race
(e.g. one SMS outbox slot per user read by two logins at once) shows up as failures here while a
single process has none.

Usage: ``python benchmarks/concurrent_logins.py [--processes 2] [--logins 6]``; exit code 1 when
any login failed. Every process and wait is bounded.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import startup

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKER_TIMEOUT_S = 900.0


def worker(base_url: str, logins: int) -> int:
    """Run ``logins`` logins against ``base_url``; print one result line; 0 when all passed."""
    import browser_costs

    from cscsuite.browser import BrowserPool
    from cscsuite.profile import load_profile
    from cscsuite.session import SuiteSession

    with tempfile.TemporaryDirectory(prefix="bench-conc-") as tmp:
        session = SuiteSession(profile=load_profile("sandbox", REPO_ROOT), versions=("v2",),
                               reports_dir=Path(tmp), base_url_option=base_url)
        pool = BrowserPool()
        failures: list[str] = []
        try:
            login = browser_costs.SandboxLogin(session, pool)
            for _ in range(logins):
                try:
                    login.login()
                except Exception as exc:  # every failure is counted and shown, none hidden
                    failures.append(str(exc).splitlines()[0][:160])
        finally:
            pool.close()
            session.close()
    print(f"logins ok={logins - len(failures)} failed={len(failures)} {failures[:3]}", flush=True)
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, choices=range(1, 5), default=2)
    parser.add_argument("--logins", type=int, choices=range(1, 21), default=6,
                        help="logins per process (1-20)")
    parser.add_argument("--worker", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.logins)
    with startup.running_sandbox() as sandbox:
        procs = [subprocess.Popen([sys.executable, __file__, "--worker", sandbox.base_url,
                                   "--logins", str(args.logins)])
                 for _ in range(args.processes)]
        codes = [p.wait(timeout=WORKER_TIMEOUT_S) for p in procs]
    return 1 if any(codes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
