"""Property: malformed bodies never cause a 5xx; every non-200 answer is a CSC JSON error.

At least 2,000 generated bodies (hypothesis) across every CSC endpoint of both versions.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import MintToken

ENDPOINTS = [
    "info",
    "credentials/list",
    "credentials/info",
    "credentials/authorize",
    "signatures/signHash",
]
FIELDS = [
    "credentialID",
    "SAD",
    "hash",
    "hashes",
    "hashAlgo",
    "hashAlgorithmOID",
    "signAlgo",
    "signAlgoParams",
    "numSignatures",
    "PIN",
    "OTP",
    "authData",
    "certificates",
    "certInfo",
    "authInfo",
    "onlyValid",
    "credentialInfo",
    "maxResults",
    "pageToken",
    "userID",
    "clientData",
    "operationMode",
    "lang",
    "description",
]
PLAUSIBLE = st.sampled_from(
    [
        "alice-rsa2048",
        "alice-p256",
        "alice-explicit",
        "alice-rsa2048-scal2",
        "bob-p384",
        "1.2.840.113549.1.1.1",
        "1.2.840.113549.1.1.10",
        "0.4.0.127.0.7.1.1.4.1",
        "2.16.840.1.101.3.4.2.1",
        "chain",
        "none",
        "single",
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        "MAA=",
        "AAAA",
        "====",
        "",
        "\u0000",
    ]
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | PLAUSIBLE,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
BODY_OBJECTS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), JSON, max_size=10)
RAW = st.one_of(
    BODY_OBJECTS.map(json.dumps),
    JSON.map(json.dumps),  # top-level non-objects
    st.binary(max_size=64).map(lambda b: b.decode("latin-1")),  # not JSON at all
    BODY_OBJECTS.map(lambda d: json.dumps(d)[:-1]),  # truncated JSON
)
EXAMPLES = 2200
_seen = {"count": 0}


@pytest.fixture
def auth_variants(mint_token: MintToken) -> dict[str, dict[str, str]]:
    """Headers minted once per test (not per example): service, credential, none, garbage."""
    credential = mint_token(
        scope="credential", credential_id="alice-rsa2048", num_signatures=10_000
    )
    return {
        "service": {"Authorization": f"Bearer {mint_token()}"},
        "credential": {"Authorization": f"Bearer {credential}"},
        "none": {},
        "garbage": {"Authorization": "Bearer not-a-token"},
    }


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    version=st.sampled_from(["v1", "v2"]),
    body=RAW,
    auth=st.sampled_from(["service", "credential", "none", "garbage"]),
)
def test_malformed_bodies_get_csc_json_errors(
    client: FlaskClient,
    auth_variants: dict[str, dict[str, str]],
    endpoint: str,
    version: str,
    body: str,
    auth: str,
) -> None:
    _seen["count"] += 1
    headers = auth_variants[auth]
    answer = client.post(
        f"/csc/{version}/{endpoint}",
        data=body.encode("utf-8", "surrogatepass"),
        headers=headers,
        content_type="application/json",
    )
    assert answer.status_code < 500, (answer.status_code, answer.data[:200])
    document: Any = answer.get_json(silent=True)
    assert isinstance(document, dict), answer.data[:200]
    if answer.status_code != 200:
        assert isinstance(document.get("error"), str) and document["error"]
        assert isinstance(document.get("error_description"), str)


def test_enough_bodies_were_generated() -> None:
    """Runs after the property (file order); proves the 2,000-body floor was reached."""
    assert _seen["count"] >= 2000 or _seen["count"] == 0  # 0: the property was deselected
