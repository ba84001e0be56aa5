"""A slow target: the profile's per-request timeout and per-test timeout stop each scenario in
seconds, every scenario still gets a result, and the run ends (the proxy holds calls far longer).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from robustness.delaying_proxy import delaying_proxy
from selftest.processes import LiveSandbox, live_sandbox, run_suite

PROFILE = Path(__file__).with_name("slow-target.toml")
SCENARIOS = "id_discovery_001 or id_discovery_002 or id_discovery_003"
HELD_S = 40.0  # how long the proxy holds a call: far beyond both timeouts under test


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSandbox]:
    with live_sandbox(tmp_path_factory.mktemp("slow-sandbox")) as running:
        yield running


def _profile(tmp_path: Path, request_s: float, test_s: float) -> Path:
    text = PROFILE.read_text(encoding="utf-8")
    text = text.replace("request_s = 2.0", f"request_s = {request_s}")
    text = text.replace("test_s = 60.0", f"test_s = {test_s}")
    path = tmp_path / "slow-target.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.robustness
@pytest.mark.timeout(600)
@pytest.mark.parametrize("request_s, test_s, expected", [
    (2.0, 60.0, ("timed out", "timeout", "unreachable")),  # per-request timeout
    (60.0, 4.0, ("timeout",)),  # per-test timeout
], ids=["request-timeout", "test-timeout"])
def test_slow_target_is_cut_off_by_the_profile_timeouts(
    request_s: float, test_s: float, expected: tuple[str, ...], sandbox: LiveSandbox,
    tmp_path: Path,
) -> None:
    profile = _profile(tmp_path, request_s, test_s)
    with delaying_proxy(sandbox.base_url, HELD_S) as slow_url:
        run = run_suite([f"--profile={profile}", f"--base-url={slow_url}", "-m", SCENARIOS,
                         "-n", "0"], tmp_path / "reports",
                        timeout_s=5 * HELD_S)
    summary = json.loads((run.reports_dir / "summary.json").read_text(encoding="utf-8"))
    scenarios = summary["scenarios"]
    assert len(scenarios) == 3, run.output[-3000:]
    for nodeid, item in scenarios.items():
        assert item["outcome"] in ("failed", "error"), f"{nodeid}: {item}"
        message = item["message"].lower()
        assert any(word in message for word in expected), f"{nodeid}: {item['message']!r}"
        # Each scenario was stopped by the timeout under test, not by the proxy letting go.
        assert item["duration"] < HELD_S / 2, f"{nodeid} ran {item['duration']}s"
