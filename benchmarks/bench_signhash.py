"""signHash throughput over HTTP vs bare in-process RSA-2048 signing (prints figures only).

What it measures: the *service's* signHash throughput. One run starts a live
``python -m cscsandbox`` (waitress, loopback) and measures side by side, in interleaved rounds:

- bare ``cryptography`` RSA-2048 PKCS#1 v1.5 signatures/s in this process (one thread);
- single-hash signHash requests/s, and its ratio to the bare rate of the same round;
- 100-hash batch signHash signatures/s, and its ratio to the bare rate of the same round.

The client is a lean HTTP/1.1 keep-alive client (``KeepAliveClient``): each request is prebuilt
bytes written to one persistent socket, and the answer is read by its Content-Length, checked
for status 200 and parsed as JSON to count the signatures (about 0.05 ms CPU per request; with
one request in flight a client's own time adds to every request's, and httpx spends 0.6 ms,
``http.client`` about 0.3 ms). By default one request is in flight at a time (the
service sees a strictly sequential client, so there is no parallel signing in the service);
``--connections 2`` keeps one request in flight on each of two connections, which lets the
service overlap two requests (RSA signing releases the GIL) and so also measures concurrency.

With ``--rounds N`` every figure is the median over the rounds (each ratio is the median of the
per-round ratios). Every loop is bounded by time and by a maximum iteration count, every socket
read by a timeout.

Usage: ``python benchmarks/bench_signhash.py [--seconds 5] [--rounds 3] [--connections 1]
[--db PATH]``. ``run_all.py`` reuses ``start``, ``bare_rate`` and ``http_rate``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from cscsandbox import db, tokens

CREDENTIAL = "alice-rsa2048"
SIGN_ALGO = "1.2.840.113549.1.1.11"  # sha256WithRSAEncryption
MAX_ITERATIONS = 1_000_000
MAX_HEADER_BYTES = 65_536
SOCKET_TIMEOUT_S = 30.0


def rate(action: Callable[[], int], seconds: float) -> float:
    """Units per second of ``action`` (which returns the units it did) over ``seconds``."""
    action()  # warm-up
    done, start = 0, time.perf_counter()
    for _ in range(MAX_ITERATIONS):
        done += action()
        if time.perf_counter() - start >= seconds:
            break
    return done / (time.perf_counter() - start)


def bare_rate(seconds: float) -> float:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    digest = hashlib.sha256(b"bench").digest()
    prehashed = utils.Prehashed(hashes.SHA256())

    def sign_one() -> int:
        key.sign(digest, padding.PKCS1v15(), prehashed)
        return 1

    return rate(sign_one, seconds)


def start(db_path: str, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    ready = workdir / "ready.txt"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cscsandbox",
            "--port",
            "0",
            "--db",
            db_path,
            "--ready-file",
            str(ready),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit("sandbox did not start")
        time.sleep(0.05)
    return process, ready.read_text().strip()


class KeepAliveClient:
    """One persistent HTTP/1.1 connection for prebuilt requests; answers need Content-Length.

    Hand-written on purpose: it sends ready bytes and reads one answer by its Content-Length, so
    its CPU per request stays near 0.05 ms (``http.client`` spends about 0.3 ms, httpx 0.6 ms, and
    with one request in flight the client's time adds to every request's)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.netloc
        self.sock = socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 80), timeout=SOCKET_TIMEOUT_S
        )
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def post_bytes(self, path: str, headers: dict[str, str], body: bytes) -> bytes:
        """The complete request, built once and sent many times."""
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.host}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    def send(self, request: bytes) -> None:
        self.sock.sendall(request)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the service closed the connection")
        self.buffer += chunk

    def receive(self) -> tuple[int, bytes]:
        """Status and body of the next answer on this connection."""
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            if len(self.buffer) > MAX_HEADER_BYTES:
                raise ConnectionError("answer header too large")
            self._fill()
        head = self.buffer[:end].decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        lengths = [line.split(":", 1)[1] for line in head[1:]
                   if line.lower().startswith("content-length:")]
        if len(lengths) != 1:
            raise ConnectionError(f"answer without one Content-Length: {head[0]}")
        stop = end + 4 + int(lengths[0])
        while len(self.buffer) < stop:
            self._fill()
        body, self.buffer = self.buffer[end + 4:stop], self.buffer[stop:]
        return status, body

    def close(self) -> None:
        self.sock.close()


def signhash_request(batch: int, version: str = "v2") -> tuple[str, dict[str, str], bytes]:
    """Path, headers and JSON body of a signHash with ``batch`` hashes and an unlimited SAD
    (tokens written to the current default database)."""
    common: dict[str, Any] = {
        "client_id": "sandbox-client",
        "user_id": "alice",
        "grant_id": uuid.uuid4().hex,
        "api_version": version,
        "lifetime_s": 3600,
    }
    service = tokens.issue(kind="access", scope="service", **common)
    sad = tokens.issue(
        kind="access", scope="credential", credential_id=CREDENTIAL, num_signatures=10**9, **common
    )
    hashes_b64 = [
        base64.b64encode(hashlib.sha256(str(i).encode()).digest()).decode() for i in range(batch)
    ]
    field = "hash" if version == "v1" else "hashes"
    body = {"credentialID": CREDENTIAL, "SAD": sad, field: hashes_b64, "signAlgo": SIGN_ALGO}
    headers = {"Authorization": f"Bearer {service}", "Content-Type": "application/json"}
    return f"/csc/{version}/signatures/signHash", headers, json.dumps(body).encode()


def http_rate(base_url: str, batch: int, seconds: float, connections: int = 1,
              version: str = "v2") -> float:
    """Signatures/s of signHash requests carrying ``batch`` hashes each, with one request in
    flight on each of ``connections`` keep-alive connections."""
    path, headers, body = signhash_request(batch, version)
    with contextlib.ExitStack() as stack:
        clients = [KeepAliveClient(base_url) for _ in range(connections)]
        for client in clients:
            stack.callback(client.close)
        request = clients[0].post_bytes(path, headers, body)

        def one_round() -> int:
            for client in clients:
                client.send(request)
            done = 0
            for client in clients:
                status, answer = client.receive()
                if status != 200:
                    raise SystemExit(f"signHash failed: {status} {answer[:200]!r}")
                done += len(json.loads(answer)["signatures"])
            return done

        return rate(one_round, seconds)


def measure(base_url: str, seconds: float, rounds: int, connections: int) -> dict[str, list[float]]:
    """Interleaved rounds (bare, 1 hash, 100 hashes), so load drift hits all three alike."""
    figures: dict[str, list[float]] = {"bare": [], "single": [], "batch": []}
    for _ in range(rounds):
        figures["bare"].append(bare_rate(seconds))
        figures["single"].append(http_rate(base_url, 1, seconds, connections))
        figures["batch"].append(http_rate(base_url, 100, seconds, connections))
    return figures


def _ratio(figures: dict[str, list[float]], name: str) -> float:
    return statistics.median(x / b for x, b in zip(figures[name], figures["bare"], strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement")
    parser.add_argument("--rounds", type=int, default=1, choices=range(1, 11),
                        metavar="1-10", help="interleaved rounds; figures are medians")
    parser.add_argument("--connections", type=int, default=1, choices=(1, 2),
                        help="requests in flight (one per keep-alive connection)")
    parser.add_argument("--db", help="sandbox database (default: a temporary file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-signhash-") as tmp:
        db_path = args.db or os.path.join(tmp, "bench.db")
        process, base_url = start(db_path, Path(tmp))
        try:
            db.set_default_path(db_path)
            figures = measure(base_url, args.seconds, args.rounds, args.connections)
        finally:
            process.terminate()
            process.wait(timeout=10)
    bare, single, batch = (statistics.median(figures[k]) for k in ("bare", "single", "batch"))
    print(f"CPUs: {os.cpu_count()}  load avg: {os.getloadavg()[0]:.2f}  db: {db_path}  "
          f"rounds: {args.rounds} (medians)  connections: {args.connections}")
    print(f"bare in-process RSA-2048 signing:      {bare:9.1f} signatures/s")
    print(
        f"signHash over HTTP, 1 hash/request:     {single:9.1f} requests/s"
        f"  ratio {_ratio(figures, 'single'):6.1%}"
    )
    print(
        f"signHash over HTTP, 100 hashes/request: {batch:9.1f} signatures/s"
        f"  ratio {_ratio(figures, 'batch'):6.1%}"
    )
    if args.rounds > 1:
        for name in ("bare", "single", "batch"):
            print(f"  per round, {name:6}: " + ", ".join(f"{x:.1f}" for x in figures[name]))


if __name__ == "__main__":
    main()
