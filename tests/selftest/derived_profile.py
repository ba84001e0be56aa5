"""A sandbox profile whose embedded service runs with a different configuration.

Derived at test time from ``targets/sandbox.toml`` and the service's committed configuration
(never copied into the repository), so both stay the single source: used for canary secrets in
the redaction test and for the harness tests' variations.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from selftest.processes import REPO_ROOT

SANDBOX_PROFILE = REPO_ROOT / "targets" / "sandbox.toml"


def sandbox_profile_with_config(workdir: Path, config_text: str) -> Path:
    """Write the configuration and a sandbox profile starting the service with it (the profile's
    ``[sandbox] args``, e.g. its short lifetimes, still apply on top)."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "sandbox-config.toml"
    config.write_text(config_text, encoding="utf-8")
    text = SANDBOX_PROFILE.read_text(encoding="utf-8")
    if text.count("\n[sandbox]\n") != 1:
        raise ValueError(f"{SANDBOX_PROFILE}: no single [sandbox] table to extend")
    text = text.replace("\n[sandbox]\n", f'\n[sandbox]\nconfig = "{config}"\n')
    profile = workdir / SANDBOX_PROFILE.name
    profile.write_text(text, encoding="utf-8")
    deviations = SANDBOX_PROFILE.with_name("sandbox.deviations.toml")
    if deviations.exists():
        shutil.copy(deviations, workdir / deviations.name)
    return profile
