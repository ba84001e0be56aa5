"""Redaction canaries: distinctive secret values for a whole run, and a search for them.

Every secret reference of the sandbox profile (``{ env = "VAR", default = "..." }``) whose
default is a secret of the sandbox's committed configuration gets a canary value: the canary goes
into a copy of that configuration (so the service really uses it) and into the variable (so the
suite really sends it). Then no report file, no member of a zip inside one (Playwright traces),
and no line of terminal output may contain a canary in any encoding a leak would take.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

MIN_SECRET_LEN = 8  # shorter test values (PIN "1234") would match by chance in binary reports


@dataclass(frozen=True)
class Canary:
    env_var: str
    default: str  # the committed test value it replaces
    value: str
    client_id: str | None = None  # set for client secrets (Basic auth encodes "id:secret")

    def needles(self) -> dict[str, bytes]:
        """The canary as a leak could show it: raw, URL- and JSON-encoded, in a Basic header,
        and as the account_token HMAC key (SHA-256 of a client secret)."""
        forms = {"raw": self.value, "url": quote(self.value, safe=""),
                 "form": quote_plus(self.value), "json": json.dumps(self.value)[1:-1]}
        if self.client_id:
            basic = f"{self.client_id}:{self.value}".encode()
            forms["basic"] = base64.b64encode(basic).decode()
            key = hashlib.sha256(self.value.encode()).digest()
            forms["hmac-key-hex"] = key.hex()
            forms["hmac-key-b64url"] = base64.urlsafe_b64encode(key).decode().rstrip("=")
        return {name: text.encode() for name, text in forms.items()}


def _secret_refs(profile: dict[str, Any]) -> Iterator[tuple[str, str, str | None]]:
    """(env var, default, client id) of every secret reference in the profile."""
    for client in profile.get("clients", {}).values():
        ref = client.get("secret")
        if isinstance(ref, dict) and "env" in ref and "default" in ref:
            yield ref["env"], ref["default"], client.get("client_id")
    for identity in profile.get("identities", {}).values():
        for ref in identity.get("values", {}).values():
            if isinstance(ref, dict) and "env" in ref and "default" in ref:
                yield ref["env"], ref["default"], None


def make_canaries(profile_path: Path, sandbox_config: str) -> list[Canary]:
    """Canaries for the profile's secrets that the sandbox configuration also holds."""
    profile = tomllib.loads(profile_path.read_text(encoding="utf-8"))
    canaries = []
    for index, (env_var, default, client_id) in enumerate(_secret_refs(profile)):
        if len(default) < MIN_SECRET_LEN or f'"{default}"' not in sandbox_config:
            continue
        value = f"Canary{index}-{secrets.token_hex(8)}"
        canaries.append(Canary(env_var, default, value, client_id))
    return canaries


def canary_config(sandbox_config: str, canaries: list[Canary]) -> str:
    """The sandbox configuration with every canaried secret replaced."""
    for canary in canaries:
        sandbox_config = sandbox_config.replace(f'"{canary.default}"', f'"{canary.value}"')
    return sandbox_config


def _blobs(path: Path, data: bytes) -> Iterator[tuple[str, bytes]]:
    """A file's bytes, and those of every member when it is a zip (recursively)."""
    yield str(path), data
    if not data.startswith(b"PK\x03\x04"):
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            yield from _blobs(path / member, archive.read(member))


def find_leaks(reports_dir: Path, terminal: str, canaries: list[Canary]) -> list[str]:
    """Where any canary occurs, as ``location: env var (form)``; empty when nothing leaked."""
    sources: list[tuple[str, bytes]] = [("terminal output", terminal.encode())]
    for path in sorted(p for p in reports_dir.rglob("*") if p.is_file()):
        sources.extend(_blobs(path.relative_to(reports_dir), path.read_bytes()))
    leaks = []
    for where, blob in sources:
        for canary in canaries:
            for form, needle in canary.needles().items():
                if needle in blob:
                    leaks.append(f"{where}: {canary.env_var} ({form})")
    return leaks


def count_files(reports_dir: Path) -> tuple[int, int]:
    """(files, zip archives) under the reports directory: proof the search had material."""
    files = [p for p in reports_dir.rglob("*") if p.is_file()]
    zips = [p for p in files if p.read_bytes()[:4] == b"PK\x03\x04"]
    return len(files), len(zips)
