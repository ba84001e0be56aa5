"""Fail fast, in one message, when a profile's required environment variables are missing.

Usage: python scripts/check_profile_env.py primesign-test   (or a path to a profile .toml)

The profile loader stops at the first missing variable; before a long CI job it is kinder to list
all of them. Required = every ``{ env = "VAR" }`` without ``default`` and every ``var`` of an
``otp = { kind = "env" }`` source.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TARGETS = Path(__file__).resolve().parent.parent / "targets"


def required_vars(node: Any) -> Iterator[str]:
    """Every environment variable the profile cannot do without."""
    if isinstance(node, dict):
        if isinstance(node.get("env"), str) and "default" not in node:
            yield node["env"]
        if node.get("kind") == "env" and isinstance(node.get("var"), str):
            yield node["var"]
        for value in node.values():
            yield from required_vars(value)
    elif isinstance(node, list):
        for value in node:
            yield from required_vars(value)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = Path(argv[0])
    if not path.suffix:
        path = TARGETS / f"{argv[0]}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    needed = sorted(set(required_vars(data)))
    missing = [v for v in needed if v not in os.environ]
    if missing:
        print(f"profile '{path.stem}' needs these environment variables, which are not set: "
              f"{', '.join(missing)}. Set them (in CI: from the secret store); see README.md, "
              "'Running against PrimeSign's test system'.", file=sys.stderr)
        return 1
    print(f"profile '{path.stem}': all {len(needed)} required environment variables are set")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
