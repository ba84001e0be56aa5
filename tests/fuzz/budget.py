"""How many requests a fuzz run sends: a sample in the default test run, 10,000+ on demand."""

from __future__ import annotations

import os

import pytest

FULL_BUDGET = 10_400
SAMPLE_BUDGET = 1_500


def fuzz_budget(config: pytest.Config) -> int:
    """``CSC_FUZZ_REQUESTS=N`` wins, then ``--fuzz-full`` / ``CSC_FUZZ_FULL=1``, else a sample."""
    if os.environ.get("CSC_FUZZ_REQUESTS"):
        return int(os.environ["CSC_FUZZ_REQUESTS"])
    full = os.environ.get("CSC_FUZZ_FULL") == "1"
    try:
        full = full or bool(config.getoption("--fuzz-full"))
    except ValueError:  # tests/fuzz/conftest.py was not loaded at start-up: no such option
        pass
    return FULL_BUDGET if full else SAMPLE_BUDGET
