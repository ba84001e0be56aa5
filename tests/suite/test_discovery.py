"""Discovery: info parsing, AS endpoints from oauth2 or oauth2Issuer (RFC 8414), capabilities."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from cscsuite import capabilities
from cscsuite.discovery import as_endpoints, metadata_urls, parse_info
from cscsuite.profile import load_profile

REPO = Path(__file__).resolve().parents[2]
V2_INFO = {"specs": "2.1.0.1", "name": "svc", "authType": ["oauth2code"],
           "oauth2": "https://id.example/realms/qs/", "supportsRar": True,
           "methods": ["credentials/list", "signatures/signHash"],
           "signAlgorithms": {"algos": ["1.2.840.10045.4.3.2", "1.2.840.113549.1.1.10",
                                        "0.4.0.127.0.7.1.1.4.1.3"], "algoParams": []}}
METADATA = {"issuer": "https://id.example/realms/qs",
            "authorization_endpoint": "https://id.example/realms/qs/protocol/auth",
            "token_endpoint": "https://id.example/realms/qs/protocol/token",
            "revocation_endpoint": "https://id.example/realms/qs/protocol/revoke",
            "pushed_authorization_request_endpoint": "https://id.example/realms/qs/par",
            "grant_types_supported": ["authorization_code", "refresh_token"]}


def fetcher(docs: dict[str, dict[str, Any]], calls: list[str] | None = None):
    def fetch(url: str) -> dict[str, Any] | None:
        if calls is not None:
            calls.append(url)
        return docs.get(url)
    return fetch


def test_parse_info_is_lenient() -> None:
    info = parse_info("v2", V2_INFO)
    assert info.name == "svc" and info.supports_rar is True
    assert info.sign_algorithms[0] == "1.2.840.10045.4.3.2"
    broken = parse_info("v1", {"name": 7, "authType": "oauth2code"})
    assert broken.name is None and broken.auth_types == () and broken.supports_rar is None
    assert parse_info("v1", None).raw == {}


def test_metadata_locations_path_insertion_first() -> None:
    assert metadata_urls("https://id.example/realms/qs/") == [
        "https://id.example/.well-known/oauth-authorization-server/realms/qs",
        "https://id.example/realms/qs/.well-known/oauth-authorization-server",
        "https://id.example/realms/qs/.well-known/openid-configuration"]
    assert metadata_urls("https://as.example")[0] == \
        "https://as.example/.well-known/oauth-authorization-server"


def test_oauth2_base_gives_csc_paths_without_metadata() -> None:
    calls: list[str] = []
    ep = as_endpoints(parse_info("v2", V2_INFO), fetcher({}, calls))
    assert ep is not None and ep.source == "oauth2"
    assert ep.authorize == "https://id.example/realms/qs/oauth2/authorize"
    assert ep.token == "https://id.example/realms/qs/oauth2/token"
    assert ep.par == "https://id.example/realms/qs/oauth2/pushed_authorize"
    assert len(calls) == 3  # every metadata location was tried


def test_oauth2_base_without_trailing_slash() -> None:
    info = parse_info("v1", {**V2_INFO, "oauth2": "https://as.example/base"})
    ep = as_endpoints(info, fetcher({}))
    assert ep is not None and ep.revoke == "https://as.example/base/oauth2/revoke"


def test_issuer_uses_metadata_found_at_the_suffix_location() -> None:
    info = parse_info("v2", {**V2_INFO, "oauth2": None,
                             "oauth2Issuer": "https://id.example/realms/qs"})
    docs = {"https://id.example/realms/qs/.well-known/oauth-authorization-server": METADATA}
    ep = as_endpoints(info, fetcher(docs))
    assert ep is not None and ep.source == "oauth2Issuer"
    assert ep.authorize == METADATA["authorization_endpoint"]
    assert ep.par == METADATA["pushed_authorization_request_endpoint"]


def test_no_authorization_server() -> None:
    assert as_endpoints(parse_info("v1", {"authType": ["external"]}), fetcher({})) is None


def test_capabilities_override_then_discovery_then_profile() -> None:
    prof = load_profile("sandbox", REPO, env={})
    infos = {"v1": parse_info("v1", {"methods": ["credentials/list"]}),
             "v2": parse_info("v2", V2_INFO)}
    issuer_meta = {"https://id.example/.well-known/oauth-authorization-server/realms/qs":
                   METADATA}
    endpoints = {v: as_endpoints(i, fetcher(issuer_meta)) for v, i in infos.items()}
    caps = capabilities.resolve(prof, infos, endpoints)
    assert caps["v2"].has("par") and not caps["v1"].has("par")  # PAR is a v2 feature
    assert caps["v2"].has("rar") and caps["v2"].has("refresh")
    # v1 never borrows v2's signAlgorithms: its algorithm families wait for its credentials
    assert caps["v2"].has("pss") and not caps["v1"].has("pss") and caps["v1"].deferred("pss")
    assert caps["v1"].deferred("bsi_plain_ecdsa") and not caps["v2"].deferred("pss")
    assert not caps["v2"].has("rsa")
    assert caps["v2"].has("eid_login") and caps["v2"].has("scal2_credential")
    assert caps["v2"].has("alg_none_accepted") and caps["v2"].has("audit")
    assert caps["v2"].skip_reason("credentials_authorize") == (
        "target lacks capability 'credentials_authorize' for v2 "
        "(discovery: info methods credentials/authorize)")

    overridden = replace(prof, capabilities={"par": False, "rar": {"v2": False},
                                             "rsa": True})
    caps = capabilities.resolve(overridden, infos, endpoints)
    assert caps["v2"].skip_reason("par") == \
        "target lacks capability 'par' for v2 (profile override)"
    assert not caps["v2"].has("rar") and caps["v1"].has("rsa")
    assert "unknown capability" in (caps["v1"].skip_reason("teleport") or "")


def test_profile_data_capabilities_absent() -> None:
    prof = load_profile("sandbox", REPO, env={})
    bare = replace(prof, identities={"signer": prof.identities["signer"]}, test_endpoints={},
                   clients={"main": prof.client})
    caps = capabilities.resolve(bare, {"v2": parse_info("v2", {})}, {"v2": None})["v2"]
    assert not caps.has("eid_login") and not caps.has("second_client")
    assert caps.skip_reason("audit") == ("target lacks capability 'audit' for v2 "
                                         "(profile: test_endpoints.audit absent)")
