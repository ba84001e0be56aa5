"""Access-token checks (401), transport errors and the error body shape (CSC1 §10)."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from cscsandbox import tokens

from .conftest import MintToken, mint
from .helpers import BSI_ARC, assert_error, certificate, digest, sign_body, verify

METHODS = ["credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash"]
MakeClient = Callable[..., FlaskClient]


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("method", METHODS)
def test_garbage_token_is_401(client: FlaskClient, version: str, method: str) -> None:
    answer = client.post(
        f"/csc/{version}/{method}", json={}, headers={"Authorization": "Bearer garbage"}
    )
    assert_error(answer, 401, "invalid_token")
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("method", METHODS)
def test_missing_token_is_401(client: FlaskClient, method: str) -> None:
    assert_error(client.post(f"/csc/v2/{method}", json={}), 401, "invalid_token")


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer a b", "token"])
def test_malformed_authorization_header_is_400(client: FlaskClient, header: str) -> None:
    answer = client.post("/csc/v2/credentials/list", json={}, headers={"Authorization": header})
    assert_error(answer, 400, "invalid_request", "Malformed authorization header")


def test_expired_token_is_401_expired_token(client: FlaskClient, mint_token: MintToken) -> None:
    token = mint_token(lifetime_s=-1)
    answer = client.post(
        "/csc/v2/credentials/list", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(answer, 401, "expired_token")


def test_revoked_service_token_is_401(client: FlaskClient, mint_token: MintToken) -> None:
    token = mint_token()
    tokens.revoke(token)
    answer = client.post(
        "/csc/v2/credentials/list", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(answer, 401, "invalid_token")


def test_refresh_token_is_not_an_access_token(client: FlaskClient, mint_token: MintToken) -> None:
    token = mint_token(kind="refresh")
    answer = client.post(
        "/csc/v2/credentials/list", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(answer, 401, "invalid_token")


def test_service_token_not_checked_defect(make_client: MakeClient) -> None:
    client = make_client(defects=["service-token-not-checked"])
    answer = client.post(
        "/csc/v2/credentials/list", json={}, headers={"Authorization": "Bearer garbage"}
    )
    assert answer.status_code == 200


def test_wrong_content_type(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    answer = client.post(
        "/csc/v2/credentials/list", data="{}", headers=auth_headers, content_type="text/plain"
    )
    assert_error(answer, 400, "invalid_request", "Content-Type must be application/json")


@pytest.mark.parametrize("body", ["{", "[]", "3", '"x"', '{"a":}', "[" * 5000])
def test_malformed_or_non_object_json(
    client: FlaskClient, auth_headers: dict[str, str], body: str
) -> None:
    answer = client.post(
        "/csc/v2/credentials/list", data=body, headers=auth_headers, content_type="application/json"
    )
    assert_error(answer, 400, "invalid_request")


def test_malformed_json_500_defect(make_client: MakeClient) -> None:
    client = make_client(defects=["malformed-json-500"])
    answer = client.post(
        "/csc/v2/credentials/list",
        data="{",
        content_type="application/json",
        headers={"Authorization": f"Bearer {mint()}"},
    )
    assert_error(answer, 500, "server_error")


def test_error_without_error_field_defect(make_client: MakeClient) -> None:
    client = make_client(defects=["error-without-error-field"])
    answer = client.post("/csc/v2/credentials/list", json={})
    assert answer.status_code == 401 and "error" not in answer.json


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nothing", 404),
        ("POST", "/csc/v3/info", 404),
        ("GET", "/csc/v2/credentials/list", 405),
        ("PUT", "/csc/v1/info", 405),
        ("POST", "/csc/v2/signatures/signDoc", 501),
        ("POST", "/csc/v1/credentials/extendTransaction", 501),
    ],
)
def test_http_errors_are_csc_json(client: FlaskClient, method: str, path: str, status: int) -> None:
    answer = client.open(path, method=method)
    assert answer.status_code == status
    assert set(answer.json) == {"error", "error_description"}


def test_oversized_body_is_413_json(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    answer = client.post(
        "/csc/v2/credentials/list",
        data="x" * 1_100_000,
        headers=auth_headers,
        content_type="application/json",
    )
    assert_error(answer, 413, "invalid_request")


def _sign(
    client: FlaskClient, credential_id: str, sign_algo: str, values: list[bytes]
) -> list[str]:
    sad = mint(scope="credential", credential_id=credential_id, num_signatures=len(values))
    body = sign_body("v2", credential_id, sad, values, sign_algo)
    answer = client.post(
        "/csc/v2/signatures/signHash", json=body, headers={"Authorization": f"Bearer {mint()}"}
    )
    assert answer.status_code == 200, answer.json
    return answer.json["signatures"]  # type: ignore[no-any-return]


def test_wrong_signature_bytes_defect_fails_verification(make_client: MakeClient) -> None:
    from cryptography.exceptions import InvalidSignature

    client = make_client(defects=["wrong-signature-bytes"])
    value = digest(b"x")
    signature = _sign(client, "alice-rsa2048", "1.2.840.113549.1.1.11", [value])[0]
    cert = certificate(client, "v2", "alice-rsa2048", {"Authorization": f"Bearer {mint()}"})
    with pytest.raises(InvalidSignature):
        verify(cert, base64.b64decode(signature), value, "rsa-pkcs1", "2.16.840.1.101.3.4.2.1")


def test_der_instead_of_plain_defect(make_client: MakeClient) -> None:
    client = make_client(defects=["der-instead-of-plain"])
    signature = base64.b64decode(_sign(client, "alice-p256", BSI_ARC + ".3", [digest(b"x")])[0])
    assert signature[0] == 0x30 and len(signature) != 64


def test_signatures_reversed_defect(make_client: MakeClient) -> None:
    from cryptography.exceptions import InvalidSignature

    client = make_client(defects=["signatures-reversed"])
    values = [digest(b"a"), digest(b"b")]
    first = _sign(client, "alice-rsa2048-multi", "1.2.840.113549.1.1.11", values)[0]
    cert = certificate(client, "v2", "alice-rsa2048-multi", {"Authorization": f"Bearer {mint()}"})
    with pytest.raises(InvalidSignature):
        verify(cert, base64.b64decode(first), values[0], "rsa-pkcs1", "2.16.840.1.101.3.4.2.1")


def test_digest_length_unchecked_defect(make_client: MakeClient) -> None:
    client = make_client(defects=["digest-length-unchecked"])
    assert len(_sign(client, "alice-rsa2048", "1.2.840.113549.1.1.11", [b"\x01" * 31])) == 1
