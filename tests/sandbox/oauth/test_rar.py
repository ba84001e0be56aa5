"""RFC 9396 authorization_details of type credential (spec-notes §3.12, §6, items 49-51)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from cscsandbox import tokens

from .flows import SHA256, Pkce, authorize, code_for, digest, exchange, location_path, query

Factory = Callable[..., FlaskClient]


def detail(**overrides: Any) -> dict[str, Any]:
    item = {"type": "credential", "credentialID": "alice-rsa2048-multi",
            "documentDigests": [{"hash": base64.b64encode(digest("d1")).decode(),
                                 "label": "Contract.pdf"}],
            "hashAlgorithmOID": SHA256}
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def rar(client: FlaskClient, details: list[dict[str, Any]], **params: str):
    return authorize(client, authorization_details=json.dumps(details), state="rs",
                     **Pkce.new().params(), **params)


def test_unknown_type_is_invalid_authorization_details(oauth_client: FlaskClient) -> None:
    result = query(rar(oauth_client, [detail(type="payment")]))  # item 49
    assert result["error"] == "invalid_authorization_details" and result["state"] == "rs"


def test_unknown_type_is_accepted_under_defect(make_client: Factory) -> None:
    response = rar(make_client(defects=["rar-unknown-type-accepted"]), [detail(type="payment")])
    assert location_path(response).endswith("/login/password")


@pytest.mark.parametrize("broken", [
    detail(documentDigests=None), detail(hashAlgorithmOID=None),
    detail(credentialID=None), detail(extra="x"), detail(numSignatures="1"),
    detail(documentDigests=[{"hash": "!!"}]), detail(documentDigests=[]),
])
def test_missing_or_bad_fields_are_invalid_authorization_details(
        oauth_client: FlaskClient, broken: dict[str, Any]) -> None:
    result = query(rar(oauth_client, [broken]))  # item 50
    assert result["error"] == "invalid_authorization_details"


@pytest.mark.parametrize("value", ["not json", "{}", "[]", '[{"credentialID": "x"}]'])
def test_malformed_json_is_invalid_authorization_details(
        oauth_client: FlaskClient, value: str) -> None:
    response = authorize(oauth_client, authorization_details=value, **Pkce.new().params())
    assert query(response)["error"] == "invalid_authorization_details"


def test_token_response_carries_the_granted_details(oauth_client: FlaskClient) -> None:
    pkce = Pkce.new()
    code = code_for(oauth_client, authorization_details=json.dumps([detail()]), **pkce.params())
    body = exchange(oauth_client, code, verifier=pkce.verifier).get_json()  # item 51
    granted = body["authorization_details"]
    assert granted[0]["type"] == "credential"
    assert granted[0]["credentialID"] == "alice-rsa2048-multi"
    assert granted[0]["documentDigests"][0]["label"] == "Contract.pdf"
    record = tokens.lookup(body["access_token"])
    assert record is not None and record.hashes == (digest("d1"),)


def test_signature_qualifier_detail_gets_the_chosen_credential(oauth_client: FlaskClient) -> None:
    pkce = Pkce.new()
    details = [detail(credentialID=None, signatureQualifier="eu_eidas_qes")]
    code = code_for(oauth_client, authorization_details=json.dumps(details), **pkce.params())
    body = exchange(oauth_client, code, verifier=pkce.verifier).get_json()
    assert body["authorization_details"][0]["credentialID"] == body["credentialID"]


def test_rar_with_query_credential_parameters_is_refused(oauth_client: FlaskClient) -> None:
    result = query(rar(oauth_client, [detail()], credentialID="alice-rsa2048"))
    assert result["error"] == "invalid_request"
