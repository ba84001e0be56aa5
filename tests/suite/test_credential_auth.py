"""Credential authorization by each credential's authMode (``cscsuite.credential_auth``)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from auth_fakes import canned_driver

from cscsuite.adapters.base import CredentialInfo
from cscsuite.credential_auth import Factors, mechanism, otp_turn, required_factors
from cscsuite.driver_signing import SigningDriver

V1_EXPLICIT = {"authMode": "explicit", "PIN": {"presence": "true"},
               "OTP": {"presence": "true", "type": "offline"}}


def cred(mode: str, raw: dict[str, Any], credential_id: str = "c1") -> CredentialInfo:
    return CredentialInfo(credential_id, "enabled", ("1.2.840.10045.4.3.2",), 256, "P-256",
                          "valid", (), {}, mode, "1", 5, None, raw)


def authorize(flow: SigningDriver, info: CredentialInfo, **factors: Any) -> dict[str, Any]:
    flow.world.credential = info
    flow.world.hashes, flow.world.hash_algorithm = [b"\x01" * 32], "2.16.840.1.101.3.4.2.1"
    flow.world.service_token = "svc"  # type: ignore[assignment]
    resp = flow.authorize_directly(1, flow.world.hashes, **factors)
    assert resp.status == 200 and flow.world.sad == "sad-1"
    return _sent(flow)


def _sent(flow: SigningDriver) -> dict[str, Any]:
    service = flow.world.notes["service"]
    return json.loads(service.last("/credentials/authorize").content)  # type: ignore[no-any-return]


@pytest.fixture
def v1(tmp_path: Path) -> SigningDriver:
    flow, service = canned_driver(tmp_path, auth_types=("basic",))
    flow.world.notes["service"] = service
    return flow


def test_an_oauth2code_credential_goes_through_oauth_and_the_others_directly() -> None:
    assert mechanism(cred("oauth2code", {})) == "oauth" and mechanism(None) == "oauth"
    assert mechanism(cred("implicit", {})) == mechanism(cred("explicit", {})) == "direct"


def test_an_implicit_credential_is_authorized_without_factors(v1: SigningDriver) -> None:
    body = authorize(v1, cred("implicit", {"authMode": "implicit"}))
    assert "PIN" not in body and "OTP" not in body and body["numSignatures"] == 1


def test_an_explicit_credential_gets_the_pin_and_the_offline_code(v1: SigningDriver) -> None:
    body = authorize(v1, cred("explicit", V1_EXPLICIT))
    assert (body["PIN"], body["OTP"]) == ("1234", "123456")


def test_a_wrong_factor_under_test_keeps_the_right_other_one(v1: SigningDriver) -> None:
    body = authorize(v1, cred("explicit", V1_EXPLICIT), pin="0000")
    assert (body["PIN"], body["OTP"]) == ("0000", "123456")


def test_a_pin_only_credential_gets_no_otp(tmp_path: Path) -> None:
    flow, service = canned_driver(tmp_path, auth_types=("basic",), version="v2")
    flow.world.notes["service"] = service
    raw = {"auth": {"mode": "explicit", "objects": [{"type": "Password", "id": "PIN"}]}}
    body = authorize(flow, cred("explicit", raw))
    assert body["authData"] == [{"id": "PIN", "value": "1234"}]


def test_v2_implicit_is_explicit_with_no_objects(tmp_path: Path) -> None:
    flow, service = canned_driver(tmp_path, auth_types=("basic",), version="v2")
    flow.world.notes["service"] = service
    body = authorize(flow, cred("explicit", {"auth": {"mode": "explicit", "objects": []}}))
    assert body["authData"] == []


def test_an_online_otp_is_sent_then_read_where_the_profile_says(v1: SigningDriver) -> None:
    raw = {**V1_EXPLICIT, "OTP": {"presence": "true", "type": "online"}}
    body = authorize(v1, cred("explicit", raw))
    service = v1.world.notes["service"]
    assert service.sent == 1 and body["OTP"] == service.otp and body["PIN"] == "1234"
    paths = [r.url.path.rsplit("/", 1)[-1] for r in service.requests]
    assert paths == ["sendOTP", "sms", "authorize"]


def test_v2_knows_an_online_otp_by_the_profiles_role() -> None:
    raw = {"auth": {"mode": "explicit", "objects": [{"id": "PIN"}, {"id": "OTP"}]}}
    online = required_factors("v2", cred("explicit", raw, "online-1"), frozenset({"online-1"}))
    offline = required_factors("v2", cred("explicit", raw, "other"), frozenset({"online-1"}))
    assert online.online and online.pin and not offline.online and offline.otp


def test_a_factor_the_profile_lacks_skips_with_the_reason(v1: SigningDriver) -> None:
    values = dict(v1.identity("signer").values)
    values.pop("pin")
    object.__setattr__(v1.identity("signer"), "values", values)
    with pytest.raises(pytest.skip.Exception, match="asks for a pin and the profile gives none"):
        authorize(v1, cred("explicit", V1_EXPLICIT))


def _otp_flow(base_url: str) -> Any:
    profile = SimpleNamespace(timeouts=SimpleNamespace(request_s=0.25))
    return SimpleNamespace(target=SimpleNamespace(base_url=base_url),
                           world=SimpleNamespace(profile=profile))


def test_an_online_otp_turn_is_reentrant_in_one_process_and_exclusive_across_processes():
    """A scenario that sends a code and then authorizes (which takes the turn again) must not
    wait for itself; another worker must wait until the code has been used (CSC1 §11.8: only
    the last code sent counts)."""
    flow = _otp_flow(f"http://127.0.0.1:1/{time.time_ns()}")
    cred = SimpleNamespace(credential_id="alice-explicit-online")
    online = Factors(pin=True, otp=True, online=True)
    other_worker = ("import sys, cscsuite.credential_auth as c\n"
                    "from types import SimpleNamespace as N\n"
                    "flow = N(target=N(base_url=sys.argv[1]), world=N(profile=N(timeouts="
                    "N(request_s=0.25))))\n"
                    "try:\n"
                    "    with c.otp_turn(flow, N(credential_id=sys.argv[2]), c.Factors("
                    "otp=True, online=True)):\n"
                    "        print('got the turn')\n"
                    "except Exception as exc:\n"
                    "    print(type(exc).__name__)\n")
    args = [sys.executable, "-c", other_worker, flow.target.base_url, cred.credential_id]
    with otp_turn(flow, cred, online), otp_turn(flow, cred, online):  # type: ignore[arg-type]
        held = subprocess.run(args, capture_output=True, text=True, timeout=60)
    free = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert held.stdout.strip() == "Timeout", held.stderr
    assert free.stdout.strip() == "got the turn", free.stderr
