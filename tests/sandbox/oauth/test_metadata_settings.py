"""RFC 8414 metadata, the [oauth] table parser and the switchable test endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cscsandbox import config
from cscsandbox.app import create_app
from cscsandbox.context import SandboxContext
from cscsandbox.oauth import settings


@pytest.mark.parametrize("path", ["/.well-known/oauth-authorization-server/realms/sandbox",
                                  "/realms/sandbox/.well-known/oauth-authorization-server"])
def test_metadata_is_served_at_both_locations(oauth_client: FlaskClient, path: str) -> None:
    body = oauth_client.get(path).get_json()
    issuer = body["issuer"]
    assert issuer.endswith("/realms/sandbox")
    assert body["authorization_endpoint"] == issuer + "/oauth2/authorize"
    assert body["pushed_authorization_request_endpoint"] == issuer + "/oauth2/pushed_authorize"
    assert body["revocation_endpoint"] == issuer + "/oauth2/revoke"
    assert body["code_challenge_methods_supported"] == ["S256"]
    assert body["scopes_supported"] == ["service", "credential"]
    assert body["authorization_details_types_supported"] == ["credential"]


def test_committed_oauth_table_parses_with_the_documented_defaults(
        default_config: config.SandboxConfig) -> None:
    parsed = settings.from_config(default_config)
    assert parsed == settings.OAuthSettings()
    assert parsed.revoke_success_status == 200 and parsed.pkce_methods == ("S256",)


@pytest.mark.parametrize(("table", "message"), [
    ({"typo_lifetime": 5}, "unknown key"),
    ({"revoke_success_status": 201}, "200 or 204"),
    ({"code_lifetime": "60"}, "type int"),
    ({"pkce_required": "sometimes"}, "pkce_required"),
])
def test_bad_oauth_tables_are_config_errors(table: dict[str, object], message: str) -> None:
    with pytest.raises(config.ConfigError, match=message):
        settings.parse(table)


def test_test_endpoints_can_be_switched_off(
        tmp_path: Path, default_config: config.SandboxConfig) -> None:
    ctx = SandboxContext(config=default_config, db_path=str(tmp_path / "off.db"),
                         test_endpoints=False)
    client = create_app(ctx).test_client()
    assert client.get("/_sandbox/sms", query_string={"user": "alice"}).status_code == 404
    assert client.get("/_sandbox/audit",
                      query_string={"clientTransactionId": "x"}).status_code == 404
