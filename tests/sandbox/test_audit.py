"""Audit events carry the clientTransactionId (PrimeSign clientData, spec-notes §1.3)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from cscsandbox import audit

from .conftest import mint
from .helpers import digest, sign_body


def _sign(client: FlaskClient, sad: str, client_data: str | None) -> None:
    extra = {"clientData": client_data} if client_data else {}
    body = sign_body("v2", "alice-rsa2048", sad, [digest(b"x")], "1.2.840.113549.1.1.11", **extra)
    answer = client.post(
        "/csc/v2/signatures/signHash", json=body, headers={"Authorization": f"Bearer {mint()}"}
    )
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("defect", "recorded"), [((), True), (("client-transaction-id-dropped",), False)]
)
def test_signature_event_has_the_transaction_id(
    make_client: Callable[..., FlaskClient], defect: tuple[str, ...], recorded: bool
) -> None:
    client = make_client(defects=defect)
    sad = mint(scope="credential", credential_id="alice-rsa2048", num_signatures=1)
    _sign(client, sad, json.dumps({"clientTransactionId": "tx-42"}))
    events = audit.query("tx-42")
    assert bool(events) is recorded
    if recorded:
        event = events[0]
        assert event["event"] == "signatures/signHash" and event["client_id"] == "sandbox-client"
        assert event["detail"]["credential_id"] == "alice-rsa2048"
        assert sad not in json.dumps(events)  # no secret in the audit trail


def test_transaction_id_bound_at_authorization_is_used(
    make_client: Callable[..., FlaskClient],
) -> None:
    client = make_client()
    sad = mint(
        scope="credential",
        credential_id="alice-rsa2048",
        num_signatures=1,
        transaction_id="tx-from-authorize",
    )
    _sign(client, sad, None)
    assert [e["event"] for e in audit.query("tx-from-authorize")] == ["signatures/signHash"]


@pytest.mark.parametrize("data", ["not json", "[1]", '{"clientTransactionId": 5}', ""])
def test_odd_client_data_never_breaks_signing(
    make_client: Callable[..., FlaskClient], data: str
) -> None:
    client = make_client()
    _sign(client, mint(scope="credential", credential_id="alice-rsa2048", num_signatures=1), data)
    assert audit.transaction_id_from_client_data(data) is None
