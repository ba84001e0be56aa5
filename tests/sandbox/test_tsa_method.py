"""``signatures/timestamp`` in v1 and v2 (CSC1 §11.10, CSC2 §11.13; spec-notes §3.11)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib

import pytest
from asn1crypto import cms, tsp
from flask.testing import FlaskClient

from cscsandbox.config import SandboxConfig

from .conftest import MintToken, mint, service_headers

SHA256 = "2.16.840.1.101.3.4.2.1"
SHA384 = "2.16.840.1.101.3.4.2.2"
DIGEST = hashlib.sha256(b"document").digest()
B64 = base64.b64encode(DIGEST).decode()


def stamp(client: FlaskClient, headers: dict[str, str], version: str = "v2", **body: object):
    return client.post(f"/csc/{version}/signatures/timestamp", json=body, headers=headers)


def tst_info(resp) -> tsp.TSTInfo:
    assert resp.status_code == 200, resp.json
    token = cms.ContentInfo.load(base64.b64decode(resp.json["timestamp"]))
    parsed = token["content"]["encap_content_info"]["content"].parsed
    assert isinstance(parsed, tsp.TSTInfo)
    return parsed


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_token_over_the_hash_with_the_nonce(client: FlaskClient, auth_headers: dict[str, str],
                                           version: str) -> None:
    info = tst_info(stamp(client, auth_headers, version, hash=B64, hashAlgo=SHA256,
                          nonce="0A1b2C3d4E5f6071", clientData="x"))
    assert info["message_imprint"]["hashed_message"].native == DIGEST
    assert info["nonce"].native == 0x0A1B2C3D4E5F6071


def test_v2_accepts_hash_algorithm_oid_as_well(client: FlaskClient,
                                               auth_headers: dict[str, str]) -> None:
    info = tst_info(stamp(client, auth_headers, hash=B64, hashAlgorithmOID=SHA256))
    assert info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"


@pytest.mark.parametrize(("body", "description"), [
    ({"hashAlgo": SHA256}, "Missing (or invalid type) string parameter hash"),
    ({"hash": 5, "hashAlgo": SHA256}, "Missing (or invalid type) string parameter hash"),
    ({"hash": "", "hashAlgo": SHA256}, "Empty hash parameter"),
    ({"hash": "not base64!", "hashAlgo": SHA256}, "Invalid Base64 hash string parameter"),
    ({"hash": B64}, "Missing (or invalid type) string parameter hashAlgo"),
    ({"hash": B64, "hashAlgo": "1.2.3"}, "Invalid parameter hashAlgo"),
    ({"hash": B64, "hashAlgo": SHA384}, "Invalid digest value length"),
    ({"hash": B64, "hashAlgo": SHA256, "nonce": "xyz"}, "Invalid parameter nonce"),
    ({"hash": B64, "hashAlgo": SHA256, "nonce": 17}, "Invalid parameter nonce"),
    ({"hash": B64, "hashAlgo": SHA256, "hashAlgorithmOID": SHA384}, "Invalid parameter hashAlgo"),
    ({"hash": B64, "hashAlgo": SHA256, "clientData": 5}, "Invalid parameter clientData"),
])
def test_bad_input_is_a_400(client: FlaskClient, auth_headers: dict[str, str],
                            body: dict[str, object], description: str) -> None:
    resp = stamp(client, auth_headers, **body)
    assert resp.status_code == 400
    assert resp.json == {"error": "invalid_request", "error_description": description}


def test_needs_a_service_token(client: FlaskClient, mint_token: MintToken) -> None:
    assert stamp(client, {}, hash=B64, hashAlgo=SHA256).status_code == 401
    credential = mint_token(scope="credential", credential_id="alice-rsa2048",
                            num_signatures=1)
    resp = stamp(client, service_headers(credential), hash=B64, hashAlgo=SHA256)
    assert resp.status_code == 401


def test_listed_in_info_methods(client: FlaskClient) -> None:
    for version in ("v1", "v2"):
        assert "signatures/timestamp" in client.post(f"/csc/{version}/info", json={}).json[
            "methods"]


def test_switched_off_it_is_501_and_not_listed(make_client, default_config: SandboxConfig
                                               ) -> None:
    methods = tuple(m for m in default_config.service.methods if m != "signatures/timestamp")
    service = dataclasses.replace(default_config.service, methods=methods)
    client = make_client(config=dataclasses.replace(default_config, service=service))
    assert "signatures/timestamp" not in client.post("/csc/v2/info", json={}).json["methods"]
    resp = stamp(client, service_headers(mint()), hash=B64, hashAlgo=SHA256)
    assert resp.status_code == 501


def test_defect_nonce_not_echoed_reaches_the_csc_method(make_client) -> None:
    client = make_client(defects=["tsa-nonce-not-echoed"])
    info = tst_info(stamp(client, service_headers(mint()), hash=B64, hashAlgo=SHA256,
                          nonce="ff"))
    assert info["nonce"].native is None
