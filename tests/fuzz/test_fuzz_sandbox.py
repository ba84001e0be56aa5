"""Fuzz the reference service from its OpenAPI description (schemathesis 4 + hypothesis).

Three kinds of input, each with and without valid credentials: schema-conforming requests
(``positive``), schema-violating ones (``negative``) and raw bodies that are not the declared
JSON at all (``raw``). Whatever arrives, the service must answer without a 5xx, and every 4xx
must be a CSC JSON error ``{"error": <string>, ...}`` [CSC1 §10.1, spec-notes §10 no. 13].
Each test prints its request count and 5xx count; the run's totals are printed at the end.
"""

from __future__ import annotations

import math

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fuzz import inputs
from fuzz.budget import fuzz_budget
from fuzz.minter import TokenMinter
from fuzz.tally import Tally, record_tally
from selftest.processes import LiveSandbox

MODES = ("positive", "negative", "raw")
AUTH = ("anonymous", "authenticated")
MAX_SHARD = 700  # requests per test: keeps each test well inside a pytest-xdist work unit
MAX_ROUNDS = 25  # hypothesis may stop early when a space is exhausted; rerun, bounded


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Split the budget over mode x auth x shards so pytest-xdist can spread the work."""
    if "shard_size" not in metafunc.fixturenames:
        return
    per_combo = math.ceil(fuzz_budget(metafunc.config) / (len(MODES) * len(AUTH)))
    shards = max(1, math.ceil(per_combo / MAX_SHARD))
    size = math.ceil(per_combo / shards)
    metafunc.parametrize("mode", MODES)
    metafunc.parametrize("auth", AUTH)
    metafunc.parametrize("shard_size", [size] * shards, ids=[f"shard{i}" for i in range(shards)])


@pytest.mark.fuzz
@pytest.mark.timeout(600)
def test_every_answer_is_a_json_error_or_success(
    mode: str, auth: str, shard_size: int, fuzz_target: LiveSandbox, minter: TokenMinter,
    request: pytest.FixtureRequest,
) -> None:
    tally = Tally()
    session = requests.Session()
    authenticated = auth == "authenticated"
    strategy = inputs.strategy_for(mode)
    rounds = 0
    while tally.requests < shard_size and rounds < MAX_ROUNDS:
        rounds += 1
        _run_round(strategy, shard_size - tally.requests, tally, session, fuzz_target.base_url,
                   minter, authenticated)
    summary = f"fuzz {mode}/{auth}: {tally.requests} requests, {tally.server_errors} 5xx"
    print(f"\n{summary}; statuses {dict(sorted(tally.statuses.items()))}")
    record_tally(request.config, f"{mode}/{auth}", tally)
    assert tally.requests >= shard_size, f"only {tally.requests} of {shard_size}: {summary}"
    assert not tally.problems, f"{summary}; first problems:\n" + "\n".join(tally.problems[:15])


def _run_round(
    strategy: st.SearchStrategy[inputs.Request], remaining: int, tally: Tally,
    session: requests.Session, base_url: str, minter: TokenMinter, authenticated: bool,
) -> None:
    @settings(
        max_examples=remaining, deadline=None, database=None, phases=[Phase.generate],
        suppress_health_check=list(HealthCheck), derandomize=False,
    )
    @given(req=strategy, data=st.data())
    def one(req: inputs.Request, data: st.DataObject) -> None:
        if authenticated:
            inputs.make_realistic(req, data.draw, minter)
        tally.observe(req.describe(), req.send(session, base_url))

    one()
