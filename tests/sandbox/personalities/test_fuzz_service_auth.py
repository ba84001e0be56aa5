"""Property: the personality-only endpoints never answer 5xx; errors are CSC JSON bodies.

auth/login, auth/revoke, credentials/sendOTP and the factor checks of credentials/authorize
(basic-explicit personality), with the body generators of ``test_fuzz_bodies``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..test_fuzz_bodies import FIELDS, JSON
from .conftest import PersonaClient

ENDPOINTS = ["auth/login", "auth/revoke", "credentials/sendOTP", "credentials/authorize"]
EXTRA_FIELDS = ["refresh_token", "rememberMe", "token", "token_type_hint"]
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS + EXTRA_FIELDS) | st.text(max_size=8), JSON,
                    max_size=8).map(json.dumps),
    JSON.map(json.dumps),
    st.binary(max_size=48).map(lambda b: b.decode("latin-1")),
)
HEADERS = ["bearer", "basic", "basic-garbage", "none"]


@pytest.fixture
def client(persona: PersonaClient) -> FlaskClient:
    return persona("basic-explicit")


@pytest.fixture
def header_variants(client: FlaskClient) -> dict[str, dict[str, str]]:
    basic = "Basic " + base64.b64encode(b"alice:alice-password").decode()
    token = client.post("/csc/v1/auth/login", json={}, headers={"Authorization": basic})
    return {"bearer": {"Authorization": f"Bearer {token.json['access_token']}"},
            "basic": {"Authorization": basic},
            "basic-garbage": {"Authorization": "Basic \u00e9\u00e9"}, "none": {}}


@settings(max_examples=400, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(endpoint=st.sampled_from(ENDPOINTS), version=st.sampled_from(["v1", "v2"]),
       body=BODIES, auth=st.sampled_from(HEADERS))
def test_malformed_requests_get_csc_json_errors(
    client: FlaskClient, header_variants: dict[str, dict[str, str]], endpoint: str,
    version: str, body: str, auth: str,
) -> None:
    answer = client.post(f"/csc/{version}/{endpoint}", headers=header_variants[auth],
                         data=body.encode("utf-8", "surrogatepass"),
                         content_type="application/json")
    assert answer.status_code < 500, (answer.status_code, answer.data[:200])
    if answer.status_code in (200, 204):
        return
    document: Any = answer.get_json(silent=True)
    assert isinstance(document, dict) and isinstance(document.get("error"), str), answer.data
