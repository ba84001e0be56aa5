"""The plugin end to end (pytest subprocesses on the smoke project): version ids, header, the
embedded service's life cycle, capability skips, and errors of use as one line with exit code 4.
"""

from __future__ import annotations

import re
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

SANDBOX_PROFILE = Path(__file__).resolve().parents[2] / "targets" / "sandbox.toml"
RunPytest = Callable[..., subprocess.CompletedProcess[str]]
PROFILE_OPT = f"--profile={SANDBOX_PROFILE}"
USAGE_ERROR = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("ERROR:")]


def test_version_ids_and_header(run_smoke: RunPytest) -> None:
    result = run_smoke(PROFILE_OPT, "--collect-only", "-q")
    ids = set(re.findall(r"::(\w+\[v\d\])", result.stdout))
    assert "test_the_service_describes_itself[v1]" in ids
    assert "test_the_service_describes_itself[v2]" in ids
    assert {i for i in ids if "v2only" in i} == {"test_a_v2only_scenario[v2]"}
    header = run_smoke(PROFILE_OPT, "--collect-only").stdout
    assert "cscsuite 0.1.0: profile sandbox" in header
    assert "cscsuite API versions: v1, v2" in header
    assert "sandbox-client-secret" not in header and "alice-password" not in header


def test_csc_api_option_deselects_other_version_only_scenarios(run_smoke: RunPytest) -> None:
    result = run_smoke(PROFILE_OPT, "--collect-only", "-q", "--csc-api", "v1")
    assert "[v2]" not in result.stdout and "1 deselected" in result.stdout


def test_embedded_service_runs_and_stops(run_smoke: RunPytest, smoke_project: Path) -> None:
    result = run_smoke(PROFILE_OPT, "-rs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed, 1 skipped" in result.stdout
    assert "target lacks capability 'par' for v1" in result.stdout
    url = re.search(r"embedded reference service at (http://127\.0\.0\.1:\d+)", result.stdout)
    assert url, result.stdout
    with pytest.raises(httpx.TransportError):  # stopped at the end of the run
        httpx.post(f"{url.group(1)}/csc/v1/info", json={}, timeout=2)
    reports = smoke_project / "reports"
    assert "cscsandbox ready" in (reports / "sandbox.log").read_text()
    evidence = sorted(p.name for p in (reports / "evidence").iterdir())
    assert any(name.endswith("test_the_service_describes_itself_v1") for name in evidence)


def test_unreachable_target_is_one_line_within_seconds(run_smoke: RunPytest) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run_smoke(PROFILE_OPT, f"--base-url={url}", timeout=15)
    assert result.returncode == USAGE_ERROR
    assert error_lines(result.stderr) == [
        f"ERROR: target unreachable: {url}/csc/v1/info (ConnectError: [Errno 111] "
        "Connection refused)"]
    assert "passed" not in result.stdout and "failed" not in result.stdout


def test_missing_secret_names_the_variable(run_smoke: RunPytest, smoke_project: Path) -> None:
    text = SANDBOX_PROFILE.read_text().replace(
        'secret = { env = "SANDBOX_CLIENT_SECRET", default = "sandbox-client-secret" }',
        'secret = { env = "CSCSUITE_TEST_UNSET_SECRET" }')
    (smoke_project / "nosecret.toml").write_text(text)
    result = run_smoke("--profile=nosecret.toml", timeout=30)
    assert result.returncode == USAGE_ERROR
    [line] = error_lines(result.stderr)
    assert "CSCSUITE_TEST_UNSET_SECRET" in line and "nosecret.toml" in line


def test_malformed_profile_names_file_and_key(run_smoke: RunPytest, smoke_project: Path) -> None:
    text = SANDBOX_PROFILE.read_text().replace("[timeouts]", "[timeouts]\nrequest = 3")
    (smoke_project / "typo.toml").write_text(text)
    result = run_smoke("--profile=typo.toml", timeout=30)
    assert result.returncode == USAGE_ERROR
    [line] = error_lines(result.stderr)
    assert "typo.toml" in line and "'timeouts.request'" in line


def test_defect_needs_the_embedded_service(run_smoke: RunPytest) -> None:
    result = run_smoke(PROFILE_OPT, "--base-url=http://127.0.0.1:9",
                       "--sandbox-defect=sad-reusable", timeout=30)
    assert result.returncode == USAGE_ERROR
    assert "--sandbox-defect only applies to the embedded service" in result.stderr


def test_browser_not_found(run_smoke: RunPytest, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-browser"
    result = run_smoke(PROFILE_OPT, f"--browser-path={missing}", "-k", "browser", timeout=30)
    assert result.returncode == USAGE_ERROR
    assert error_lines(result.stderr) == [f"ERROR: browser not found: {missing} (--browser-path)"]


def test_xdist_workers_share_one_embedded_service(run_smoke: RunPytest) -> None:
    result = run_smoke(PROFILE_OPT, "-p", "xdist.plugin", "-n", "2", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("embedded reference service at") == 1  # started by the controller
    assert "6 passed, 1 skipped" in result.stdout
