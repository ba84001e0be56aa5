"""Where reports and evidence live, for every part of the suite that writes into ``reports/``.

The reporting plugin owns ``--reports-dir``; the evidence collector and the suite plugin ask these
helpers instead of reading the option themselves, so the layout is defined once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cscsuite.evidence import safe_test_id

DEFAULT_REPORTS_DIR = "reports"
__all__ = ["evidence_dir", "evidence_root", "reports_dir", "safe_test_id"]


def reports_dir(config: pytest.Config) -> Path:
    """The run's report directory (absolute; relative values are taken from the invocation dir)."""
    raw = config.getoption("reports_dir", default=None) or DEFAULT_REPORTS_DIR
    path = Path(raw)
    if not path.is_absolute():
        path = Path(config.invocation_params.dir) / path
    return path


def evidence_root(config: pytest.Config) -> Path:
    """``<reports>/evidence``: one sub-directory per test."""
    return reports_dir(config) / "evidence"


def evidence_dir(config: pytest.Config, nodeid: str) -> Path:
    """The evidence directory of one test (it may not exist: not every test records evidence)."""
    return evidence_root(config) / safe_test_id(nodeid)
