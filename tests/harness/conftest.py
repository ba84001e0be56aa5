"""Harness-break tests: each runs the conformance suite as a subprocess with a part of the suite
itself broken (login recipe, code exchange, SAD, browser) and checks that every refusal scenario
that depends on the broken part ends as an *error*, never as a pass."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "harness: runs the conformance suite with a deliberately broken harness")
