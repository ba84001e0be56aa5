"""signHash throughput over HTTP vs bare in-process RSA-2048 signing (prints figures only).

One run measures, on loopback against a live ``python -m cscsandbox``:
- single-hash signHash requests/s (keep-alive httpx client) vs bare ``cryptography`` RSA-2048
  PKCS#1 v1.5 signatures/s, and their ratio;
- 100-hash batch signHash signatures/s vs the same bare rate, and their ratio.

Usage: ``python benchmarks/bench_signhash.py [--seconds 5] [--db PATH]``. Every loop is bounded
by time and by a maximum iteration count.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from cscsandbox import db, tokens

CREDENTIAL = "alice-rsa2048"
SIGN_ALGO = "1.2.840.113549.1.1.11"  # sha256WithRSAEncryption
MAX_ITERATIONS = 1_000_000


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


def http_rate(base_url: str, batch: int, seconds: float) -> float:
    """Signatures/s of signHash requests carrying ``batch`` hashes each."""
    grant = uuid.uuid4().hex
    common: dict[str, Any] = {
        "client_id": "sandbox-client",
        "user_id": "alice",
        "grant_id": grant,
        "api_version": "v2",
        "lifetime_s": 3600,
    }
    service = tokens.issue(kind="access", scope="service", **common)
    sad = tokens.issue(
        kind="access", scope="credential", credential_id=CREDENTIAL, num_signatures=10**9, **common
    )
    hashes_b64 = [
        base64.b64encode(hashlib.sha256(str(i).encode()).digest()).decode() for i in range(batch)
    ]
    body = {"credentialID": CREDENTIAL, "SAD": sad, "hashes": hashes_b64, "signAlgo": SIGN_ALGO}
    url = f"{base_url}/csc/v2/signatures/signHash"
    with httpx.Client(headers={"Authorization": f"Bearer {service}"}, timeout=30) as client:

        def one_request() -> int:
            answer = client.post(url, json=body)
            if answer.status_code != 200:
                raise SystemExit(f"signHash failed: {answer.status_code} {answer.text[:200]}")
            return len(answer.json()["signatures"])

        return rate(one_request, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement")
    parser.add_argument("--db", help="sandbox database (default: a temporary file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-signhash-") as tmp:
        db_path = args.db or os.path.join(tmp, "bench.db")
        process, base_url = start(db_path, Path(tmp))
        try:
            db.set_default_path(db_path)
            bare = bare_rate(args.seconds)
            single = http_rate(base_url, 1, args.seconds)
            batch = http_rate(base_url, 100, args.seconds)
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"CPUs: {os.cpu_count()}  load avg: {os.getloadavg()[0]:.2f}  db: {db_path}")
    print(f"bare in-process RSA-2048 signing:      {bare:9.1f} signatures/s")
    print(
        f"signHash over HTTP, 1 hash/request:     {single:9.1f} requests/s"
        f"  ratio {single / bare:6.1%}"
    )
    print(
        f"signHash over HTTP, 100 hashes/request: {batch:9.1f} signatures/s"
        f"  ratio {batch / bare:6.1%}"
    )


if __name__ == "__main__":
    main()
