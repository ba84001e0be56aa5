"""A sandbox profile whose embedded service runs with a different configuration.

Derived at test time from ``targets/sandbox.toml`` and the service's committed configuration
(never copied into the repository), so both stay the single source: used for short lifetimes in
self-tests and for canary secrets in the redaction test.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path

from selftest.processes import REPO_ROOT

SANDBOX_PROFILE = REPO_ROOT / "targets" / "sandbox.toml"


def override_config(config_text: str, overrides: Mapping[str, int | float | str]) -> str:
    """Replace ``key = value`` lines of the configuration (each key must occur exactly once)."""
    for key, value in overrides.items():
        pattern = re.compile(rf"^{re.escape(key)} = .*$", re.MULTILINE)
        literal = f'"{value}"' if isinstance(value, str) else str(value)
        config_text, count = pattern.subn(f"{key} = {literal}", config_text)
        if count != 1:
            raise ValueError(f"config key {key!r} found {count} times, expected once")
    return config_text


def sandbox_profile_with_config(workdir: Path, config_text: str,
                                capabilities: Mapping[str, bool] | None = None) -> Path:
    """Write the configuration and a sandbox profile starting the service with it.

    ``capabilities`` are declared in the derived profile, e.g. ``short_sad_lifetime`` when the
    configuration shortens the credential token lifetime.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "sandbox-config.toml"
    config.write_text(config_text, encoding="utf-8")
    text = SANDBOX_PROFILE.read_text(encoding="utf-8")
    if text.count("\n[sandbox]\n") != 1:
        raise ValueError(f"{SANDBOX_PROFILE}: no single [sandbox] table to extend")
    text = text.replace("\n[sandbox]\n", f'\n[sandbox]\nconfig = "{config}"\n')
    if capabilities:
        if text.count("\n[capabilities]\n") != 1:
            raise ValueError(f"{SANDBOX_PROFILE}: no single [capabilities] table to extend")
        lines = "".join(f"{k} = {str(v).lower()}\n" for k, v in capabilities.items())
        text = text.replace("\n[capabilities]\n", f"\n[capabilities]\n{lines}")
    profile = workdir / SANDBOX_PROFILE.name
    profile.write_text(text, encoding="utf-8")
    deviations = SANDBOX_PROFILE.with_name("sandbox.deviations.toml")
    if deviations.exists():
        shutil.copy(deviations, workdir / deviations.name)
    return profile
