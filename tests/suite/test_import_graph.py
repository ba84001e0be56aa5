"""No import circles in ``cscsuite`` and ``cscsandbox``, and every module imports on its own.

The static check reads every import (type-only and function-level ones too: a circle hidden behind
``TYPE_CHECKING`` is still two modules that cannot be understood apart); the dynamic one imports
each module first, in one fresh interpreter that forgets the project's modules between imports.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGES = ("cscsuite", "cscsandbox")


def module_files() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (SRC / package).rglob("*.py"):
            parts = path.relative_to(SRC).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                         for a in node.names)
    return {m for m in found if m in known and m != name}


def test_no_import_circles() -> None:
    known = module_files()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as err:
        raise AssertionError(f"import circle: {' -> '.join(err.args[1])}") from None


def test_a_circle_behind_type_checking_is_found(tmp_path: Path) -> None:
    """The static check finds a circle behind TYPE_CHECKING (so it can fail)."""
    (tmp_path / "a.py").write_text("from typing import TYPE_CHECKING\n"
                                   "if TYPE_CHECKING:\n    from b import B\n")
    (tmp_path / "b.py").write_text("from a import A\n")
    known = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    graph = {n: imported(n, p, known) for n, p in known.items()}
    assert graph == {"a": {"b"}, "b": {"a"}}


IMPORT_EACH = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.split(".")[0] in ("cscsuite", "cscsandbox")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
"""


def test_every_module_imports_first() -> None:
    names = sorted(n for n in module_files() if not n.endswith(".__main__"))  # those run
    done = subprocess.run([sys.executable, "-c", IMPORT_EACH, *names], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", done.stdout
