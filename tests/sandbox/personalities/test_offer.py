"""Each personality is self-consistent: what info lists is served, the rest answers 501/404.

Issue 13 item 8; CSC1 §11.1 (info.methods), CSC1 §10 Table 2 (501 for an unimplemented method).
"""

from __future__ import annotations

import dataclasses

import pytest

from cscsandbox import config, offer

from ..helpers import assert_error
from .conftest import PersonaClient, personality_config

PERSONALITIES = config.personalities()
EXPECTED = {"primesign", "v1-external-ec", "basic-explicit", "oauth2client", "primesign-keycloak"}


def test_the_five_personalities_of_issue_13_are_committed() -> None:
    assert EXPECTED <= set(PERSONALITIES)


def test_the_default_is_the_primesign_personality() -> None:
    assert config.load() == personality_config("primesign")


@pytest.mark.parametrize("name", PERSONALITIES)
@pytest.mark.parametrize("version", offer.API_VERSIONS)
def test_info_methods_are_exactly_the_served_methods(
    persona: PersonaClient, name: str, version: str
) -> None:
    client = persona(name)
    info = client.post(f"/csc/{version}/info", json={})
    if version not in personality_config(name).service.api_versions:
        assert_error(info, 404, "invalid_request")
        for method in offer.CSC_METHODS:
            assert client.post(f"/csc/{version}/{method}", json={}).status_code == 404, method
        return
    listed = info.json["methods"]
    assert listed, "info.methods is REQUIRED"
    for method in offer.CSC_METHODS:
        answer = client.post(f"/csc/{version}/{method}", json={})
        if method in listed:
            assert answer.status_code not in (404, 405, 501), (method, answer.json)
            assert answer.status_code < 500, (method, answer.json)
        else:
            assert_error(answer, 501, "not_implemented",
                         f"The method {method} is not implemented")


@pytest.mark.parametrize("name", PERSONALITIES)
def test_authorization_server_exists_exactly_when_info_names_it(
    persona: PersonaClient, name: str
) -> None:
    """info.oauth2 is REQUIRED-conditional [CSC1 §11.1]: present iff OAuth is used."""
    client = persona(name)
    version = personality_config(name).service.api_versions[0]
    info = client.post(f"/csc/{version}/info", json={}).json
    issuer_path = personality_config(name).service.issuer_path
    metadata = client.get("/.well-known/oauth-authorization-server" + issuer_path)
    if "oauth2" in info:
        assert info["oauth2"] == f"http://localhost{issuer_path}/"
        assert metadata.status_code == 200 and metadata.json["issuer"] == info["oauth2"][:-1]
    else:
        assert not {"oauth2code", "oauth2client"} & set(info["authType"])
        assert metadata.status_code == 404
        assert client.get(issuer_path + "/oauth2/authorize").status_code == 404


@pytest.mark.parametrize(("name", "auth_types"), [
    ("primesign", ["oauth2code"]), ("v1-external-ec", ["external"]),
    ("basic-explicit", ["basic"]), ("oauth2client", ["oauth2client"]),
    ("primesign-keycloak", ["oauth2code"]),
])
def test_auth_type_is_the_personality_s(persona: PersonaClient, name: str,
                                        auth_types: list[str]) -> None:
    assert persona(name).post("/csc/v1/info", json={}).json["authType"] == auth_types


def test_v1_external_ec_offers_ec_keys_only(persona: PersonaClient) -> None:
    cfg = personality_config("v1-external-ec")
    assert {c.key_type for c in cfg.credentials} == {"ec"}
    assert {c.auth_mode for c in cfg.credentials} == {"implicit"}


def test_overlay_merges_tables_and_replaces_arrays() -> None:
    base = {"service": {"name": "a", "region": "AT"}, "credentials": [{"id": 1}, {"id": 2}]}
    top = {"service": {"name": "b"}, "credentials": [{"id": 3}]}
    assert config.overlay(base, top) == {"service": {"name": "b", "region": "AT"},
                                         "credentials": [{"id": 3}]}
    assert base["service"]["name"] == "a"  # the base is not changed


def test_unknown_personality_is_a_clear_error() -> None:
    with pytest.raises(config.ConfigError, match=r"unknown personality 'nope'.*primesign"):
        config.load(None, "nope")


def _with_service(**changes: object) -> config.SandboxConfig:
    cfg = config.load()
    return dataclasses.replace(cfg, service=dataclasses.replace(cfg.service, **changes))


@pytest.mark.parametrize(("changes", "message"), [
    ({"methods": ("credentials/list", "signatures/signDoc")}, "not offered by this service"),
    ({"auth_types": ("digest",)}, "auth_types: not offered"),
    ({"api_versions": ("v3",)}, "api_versions: not offered"),
    ({"auth_types": ("basic",)}, "methods must list auth/login"),
    ({"methods": ("credentials/list", "signatures/signHash")},
     "methods must list credentials/authorize"),
    ({"auth_types": ("oauth2client",)}, "oauth2client needs a client"),
    ({"issuer_path": "realms/x/"}, "issuer_path must start"),
])
def test_an_inconsistent_offer_is_a_config_error(changes: dict[str, object], message: str) -> None:
    problem = offer.check_offer(_with_service(**changes))
    assert problem is not None and message in problem
    with pytest.raises(config.ConfigError, match="service"):
        config.parse(_raw_with_service(changes))


def _raw_with_service(changes: dict[str, object]) -> dict[str, object]:
    raw = config.overlay(config.load().raw, {})
    service = dict(raw["service"])
    service.update({k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()})
    raw["service"] = service
    return raw


@pytest.mark.parametrize(("name", "versions"), [("primesign", {"v1", "v2"}),
                                                ("v1-external-ec", {"v1"})])
def test_the_signhash_shortcut_stays_on_for_the_offered_versions(
    persona: PersonaClient, name: str, versions: set[str]
) -> None:
    """The gates are URL rules, not request hooks, so the fast path is not switched off."""
    app = persona(name).application
    shortcut = app.wsgi_app
    assert shortcut._skippable()  # type: ignore[attr-defined]
    assert set(shortcut.routes.values()) == versions  # type: ignore[attr-defined]
