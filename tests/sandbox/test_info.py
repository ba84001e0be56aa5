"""info on both versions (CSC §11.1; PrimeSign values spec-notes §0)."""

from __future__ import annotations

import struct
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from .helpers import assert_error

V1_FIELDS = {
    "specs",
    "name",
    "logo",
    "region",
    "lang",
    "description",
    "authType",
    "oauth2",
    "methods",
}
V2_ONLY = {
    "signAlgorithms",
    "signature_formats",
    "conformance_levels",
    "supportsRar",
    "supportedHashTypes",
}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_v1_info_has_v1_fields_only(client: FlaskClient, method: str) -> None:
    answer = client.open("/csc/v1/info", method=method, json={} if method == "POST" else None)
    assert answer.status_code == 200
    doc = answer.json
    assert set(doc) == V1_FIELDS
    assert doc["specs"] == "1.0.4.0"
    assert doc["authType"] == ["oauth2code"]


def test_v2_info_reports_primesign_like_values(client: FlaskClient) -> None:
    doc = client.post("/csc/v2/info", json={}).json
    assert V1_FIELDS | V2_ONLY <= set(doc)
    assert doc["specs"] == "2.1.0.1"
    assert doc["region"] == "AT" and doc["supportsRar"] is True
    assert doc["supportedHashTypes"] == ["dtbsr"]
    assert doc["oauth2"].endswith("/realms/sandbox/")
    assert "/csc/" not in doc["oauth2"]
    algos = doc["signAlgorithms"]
    assert len(algos["algos"]) == len(algos["algoParams"])
    assert "0.4.0.127.0.7.1.1.4.1" in algos["algos"]
    pss = algos["algoParams"][algos["algos"].index("1.2.840.113549.1.1.10")]
    assert pss.startswith("MDSg")
    # PrimeSign lists the three without credentials/authorize; the sandbox serves authorize for
    # its explicit/implicit credentials, so it lists it [CSC1 §11.1] (issue 13 item 8), and
    # signatures/timestamp over its TSA (issue 17).
    assert doc["methods"] == ["credentials/list", "credentials/info", "credentials/authorize",
                              "signatures/signHash", "signatures/timestamp"]


def test_info_works_without_body_or_content_type(client: FlaskClient) -> None:
    assert client.post("/csc/v2/info").status_code == 200


def test_unsupported_lang_still_answers_with_service_lang(client: FlaskClient) -> None:
    doc = client.post("/csc/v2/info", json={"lang": "xx-YY"}).json
    assert doc["lang"] == "en-US"


def test_malformed_json_is_an_error(client: FlaskClient) -> None:
    answer = client.post("/csc/v2/info", data="{", content_type="application/json")
    assert_error(answer, 400, "invalid_request", "Malformed JSON request body")


def test_logo_is_a_small_png(client: FlaskClient) -> None:
    logo = client.post("/csc/v2/info", json={}).json["logo"]
    answer = client.get(logo.removeprefix("http://localhost"))
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    width, height = struct.unpack(">II", answer.data[16:24])
    assert width <= 256 and height <= 256


def test_info_missing_name_defect(make_client: Callable[..., FlaskClient]) -> None:
    client = make_client(defects=["info-missing-name"])
    assert "name" not in client.post("/csc/v2/info", json={}).json


def test_an_unlisted_authorize_answers_501(
    make_client: Callable[..., FlaskClient], default_config: object
) -> None:
    """Leaving credentials/authorize out of methods (PrimeSign's list) takes the route away."""
    import dataclasses

    from cscsandbox.config import SandboxConfig

    assert isinstance(default_config, SandboxConfig)
    service = dataclasses.replace(default_config.service, methods=(
        "credentials/list", "credentials/info", "signatures/signHash"))
    client = make_client(config=dataclasses.replace(default_config, service=service))
    assert "credentials/authorize" not in client.post("/csc/v1/info", json={}).json["methods"]
    answer = client.post("/csc/v1/credentials/authorize", json={})
    assert_error(answer, 501, "not_implemented",
                 "The method credentials/authorize is not implemented")
