"""The system under test: the embedded reference service as a subprocess, or a running one.

``SandboxProcess`` starts ``python -m cscsandbox`` on a free loopback port, waits (bounded) for
its ready file and stops it at the end; its output goes, redacted, to ``reports/sandbox.log``.
``build_target`` probes reachability and runs discovery once per session.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from cscsuite import capabilities as caps
from cscsuite.credential_discovery import CredentialDirectory
from cscsuite.discovery import AsEndpoints, ServiceInfo, as_endpoints, parse_info
from cscsuite.http import ApiClient, TargetUnreachable
from cscsuite.profile import expand
from cscsuite.profile_types import Profile, TrustAnchor
from cscsuite.redact import REDACTOR

READY_TIMEOUT_S = 15.0


class TargetError(Exception):
    """The target cannot be used (one line, shown as an error of use)."""


@dataclass
class Target:
    """Everything discovered about the target, per API version."""

    base_url: str
    info: dict[str, ServiceInfo]
    endpoints: dict[str, AsEndpoints | None]
    trust_anchors: tuple[bytes, ...]  # DER
    capabilities: dict[str, caps.Capabilities] = field(default_factory=dict)
    credentials: CredentialDirectory = field(default_factory=CredentialDirectory)  # per process
    name: str = ""  # the companion this target is ("": the profile's own; cscsuite.companions)

    def suffix(self) -> str:
        """``@<companion>`` for a companion's names (evidence, report keys); ``""`` else."""
        return f"@{self.name}" if self.name else ""

    def csc_base_url(self, version: str) -> str:
        """Where the CSC methods of ``version`` live (``<base>/csc/v2/``)."""
        return f"{self.base_url.rstrip('/')}/csc/{version}/"

    def skip_reason(self, capability: str, version: str) -> str | None:
        return self.capabilities[version].skip_reason(capability)


def csc_info_url(base_url: str, version: str) -> str:
    return f"{base_url.rstrip('/')}/csc/{version}/info"


class SandboxProcess:
    """The embedded reference service, started once per run."""

    def __init__(self, *, config: str | None = None, personality: str | None = None,
                 defects: Sequence[str] = (), extra_args: Sequence[str] = (),
                 log_path: Path = Path("reports/sandbox.log"),
                 timeout_s: float = READY_TIMEOUT_S) -> None:
        self.config = config
        self.personality = personality
        self.defects = tuple(defects)
        self.extra_args = tuple(extra_args)
        self.log_path = log_path
        self.timeout_s = timeout_s
        self.base_url: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="cscsandbox-")
        self._pump: threading.Thread | None = None

    def command(self, ready_file: Path) -> list[str]:
        cmd = [sys.executable, "-m", "cscsandbox", "--host", "127.0.0.1", "--port", "0",
               "--ready-file", str(ready_file), "--db", str(Path(self._tmp.name) / "sandbox.db")]
        if self.config:
            cmd += ["--config", self.config]
        if self.personality:
            cmd += ["--personality", self.personality]
        for name in self.defects:
            cmd += ["--defect", name]
        return cmd + list(self.extra_args)

    def start(self) -> str:
        """Start and wait for readiness; returns the base URL or raises ``TargetError``."""
        ready = Path(self._tmp.name) / "ready"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w", encoding="utf-8")
        self._proc = subprocess.Popen(self.command(ready), stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        assert self._proc.stdout is not None
        self._pump = threading.Thread(target=_pump, args=(self._proc.stdout, log), daemon=True)
        self._pump.start()
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            url = _read_ready(ready)
            if url:
                self.base_url = url
                return url
            if self._proc.poll() is not None:
                self._finish_log()
                raise TargetError(f"the embedded service exited with code {self._proc.returncode}"
                                  f" before it was ready; see {self.log_path}: {self._last_line()}")
            time.sleep(0.05)
        self.stop()
        raise TargetError(f"the embedded service was not ready within {self.timeout_s:.0f} s; "
                          f"see {self.log_path}")

    def stop(self) -> None:
        """Terminate (then kill) the service and close the log; idempotent."""
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=5)
        self._finish_log()
        with contextlib.suppress(OSError):
            self._tmp.cleanup()

    def _finish_log(self) -> None:
        if self._pump:
            self._pump.join(timeout=5)
            self._pump = None

    def _last_line(self) -> str:
        with contextlib.suppress(OSError):
            lines = [ln for ln in self.log_path.read_text().splitlines() if ln.strip()]
            return lines[-1] if lines else "(no output)"
        return "(no output)"


def _pump(stream: IO[bytes], log: IO[str]) -> None:
    """Copy the service's output to the log, redacted line by line."""
    with log, stream:
        for raw in iter(stream.readline, b""):
            log.write(REDACTOR.text(raw.decode("utf-8", "replace")))
            log.flush()


def _read_ready(path: Path) -> str | None:
    """The base URL from the ready file (``cscsandbox ready <url>`` or just the URL)."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    for token in reversed(text.split()):
        if token.startswith(("http://", "https://")):
            return token.rstrip("/")
    return None


def probe(http: ApiClient, base_url: str, versions: Sequence[str]) -> dict[str, Any]:
    """POST ``info`` for each version; raises ``TargetError`` in one line when unusable."""
    bodies: dict[str, Any] = {}
    for version in versions:
        url = csc_info_url(base_url, version)
        try:
            resp = http.post_json(url, {})
        except TargetUnreachable as exc:
            raise TargetError(f"target unreachable: {url} ({exc.reason})") from None
        if resp.status != 200 or not isinstance(resp.body, dict):
            raise TargetError(f"{url} answered HTTP {resp.status} without a JSON object: is it a "
                              f"CSC {version} service? (choose versions with --csc-api)")
        bodies[version] = resp.body
    return bodies


def _fetch_json(http: ApiClient) -> Any:
    def fetch(url: str) -> dict[str, Any] | None:
        try:
            resp = http.get(url, headers={"Accept": "application/json"})
        except TargetUnreachable:
            return None
        return resp.body if resp.status == 200 and isinstance(resp.body, dict) else None
    return fetch


def load_trust_anchor(http: ApiClient, anchor: TrustAnchor, base_url: str,
                      profile_dir: Path) -> bytes:
    """A trust anchor as DER, from a file (PEM or DER) or a URL."""
    if anchor.file:
        path = Path(anchor.file)
        path = path if path.is_absolute() else profile_dir / path
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TargetError(f"trust anchor {path} unreadable: {exc.strerror}") from None
    else:
        url = expand(anchor.url or "", base_url=base_url)
        try:
            resp = http.client.get(url)  # raw bytes needed; not scenario evidence
        except httpx.TransportError as exc:
            raise TargetError(f"trust anchor {url} unreachable ({type(exc).__name__})") from None
        if resp.status_code != 200:
            raise TargetError(f"trust anchor {url} answered HTTP {resp.status_code}")
        data = resp.content
    return _to_der(data)


def _to_der(data: bytes) -> bytes:
    from asn1crypto import pem

    return pem.unarmor(data)[2] if pem.detect(data) else data


def build_target(http: ApiClient, profile: Profile, base_url: str,
                 versions: Sequence[str]) -> Target:
    """Probe, discover and resolve capabilities: the session's view of the target."""
    bodies = probe(http, base_url, versions)
    infos = {v: parse_info(v, body) for v, body in bodies.items()}
    fetch = _fetch_json(http)
    endpoints = {v: as_endpoints(info, fetch) for v, info in infos.items()}
    profile_dir = Path(profile.source_path).parent
    anchors = tuple(load_trust_anchor(http, a, base_url, profile_dir)
                    for a in profile.trust_anchors)
    return Target(base_url=base_url, info=infos, endpoints=endpoints, trust_anchors=anchors,
                  capabilities=caps.resolve(profile, infos, endpoints))
