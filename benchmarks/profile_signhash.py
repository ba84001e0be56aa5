"""Where one signHash request's time goes inside the sandbox (cProfile; prints figures only).

The application is built in-process and driven through Flask's test client, so the profile holds
exactly the service's own work per request (routing, authentication, token lookup, the SAD
transaction, audit, signing) without the HTTP server or client. Three rates side by side show
what each layer costs: bare RSA-2048 signing, signHash in-process, and (with ``--http``) the same
request over loopback HTTP to a live ``python -m cscsandbox`` (from ``bench_signhash.py``).

Usage: ``python benchmarks/profile_signhash.py [--requests 300] [--batch 1] [--top 25] [--http]``
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import pstats
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import bench_signhash
from flask.testing import FlaskClient

from cscsandbox import config, tokens
from cscsandbox.app import create_app
from cscsandbox.context import SandboxContext

MAX_REQUESTS = 5000


def request_body(batch: int) -> tuple[dict[str, str], dict[str, Any]]:
    """Headers and body of a signHash request with ``batch`` hashes and an unlimited SAD."""
    common: dict[str, Any] = {"client_id": "sandbox-client", "user_id": "alice",
                              "grant_id": uuid.uuid4().hex, "api_version": "v2",
                              "lifetime_s": 3600}
    service = tokens.issue(kind="access", scope="service", **common)
    sad = tokens.issue(kind="access", scope="credential", credential_id=bench_signhash.CREDENTIAL,
                       num_signatures=10**9, **common)
    hashes = [base64.b64encode(hashlib.sha256(str(i).encode()).digest()).decode()
              for i in range(batch)]
    body = {"credentialID": bench_signhash.CREDENTIAL, "SAD": sad, "hashes": hashes,
            "signAlgo": bench_signhash.SIGN_ALGO}
    return {"Authorization": f"Bearer {service}"}, body


def in_process_rate(client: FlaskClient, headers: dict[str, str], body: dict[str, Any],
                    requests: int) -> float:
    """Requests/s through the test client (after one warm-up request)."""
    url = "/csc/v2/signatures/signHash"
    client.post(url, json=body, headers=headers)
    started = time.perf_counter()
    for _ in range(requests):
        answer = client.post(url, json=body, headers=headers)
        if answer.status_code != 200:
            raise SystemExit(f"signHash failed: {answer.status_code} {answer.get_data()[:200]!r}")
    return requests / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="profiled requests (<= 5000)")
    parser.add_argument("--batch", type=int, default=1, help="hashes per request")
    parser.add_argument("--top", type=int, default=25, help="profile rows to print")
    parser.add_argument("--seconds", type=float, default=3.0, help="bare/HTTP measurement time")
    parser.add_argument("--http", action="store_true", help="also measure over loopback HTTP")
    args = parser.parse_args()
    requests = max(1, min(args.requests, MAX_REQUESTS))
    with tempfile.TemporaryDirectory(prefix="profile-signhash-") as tmp:
        db_path = str(Path(tmp) / "profile.db")
        ctx = SandboxContext(config=config.load(None), db_path=db_path)
        app = create_app(ctx)
        bench_signhash.db.set_default_path(db_path)
        headers, body = request_body(args.batch)
        client = app.test_client()
        bare = bench_signhash.bare_rate(args.seconds)
        plain = in_process_rate(client, headers, body, requests)
        profiler = cProfile.Profile(time.process_time)  # CPU time: meaningful under load
        profiler.enable()
        in_process_rate(client, headers, body, requests)
        profiler.disable()
        http = None
        if args.http:
            process, base_url = bench_signhash.start(str(Path(tmp) / "http.db"), Path(tmp))
            try:
                bench_signhash.db.set_default_path(str(Path(tmp) / "http.db"))
                http = bench_signhash.http_rate(base_url, args.batch, args.seconds)
            finally:
                process.terminate()
                process.wait(timeout=10)
    sigs = args.batch
    print(f"bare RSA-2048 signing:          {bare:8.1f} sig/s")
    print(f"signHash in-process (test client, {sigs} hash/req): {plain * sigs:8.1f} sig/s  "
          f"ratio {plain * sigs / bare:6.1%}  ({1000 / plain:.2f} ms/request, "
          f"bare signing {1000 * sigs / bare:.2f} ms of it)")
    if http is not None:
        print(f"signHash over HTTP ({sigs} hash/req):  {http * sigs:8.1f} sig/s  "
              f"ratio {http * sigs / bare:6.1%}")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
