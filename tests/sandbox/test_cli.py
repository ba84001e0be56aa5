"""The command line: readiness, clean stop, defects listing, config errors, restart persistence."""

from __future__ import annotations

import base64
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from cscsandbox import config, db, defects, tokens

from .helpers import digest, sign_body
from .live import start_sandbox


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cscsandbox", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_list_defects_prints_every_defect() -> None:
    result = _run("--list-defects")
    assert result.returncode == 0
    names = {line.split()[0] for line in result.stdout.splitlines()}
    assert names == set(defects.DEFECTS)


def test_unknown_defect_is_a_clear_error() -> None:
    result = _run("--defect", "no-such-defect")
    assert result.returncode == 2
    assert "unknown defect(s): no-such-defect" in result.stderr


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[service\n")
    result = _run("--config", str(bad))
    assert result.returncode == 2 and "not valid TOML" in result.stderr
    missing = _run("--config", str(tmp_path / "absent.toml"))
    assert missing.returncode == 2 and "cannot read config" in missing.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_ready_line_and_clean_stop(tmp_path: Path, sig: signal.Signals) -> None:
    with start_sandbox(tmp_path) as sandbox:
        assert sandbox.ready_line == f"cscsandbox ready {sandbox.base_url}"
        assert sandbox.base_url.startswith("http://127.0.0.1:")
        assert httpx.post(f"{sandbox.base_url}/csc/v2/info", json={}).status_code == 200
        sandbox.process.send_signal(sig)
        assert sandbox.process.wait(timeout=10) == 0


def test_own_config_with_distinctive_secrets(tmp_path: Path) -> None:
    text = config.default_text().replace("sandbox-client-secret", "s3cr3t-from-test")
    text = text.replace('name = "primesign MOBILE (cscsandbox)"', 'name = "custom sandbox"')
    path = tmp_path / "own.toml"
    path.write_text(text, encoding="utf-8")
    loaded = config.load(path)
    client = loaded.client("sandbox-client")
    assert client is not None and client.secret == "s3cr3t-from-test"
    assert isinstance(loaded.raw["oauth"], dict)  # kept raw for the authorization server
    with start_sandbox(tmp_path, "--config", str(path)) as sandbox:
        assert httpx.post(f"{sandbox.base_url}/csc/v1/info").json()["name"] == "custom sandbox"


def test_defect_flag_reaches_the_service(tmp_path: Path) -> None:
    with start_sandbox(tmp_path, "--defect", "info-missing-name") as sandbox:
        assert "name" not in httpx.get(f"{sandbox.base_url}/csc/v2/info").json()


def test_restart_keeps_pki_and_tokens(tmp_path: Path) -> None:
    db_path = str(tmp_path / "persist.db")
    with start_sandbox(tmp_path, "--db", db_path) as first:
        db.set_default_path(db_path)
        service = tokens.issue(
            kind="access",
            scope="service",
            client_id="sandbox-client",
            user_id="alice",
            grant_id="g",
            api_version="v2",
            lifetime_s=600,
        )
        sad = tokens.issue(
            kind="access",
            scope="credential",
            client_id="sandbox-client",
            user_id="alice",
            grant_id="g2",
            api_version="v2",
            lifetime_s=600,
            credential_id="alice-rsa2048-multi",
            num_signatures=2,
        )
        headers = {"Authorization": f"Bearer {service}"}
        before = _chain(first.base_url, headers)
        body = sign_body("v2", "alice-rsa2048-multi", sad, [digest(b"1")], "1.2.840.113549.1.1.11")
        assert (
            httpx.post(
                f"{first.base_url}/csc/v2/signatures/signHash", json=body, headers=headers
            ).status_code
            == 200
        )
        assert first.stop() == 0
    with start_sandbox(tmp_path, "--db", db_path) as second:
        assert _chain(second.base_url, headers) == before  # same keys, certificates, root
        url = f"{second.base_url}/csc/v2/signatures/signHash"
        assert httpx.post(url, json=body, headers=headers).status_code == 200
        third = httpx.post(url, json=body, headers=headers)
        assert third.status_code == 400 and third.json()["error_description"] == (
            "Invalid parameter SAD"
        )  # the count survived the restart


def _chain(base_url: str, headers: dict[str, str]) -> list[bytes]:
    doc = httpx.post(
        f"{base_url}/csc/v2/credentials/info",
        headers=headers,
        json={"credentialID": "alice-rsa2048-multi", "certificates": "chain"},
    ).json()
    return [base64.b64decode(c) for c in doc["cert"]["certificates"]]


def test_set_overrides_one_configuration_value() -> None:
    cfg = config.load(None, None, ["oauth.par_expires_in=4", "service.sad_lifetime_s=4"])
    assert cfg.raw["oauth"]["par_expires_in"] == 4 and cfg.service.sad_lifetime_s == 4


@pytest.mark.parametrize(("setting", "message"), [
    ("oauth.no_such_key=1", "has no key 'no_such_key' in [oauth]"),
    ("oauth.par_expires_in=soon", "takes a value of type int"),
    ("par_expires_in=4", "expected TABLE.KEY=VALUE"),
])
def test_set_refuses_unknown_keys_and_wrong_types(setting: str, message: str) -> None:
    result = _run("--set", setting)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
