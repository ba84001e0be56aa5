"""``python -m cscsandbox --personality NAME`` and ``issue-token`` as real subprocesses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from cscsandbox import config

from ..live import start_sandbox


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cscsandbox", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_list_personalities() -> None:
    result = _run("--list-personalities")
    assert result.returncode == 0
    assert result.stdout.split() == config.personalities()


def test_unknown_personality_is_a_clear_error() -> None:
    result = _run("--personality", "nope")
    assert result.returncode == 2
    assert "unknown personality 'nope'" in result.stderr


@pytest.mark.parametrize("name", config.personalities())
def test_every_personality_starts_and_answers_info(tmp_path: Path, name: str) -> None:
    version = config.load(None, name).service.api_versions[0]
    with start_sandbox(tmp_path, "--personality", name) as sandbox:
        info = httpx.post(f"{sandbox.base_url}/csc/{version}/info", json={}, timeout=10)
        assert info.status_code == 200
        assert info.json()["authType"] == list(config.load(None, name).service.auth_types)


def test_issue_token_gives_an_external_token_to_the_running_service(tmp_path: Path) -> None:
    db_path = str(tmp_path / "external.db")
    with start_sandbox(tmp_path, "--personality", "v1-external-ec", "--db", db_path) as sandbox:
        result = _run("issue-token", "--db", db_path, "--user", "alice",
                      "--personality", "v1-external-ec")
        assert result.returncode == 0, result.stderr
        token = result.stdout.strip()
        answer = httpx.post(f"{sandbox.base_url}/csc/v1/credentials/list", json={},
                            headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert answer.status_code == 200 and "alice-p256" in answer.json()["credentialIDs"]


@pytest.mark.parametrize(("args", "message"), [
    (["--user", "alice"], "does not accept external tokens"),
    (["--user", "mallory", "--personality", "v1-external-ec"], "unknown user 'mallory'"),
])
def test_issue_token_refusals(tmp_path: Path, args: list[str], message: str) -> None:
    result = _run("issue-token", "--db", str(tmp_path / "x.db"), *args)
    assert result.returncode == 2 and message in result.stderr
