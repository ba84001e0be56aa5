"""Explicit PIN/OTP (offline and online with credentials/sendOTP) and implicit authorization.

CSC1 §11.5 (authMode, PIN/OTP groups), §11.6 (authorize, invalid_pin/invalid_otp), spec-notes
§3.8 (sendOTP); v2: authData and invalid_authentication_data [CSC2 §11.6].
"""

from __future__ import annotations

import base64
import os

import pytest
from flask.testing import FlaskClient

from ..conftest import mint
from ..helpers import RSA_ENCRYPTION, SHA256, assert_error, certificate, sign_body, verify
from .conftest import PersonaClient
from .test_service_auth import basic, bearer

ECDSA_SHA256 = "1.2.840.10045.4.3.2"


@pytest.fixture
def client(persona: PersonaClient) -> FlaskClient:
    return persona("basic-explicit")


@pytest.fixture
def headers(client: FlaskClient) -> dict[str, str]:
    answer = client.post("/csc/v1/auth/login", json={}, headers=basic("alice:alice-password"))
    return bearer(answer.json["access_token"])


def authorize(client: FlaskClient, headers: dict[str, str], version: str, credential: str,
              factors: dict[str, str], digests: list[bytes] | None = None,
              number: int = 1) -> object:
    body: dict[str, object] = {"credentialID": credential, "numSignatures": number}
    if version == "v1":
        body.update(factors)
    else:
        body["authData"] = [{"id": k, "value": v} for k, v in factors.items()]
    if digests is not None:
        encoded = [base64.b64encode(d).decode() for d in digests]
        body.update({"hash": encoded} if version == "v1" else
                    {"hashes": encoded, "hashAlgorithmOID": SHA256})
    return client.post(f"/csc/{version}/credentials/authorize", json=body, headers=headers)


def send_otp(client: FlaskClient, headers: dict[str, str], credential: str,
             version: str = "v1") -> str:
    answer = client.post(f"/csc/{version}/credentials/sendOTP",
                         json={"credentialID": credential}, headers=headers)
    assert answer.status_code == 204 and answer.data == b""
    return str(client.get("/_sandbox/sms", query_string={"user": "alice"}).json["code"])


def signs(client: FlaskClient, headers: dict[str, str], version: str, credential: str,
          sad: str, algo: str = RSA_ENCRYPTION) -> None:
    """The SAD signs one fresh hash and the signature verifies with the certificate."""
    digest = os.urandom(32)
    answer = client.post(f"/csc/{version}/signatures/signHash", headers=headers,
                         json=sign_body(version, credential, sad, [digest], algo, SHA256))
    assert answer.status_code == 200, answer.json
    family = "rsa-pkcs1" if algo == RSA_ENCRYPTION else "ecdsa"
    verify(certificate(client, version, credential, headers),
           base64.b64decode(answer.json["signatures"][0]), digest, family, SHA256)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_pin_and_offline_otp_give_a_sad_that_signs(
    client: FlaskClient, headers: dict[str, str], version: str
) -> None:
    answer = authorize(client, headers, version, "alice-explicit", {"PIN": "1234", "OTP": "123456"})
    assert answer.status_code == 200, answer.json
    signs(client, headers, version, "alice-explicit", answer.json["SAD"])


@pytest.mark.parametrize(("factors", "error", "description"), [
    ({"PIN": "0000", "OTP": "123456"}, "invalid_pin", "The PIN is invalid"),
    ({"PIN": "1234", "OTP": "000000"}, "invalid_otp", "The OTP is invalid"),
    ({"OTP": "123456"}, "invalid_request", "Missing (or invalid type) string parameter PIN"),
    ({"PIN": "1234"}, "invalid_request", "Missing (or invalid type) string parameter OTP"),
])
def test_v1_wrong_or_missing_factors_are_refused(
    client: FlaskClient, headers: dict[str, str], factors: dict[str, str], error: str,
    description: str,
) -> None:
    answer = authorize(client, headers, "v1", "alice-explicit", factors)
    assert_error(answer, 400, error, description)


@pytest.mark.parametrize("factors", [
    {"PIN": "0000", "OTP": "123456"}, {"PIN": "1234"}, {"PIN": "1234", "OTP": "123456", "X": "1"},
])
def test_v2_wrong_authentication_data_is_refused(
    client: FlaskClient, headers: dict[str, str], factors: dict[str, str]
) -> None:
    answer = authorize(client, headers, "v2", "alice-explicit", factors)
    assert_error(answer, 400, "invalid_authentication_data", "The authentication data is invalid")


def test_more_signatures_than_multisign_are_refused(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    answer = authorize(client, headers, "v1", "alice-explicit",
                       {"PIN": "1234", "OTP": "123456"}, number=6)
    assert_error(answer, 400, "invalid_request", "Numbers of signatures is too high")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_online_otp_is_sent_and_used_once(
    client: FlaskClient, headers: dict[str, str], version: str
) -> None:
    code = send_otp(client, headers, "alice-explicit-online", version)
    factors = {"PIN": "1234", "OTP": code}
    answer = authorize(client, headers, version, "alice-explicit-online", factors)
    assert answer.status_code == 200, answer.json
    signs(client, headers, version, "alice-explicit-online", answer.json["SAD"])
    again = authorize(client, headers, version, "alice-explicit-online", factors)
    assert again.status_code == 400
    assert again.json["error"] == ("invalid_otp" if version == "v1"
                                   else "invalid_authentication_data")


def test_online_otp_without_send_otp_is_refused(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    answer = authorize(client, headers, "v1", "alice-explicit-online",
                       {"PIN": "1234", "OTP": "123456"})
    assert_error(answer, 400, "invalid_otp", "The OTP is invalid")


def test_only_the_last_sent_code_counts(client: FlaskClient, headers: dict[str, str]) -> None:
    first = send_otp(client, headers, "alice-explicit-online")
    second = send_otp(client, headers, "alice-explicit-online")
    if first != second:  # two random codes may coincide (1 in 10^6)
        stale = authorize(client, headers, "v1", "alice-explicit-online",
                          {"PIN": "1234", "OTP": first})
        assert_error(stale, 400, "invalid_otp")
    fresh = authorize(client, headers, "v1", "alice-explicit-online",
                      {"PIN": "1234", "OTP": second})
    assert fresh.status_code == 200


@pytest.mark.parametrize(("credential", "description"), [
    ("alice-explicit", "The credential has no online OTP (OTP type online)"),
    ("bob-explicit", "Invalid parameter credentialID"),
    ("no-such", "Invalid parameter credentialID"),
])
def test_send_otp_refuses_other_credentials(
    client: FlaskClient, headers: dict[str, str], credential: str, description: str
) -> None:
    answer = client.post("/csc/v1/credentials/sendOTP", json={"credentialID": credential},
                         headers=headers)
    assert_error(answer, 400, "invalid_request", description)


def test_send_otp_needs_a_service_token(client: FlaskClient) -> None:
    answer = client.post("/csc/v1/credentials/sendOTP",
                         json={"credentialID": "alice-explicit-online"})
    assert answer.status_code == 401


def test_pin_only_credential(client: FlaskClient, headers: dict[str, str]) -> None:
    answer = authorize(client, headers, "v2", "alice-pin-p256", {"PIN": "1234"})
    assert answer.status_code == 200, answer.json
    signs(client, headers, "v2", "alice-pin-p256", answer.json["SAD"], ECDSA_SHA256)


def test_v1_info_describes_the_factors(client: FlaskClient, headers: dict[str, str]) -> None:
    def info(credential: str) -> dict[str, object]:
        return dict(client.post("/csc/v1/credentials/info", headers=headers,
                                json={"credentialID": credential, "authInfo": True}).json)

    online = info("alice-explicit-online")
    assert online["authMode"] == "explicit"
    assert online["PIN"]["presence"] == "true"  # type: ignore[index]
    assert online["OTP"]["type"] == "online"  # type: ignore[index]
    assert info("alice-explicit")["OTP"]["type"] == "offline"  # type: ignore[index]
    assert info("alice-pin-p256")["OTP"] == {"presence": "false"}


def test_v2_info_describes_the_factors(client: FlaskClient, headers: dict[str, str]) -> None:
    def auth(credential: str) -> dict[str, object]:
        answer = client.post("/csc/v2/credentials/info", headers=headers,
                             json={"credentialID": credential, "authInfo": True})
        return dict(answer.json["auth"])

    assert auth("alice-explicit")["expression"] == "PIN AND OTP"
    pin_only = auth("alice-pin-p256")
    assert pin_only["expression"] == "PIN"
    assert [o["id"] for o in pin_only["objects"]] == ["PIN"]  # type: ignore[attr-defined]


def test_scal2_needs_the_hashes_and_binds_them(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    factors = {"PIN": "1234", "OTP": "123456"}
    unbound = authorize(client, headers, "v1", "alice-explicit-scal2", factors)
    assert_error(unbound, 400, "invalid_request")
    bound = authorize(client, headers, "v1", "alice-explicit-scal2", factors, [os.urandom(32)])
    assert bound.status_code == 200
    other = sign_body("v1", "alice-explicit-scal2", bound.json["SAD"], [os.urandom(32)],
                      RSA_ENCRYPTION, SHA256)
    answer = client.post("/csc/v1/signatures/signHash", json=other, headers=headers)
    assert_error(answer, 400, "invalid_request", "Hash is not authorized by the SAD.")


def test_three_wrong_pins_lock_the_credential_in_v1(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    for _ in range(3):
        wrong = authorize(client, headers, "v1", "alice-explicit", {"PIN": "0", "OTP": "123456"})
        assert_error(wrong, 400, "invalid_pin")
    right = authorize(client, headers, "v1", "alice-explicit", {"PIN": "1234", "OTP": "123456"})
    assert_error(right, 400, "invalid_request", "PIN locked")
    v2 = authorize(client, headers, "v2", "alice-explicit", {"PIN": "1234", "OTP": "123456"})
    assert_error(v2, 400, "invalid_request", "Credential locked")
    other = authorize(client, headers, "v1", "alice-explicit-scal2",
                      {"PIN": "1234", "OTP": "123456"}, [os.urandom(32)])
    assert other.status_code == 200  # the lock is per credential


def test_wrong_otps_lock_sending_too(client: FlaskClient, headers: dict[str, str]) -> None:
    for _ in range(3):
        wrong = authorize(client, headers, "v1", "alice-explicit-online",
                          {"PIN": "1234", "OTP": "x"})
        assert_error(wrong, 400, "invalid_otp")
    answer = client.post("/csc/v1/credentials/sendOTP",
                         json={"credentialID": "alice-explicit-online"}, headers=headers)
    assert_error(answer, 400, "invalid_request", "OTP locked")


def test_a_success_resets_the_count(client: FlaskClient, headers: dict[str, str]) -> None:
    for attempt in range(5):
        wrong = authorize(client, headers, "v2", "alice-explicit", {"PIN": "0", "OTP": "123456"})
        assert_error(wrong, 400, "invalid_authentication_data")
        if attempt % 2:
            ok = authorize(client, headers, "v2", "alice-explicit",
                           {"PIN": "1234", "OTP": "123456"})
            assert ok.status_code == 200, attempt


def test_the_default_never_locks(persona: PersonaClient) -> None:
    client = persona("primesign")
    headers = bearer(mint(api_version="v1"))
    for _ in range(5):
        wrong = authorize(client, headers, "v1", "alice-explicit", {"PIN": "0", "OTP": "123456"})
        assert_error(wrong, 400, "invalid_pin")
    right = authorize(client, headers, "v1", "alice-explicit", {"PIN": "1234", "OTP": "123456"})
    assert right.status_code == 200
