"""The suite's robustness tests: each runs the conformance suite as a subprocess against a target
that misbehaves (absent, dying, slow, crashing browser) or with canary secrets."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "robustness: runs the conformance suite against a misbehaving target")
