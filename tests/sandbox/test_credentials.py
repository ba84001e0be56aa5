"""credentials/list and credentials/info on both versions (CSC §11.4, §11.5)."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask.testing import FlaskClient

from .conftest import mint
from .helpers import assert_error

ALICE = [
    f"alice-{s}"
    for s in (
        "rsa2048",
        "rsa3072",
        "p256",
        "p384",
        "rsa2048-scal2",
        "rsa2048-multi",
        "disabled",
        "expired",
        "revoked",
        "explicit",
        "implicit",
    )
]


def _list(client: FlaskClient, version: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"/csc/{version}/credentials/list", json=body, headers=headers)


def _info(client: FlaskClient, version: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"/csc/{version}/credentials/info", json=body, headers=headers)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_list_returns_only_the_users_credentials(
    client: FlaskClient, auth_headers: dict[str, str], version: str
) -> None:
    answer = _list(client, version, {}, auth_headers)
    assert answer.status_code == 200
    if version == "v1":  # the server's page size (10) applies without maxResults
        assert answer.json["credentialIDs"] == ALICE[:10] and "nextPageToken" in answer.json
    else:
        assert answer.json["credentialIDs"] == ALICE


def test_v1_paging_walks_every_id_once(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    seen: list[str] = []
    body: dict[str, Any] = {"maxResults": 3}
    for _ in range(10):
        page = _list(client, "v1", body, auth_headers).json
        assert len(page["credentialIDs"]) <= 3
        seen += page["credentialIDs"]
        if "nextPageToken" not in page:
            break
        body = {"maxResults": 3, "pageToken": page["nextPageToken"]}
    assert seen == ALICE


def test_v1_paging_duplicates_defect(make_client: Callable[..., FlaskClient]) -> None:
    client = make_client(defects=["list-paging-duplicates"])
    headers = {"Authorization": f"Bearer {mint()}"}
    first = _list(client, "v1", {"maxResults": 2}, headers).json
    second = _list(
        client, "v1", {"maxResults": 2, "pageToken": first["nextPageToken"]}, headers
    ).json
    assert set(first["credentialIDs"]) & set(second["credentialIDs"])


@pytest.mark.parametrize("size", [0, -1, "3", True, 1.5])
def test_v1_invalid_max_results_falls_back_to_server_maximum(
    client: FlaskClient, auth_headers: dict[str, str], size: object
) -> None:
    page = _list(client, "v1", {"maxResults": size}, auth_headers).json
    assert len(page["credentialIDs"]) == 10 and "nextPageToken" in page


@pytest.mark.parametrize("token", ["garbage", "", "cGFnZTox9", 5])
def test_v1_garbage_page_token(
    client: FlaskClient, auth_headers: dict[str, str], token: object
) -> None:
    answer = _list(client, "v1", {"pageToken": token}, auth_headers)
    assert_error(answer, 400, "invalid_request", "Invalid parameter pageToken")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_user_id_must_be_null_with_user_specific_auth(
    client: FlaskClient, auth_headers: dict[str, str], version: str
) -> None:
    answer = _list(client, version, {"userID": "bob"}, auth_headers)
    assert_error(answer, 400, "invalid_request", "userID parameter MUST be null")


def test_v2_list_with_credential_info(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    body = {"credentialInfo": True, "certificates": "chain", "certInfo": True, "authInfo": True}
    doc = _list(client, "v2", body, auth_headers).json
    infos = doc["credentialInfos"]
    assert [i["credentialID"] for i in infos] == doc["credentialIDs"]
    assert all({"key", "cert", "multisign", "auth"} <= set(i) for i in infos)
    assert all(len(i["cert"]["certificates"]) == 3 and "serialNumber" in i["cert"] for i in infos)
    assert "onlyValid" not in doc


def test_v2_list_without_credential_info(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    assert "credentialInfos" not in _list(client, "v2", {}, auth_headers).json


def test_v2_only_valid(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    doc = _list(client, "v2", {"onlyValid": True, "credentialInfo": True}, auth_headers).json
    assert doc["onlyValid"] is True
    assert not {"alice-disabled", "alice-expired", "alice-revoked"} & set(doc["credentialIDs"])
    assert all(
        i["key"]["status"] == "enabled" and i["cert"]["status"] == "valid"
        for i in doc["credentialInfos"]
    )


@pytest.mark.parametrize("field", ["credentialInfo", "onlyValid", "certInfo"])
def test_v2_list_non_boolean_flags(
    client: FlaskClient, auth_headers: dict[str, str], field: str
) -> None:
    assert_error(
        _list(client, "v2", {field: "yes"}, auth_headers),
        400,
        "invalid_request",
        f"Invalid parameter {field}",
    )


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({}, "Missing (or invalid type) string parameter credentialID"),
        ({"credentialID": 123}, "Missing (or invalid type) string parameter credentialID"),
        ({"credentialID": "unknown"}, "Invalid parameter credentialID"),
        ({"credentialID": "bob-rsa2048"}, "Invalid parameter credentialID"),
        (
            {"credentialID": "alice-rsa2048", "certificates": "all"},
            "Invalid parameter certificates",
        ),
        (
            {"credentialID": "alice-rsa2048", "certificates": "bogus"},
            "Invalid parameter certificates",
        ),
    ],
)
def test_info_errors(
    client: FlaskClient,
    auth_headers: dict[str, str],
    version: str,
    body: dict[str, Any],
    description: str,
) -> None:
    assert_error(_info(client, version, body, auth_headers), 400, "invalid_request", description)


def test_v2_certificates_bogus_in_list(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    answer = _list(client, "v2", {"credentialInfo": True, "certificates": "bogus"}, auth_headers)
    assert_error(answer, 400, "invalid_request", "Invalid parameter certificates")


@pytest.mark.parametrize(("choice", "count"), [("none", 0), ("single", 1), ("chain", 3), (None, 1)])
def test_certificate_choices(
    client: FlaskClient, auth_headers: dict[str, str], choice: str | None, count: int
) -> None:
    body: dict[str, Any] = {"credentialID": "alice-p384"}
    if choice:
        body["certificates"] = choice
    cert = _info(client, "v2", body, auth_headers).json["cert"]
    assert len(cert.get("certificates", [])) == count
    if count == 0:
        assert "certificates" not in cert
    if count == 3:
        chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in cert["certificates"]]
        for child, parent in itertools.pairwise(chain):
            child.verify_directly_issued_by(parent)


def test_chain_wrong_order_defect(make_client: Callable[..., FlaskClient]) -> None:
    client = make_client(defects=["chain-wrong-order"])
    headers = {"Authorization": f"Bearer {mint()}"}
    cert = _info(
        client, "v2", {"credentialID": "alice-p256", "certificates": "chain"}, headers
    ).json["cert"]
    first = x509.load_der_x509_certificate(base64.b64decode(cert["certificates"][0]))
    assert first.issuer == first.subject  # the root came first


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("suffix", ["rsa2048", "rsa3072", "p256", "p384"])
def test_info_key_and_cert_info_match_the_certificate(
    client: FlaskClient, auth_headers: dict[str, str], version: str, suffix: str
) -> None:
    doc = _info(
        client, version, {"credentialID": f"alice-{suffix}", "certInfo": True}, auth_headers
    ).json
    cert = x509.load_der_x509_certificate(base64.b64decode(doc["cert"]["certificates"][0]))
    key = cert.public_key()
    assert doc["key"]["len"] == key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        assert doc["key"]["curve"] in ("1.2.840.10045.3.1.7", "1.3.132.0.34")
    else:
        assert isinstance(key, rsa.RSAPublicKey) and "curve" not in doc["key"]
    assert int(doc["cert"]["serialNumber"], 16) == cert.serial_number
    assert doc["cert"]["subjectDN"] == cert.subject.rfc4514_string()
    assert doc["cert"]["issuerDN"] == cert.issuer.rfc4514_string()
    assert doc["cert"]["validFrom"] == cert.not_valid_before_utc.strftime("%Y%m%d%H%M%SZ")
    assert doc["cert"]["validTo"] == cert.not_valid_after_utc.strftime("%Y%m%d%H%M%SZ")
    assert doc["SCAL"] == "1" and doc["multisign"] == 1


def test_cert_info_absent_by_default(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    cert = _info(client, "v2", {"credentialID": "alice-p256"}, auth_headers).json["cert"]
    assert not {"issuerDN", "serialNumber", "subjectDN", "validFrom", "validTo"} & set(cert)


def test_certinfo_serial_mismatch_defect(make_client: Callable[..., FlaskClient]) -> None:
    client = make_client(defects=["certinfo-serial-mismatch"])
    headers = {"Authorization": f"Bearer {mint()}"}
    doc = _info(client, "v2", {"credentialID": "alice-p256", "certInfo": True}, headers).json
    cert = x509.load_der_x509_certificate(base64.b64decode(doc["cert"]["certificates"][0]))
    assert int(doc["cert"]["serialNumber"], 16) != cert.serial_number


def test_v1_auth_fields(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    oauth = _info(client, "v1", {"credentialID": "alice-rsa2048"}, auth_headers).json
    explicit = _info(client, "v1", {"credentialID": "alice-explicit"}, auth_headers).json
    implicit = _info(client, "v1", {"credentialID": "alice-implicit"}, auth_headers).json
    assert oauth["authMode"] == "oauth2code" and "PIN" not in oauth and "auth" not in oauth
    assert explicit["authMode"] == "explicit" and {"PIN", "OTP"} <= set(explicit)
    assert implicit["authMode"] == "implicit" and "PIN" not in implicit


def test_v2_auth_object(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    def auth(cid: str) -> dict[str, Any]:
        body = {"credentialID": cid, "authInfo": True}
        doc = _info(client, "v2", body, auth_headers).json
        assert "authMode" not in doc and doc["signatureQualifier"] == "eu_eidas_qes"
        return doc["auth"]  # type: ignore[no-any-return]

    assert auth("alice-rsa2048") == {"mode": "oauth2code"}
    explicit = auth("alice-explicit")
    assert explicit["mode"] == "explicit" and [o["id"] for o in explicit["objects"]] == [
        "PIN",
        "OTP",
    ]
    assert auth("alice-implicit") == {"mode": "explicit", "objects": []}


def test_scal_and_multisign(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    scal2 = _info(client, "v2", {"credentialID": "alice-rsa2048-scal2"}, auth_headers).json
    multi = _info(client, "v2", {"credentialID": "alice-rsa2048-multi"}, auth_headers).json
    assert scal2["SCAL"] == "2" and multi["multisign"] == 5


def test_negative_credentials_report_their_state(
    client: FlaskClient, auth_headers: dict[str, str]
) -> None:
    def state(cid: str) -> tuple[str, str]:
        doc = _info(client, "v2", {"credentialID": cid}, auth_headers).json
        return doc["key"]["status"], doc["cert"]["status"]

    assert state("alice-disabled") == ("disabled", "valid")
    assert state("alice-expired") == ("enabled", "expired")
    assert state("alice-revoked") == ("enabled", "revoked")


def test_disabled_key_reported_enabled_defect(make_client: Callable[..., FlaskClient]) -> None:
    client = make_client(defects=["disabled-key-reported-enabled"])
    headers = {"Authorization": f"Bearer {mint()}"}
    doc = _info(client, "v2", {"credentialID": "alice-disabled"}, headers).json
    assert doc["key"]["status"] == "enabled"


def test_credential_token_reads_info_of_its_credential_only(
    make_client: Callable[..., FlaskClient],
) -> None:
    client = make_client()
    token = mint(scope="credential", credential_id="alice-p256", num_signatures=1)
    headers = {"Authorization": f"Bearer {token}"}
    assert _info(client, "v2", {"credentialID": "alice-p256"}, headers).status_code == 200
    assert_error(_info(client, "v2", {"credentialID": "alice-p384"}, headers), 401, "invalid_token")
    assert_error(_list(client, "v2", {}, headers), 401, "invalid_token")
    assert_error(_info(client, "v1", {"credentialID": "alice-p256"}, headers), 401, "invalid_token")
