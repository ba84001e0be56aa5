"""Where one signHash request's time goes inside the sandbox (cProfile; prints figures only).

Two views, both on a fresh temporary database:

- default: the application driven in-process through Flask's test client, so the profile holds
  exactly the service's own work per request (the signHash shortcut or Flask, authentication,
  token lookups, the SAD transaction, audit, signing) without any HTTP server or client;
- ``--server``: the real waitress server in this process (the same threaded dispatcher as
  ``python -m cscsandbox``), driven over loopback by ``bench_signhash``'s lean keep-alive
  client from a thread. The server's loop thread and worker threads are profiled separately
  with a per-thread CPU clock, so waitress's own cost (parsing, dispatch, writing) shows next
  to the application's.

Rates side by side: bare RSA-2048 signing, signHash in-process, and (``--http``) the same request
over loopback HTTP to a live ``python -m cscsandbox``. ``--version v1`` profiles
``/csc/v1/signatures/signHash`` instead of v2.

Usage: ``python benchmarks/profile_signhash.py [--requests 300] [--batch 1] [--top 25]
[--version v2] [--server] [--http]``
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import bench_signhash
from flask import Flask
from waitress.server import create_server
from waitress.task import ThreadedTaskDispatcher

from cscsandbox import config
from cscsandbox.app import create_app
from cscsandbox.context import SandboxContext

MAX_REQUESTS = 5000


def in_process_rate(app: Flask, request: tuple[str, dict[str, str], bytes], requests: int) -> float:
    """Requests/s through the test client (after one warm-up request)."""
    path, headers, body = request
    client = app.test_client()
    started = 0.0
    for i in range(requests + 1):
        if i == 1:
            started = time.perf_counter()
        answer = client.post(path, data=body, headers=headers)
        if answer.status_code != 200:
            raise SystemExit(f"signHash failed: {answer.status_code} {answer.get_data()[:200]!r}")
    return requests / (time.perf_counter() - started)


class ProfiledDispatcher(ThreadedTaskDispatcher):
    """Waitress's threaded dispatcher (as the service uses it), each worker thread under its own
    profiler; handed to ``create_server`` through waitress's private ``_dispatcher`` test hook."""

    def __init__(self, threads: int) -> None:
        super().__init__()
        self.profiles: list[cProfile.Profile] = []
        self.set_thread_count(threads)

    def handler_thread(self, thread_no: int) -> None:
        profile = cProfile.Profile(time.thread_time)
        self.profiles.append(profile)
        profile.enable()
        try:
            super().handler_thread(thread_no)
        finally:
            profile.disable()


def profile_server(app: Flask, request: tuple[str, dict[str, str], bytes], requests: int,
                   threads: int = 8) -> tuple[int, list[cProfile.Profile], cProfile.Profile]:
    """Serve ``app`` with waitress here and send ``requests`` signHash requests (bounded)."""
    dispatcher = ProfiledDispatcher(threads)
    channels: dict[int, Any] = {}
    server = create_server(app, channels, host="127.0.0.1", port=0, threads=threads,
                           _dispatcher=dispatcher)
    app.extensions["cscsandbox"].base_url = f"http://127.0.0.1:{server.effective_port}"
    loop_profile = cProfile.Profile(time.thread_time)

    def loop() -> None:
        loop_profile.enable()
        try:
            server.run()
        except (OSError, ValueError):  # sockets closed under the loop at the end
            pass
        finally:
            loop_profile.disable()

    loop_thread = threading.Thread(target=loop, daemon=True)
    loop_thread.start()
    path, headers, body = request
    client = bench_signhash.KeepAliveClient(app.extensions["cscsandbox"].base_url)
    sent = 0
    try:
        raw = client.post_bytes(path, headers, body)
        for _ in range(requests):
            client.send(raw)
            status, answer = client.receive()
            if status != 200:
                raise SystemExit(f"signHash failed: {status} {answer[:200]!r}")
            json.loads(answer)
            sent += 1
    finally:
        client.close()
        dispatcher.shutdown(timeout=10)
        for channel in list(channels.values()):  # listener, trigger, accepted connection
            channel.close()
        loop_thread.join(timeout=10)
    return sent, dispatcher.profiles, loop_profile


def _sign_seconds(stats: pstats.Stats) -> float:
    """Total time in RSA/EC ``sign`` calls of ``cryptography`` within ``stats``."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    return sum(row[2] for (_f, _l, name), row in table.items()
               if name.startswith("<method 'sign' of 'cryptography"))


def print_server_profile(sent: int, workers: list[cProfile.Profile], loop: cProfile.Profile,
                         top: int) -> None:
    worker_stats = pstats.Stats(*workers)
    loop_stats = pstats.Stats(loop)
    worker_ms = 1000 * worker_stats.total_tt / sent  # type: ignore[attr-defined]
    loop_ms = 1000 * loop_stats.total_tt / sent  # type: ignore[attr-defined]
    sign_ms = 1000 * _sign_seconds(worker_stats) / sent
    print(f"waitress in-process, {sent} requests, profiled CPU per request (per-thread clock; "
          f"cProfile inflates Python code): loop thread {loop_ms:.3f} ms, worker threads "
          f"{worker_ms:.3f} ms, of which signing {sign_ms:.3f} ms")
    print("== worker threads")
    worker_stats.sort_stats("tottime").print_stats(top)
    print("== loop thread (accept, parse, dispatch)")
    loop_stats.sort_stats("tottime").print_stats(max(5, top // 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="profiled requests (<= 5000)")
    parser.add_argument("--batch", type=int, default=1, help="hashes per request")
    parser.add_argument("--top", type=int, default=25, help="profile rows to print")
    parser.add_argument("--seconds", type=float, default=3.0, help="bare/HTTP measurement time")
    parser.add_argument("--version", choices=("v1", "v2"), default="v2", help="CSC API version")
    parser.add_argument("--server", action="store_true",
                        help="profile the waitress server in-process instead of the test client")
    parser.add_argument("--http", action="store_true", help="also measure over loopback HTTP")
    args = parser.parse_args()
    requests = max(1, min(args.requests, MAX_REQUESTS))
    with tempfile.TemporaryDirectory(prefix="profile-signhash-") as tmp:
        db_path = str(Path(tmp) / "profile.db")
        app = create_app(SandboxContext(config=config.load(None), db_path=db_path))
        bench_signhash.db.set_default_path(db_path)
        request = bench_signhash.signhash_request(args.batch, args.version)
        bare = bench_signhash.bare_rate(args.seconds)
        plain = in_process_rate(app, request, requests)
        if args.server:
            sent, workers, loop = profile_server(app, request, requests)
        else:
            profiler = cProfile.Profile(time.process_time)  # CPU time: meaningful under load
            profiler.enable()
            in_process_rate(app, request, requests)
            profiler.disable()
        http = None
        if args.http:
            process, base_url = bench_signhash.start(str(Path(tmp) / "http.db"), Path(tmp))
            try:
                bench_signhash.db.set_default_path(str(Path(tmp) / "http.db"))
                http = bench_signhash.http_rate(base_url, args.batch, args.seconds,
                                                version=args.version)
            finally:
                process.terminate()
                process.wait(timeout=10)
    sigs = args.batch
    print(f"bare RSA-2048 signing:          {bare:8.1f} sig/s")
    print(f"signHash {args.version} in-process (test client, {sigs} hash/req): "
          f"{plain * sigs:8.1f} sig/s  ratio {plain * sigs / bare:6.1%}  "
          f"({1000 / plain:.2f} ms/request, bare signing {1000 * sigs / bare:.2f} ms of it)")
    if http is not None:
        print(f"signHash {args.version} over HTTP ({sigs} hash/req, lean keep-alive client):  "
              f"{http * sigs:8.1f} sig/s  ratio {http * sigs / bare:6.1%}")
    if args.server:
        print_server_profile(sent, workers, loop, args.top)
    else:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
