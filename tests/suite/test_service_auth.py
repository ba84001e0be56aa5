"""Service tokens in every CSC style (``cscsuite.service_auth``), against a canned service."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from auth_fakes import CLIENT, canned_driver

from cscsuite import service_auth
from cscsuite.outcomes import HarnessError


def test_oauth2client_uses_the_client_credentials_grant_with_scope_service(
        tmp_path: Path) -> None:
    flow, service = canned_driver(tmp_path, auth_types=("oauth2client",), extra=CLIENT,
                                  oauth=True)
    grant = service_auth.obtain(flow, flow.code_flow_token)
    assert (grant.style, grant.token, grant.lifetime_s) == ("oauth2client", "cc-1", 300)
    form = dict(parse_qsl(service.last("/as/token").content.decode()))
    assert form["grant_type"] == "client_credentials" and form["scope"] == "service"
    assert service.last("/as/token").headers["authorization"].startswith("Basic ")
    assert flow.world.service_token == "cc-1"


def test_basic_login_remembers_refreshes_and_revokes(tmp_path: Path) -> None:
    flow, service = canned_driver(tmp_path, auth_types=("basic",))
    grant = service_auth.obtain(flow, flow.code_flow_token)
    assert (grant.style, grant.token, grant.refresh_token) == ("basic", "login-1", "rt-1")
    assert json.loads(service.last("/auth/login").content) == {"rememberMe": True}
    again = service_auth.login(flow, refresh_token=str(grant.refresh_token))
    assert again.field("access_token") == "login-2"
    assert "authorization" not in service.last("/auth/login").headers
    resp = service_auth.revoke(flow, str(grant.refresh_token), "refresh_token")
    sent = service.last("/auth/revoke")
    assert resp.status == 204 and sent.headers["authorization"] == "Bearer login-1"
    assert json.loads(sent.content) == {"token": "rt-1", "token_type_hint": "refresh_token"}


def test_a_refused_login_is_the_suites_failure_not_a_token(tmp_path: Path) -> None:
    flow, _ = canned_driver(tmp_path, auth_types=("basic",))
    assert service_auth.login(flow, "basic", password="wrong").error == "authentication_error"
    extra = '[service_auth]\nremember_me = false\n'
    flow, _ = canned_driver(tmp_path, auth_types=("basic",), extra=extra)
    flow.world.profile.identities["signer"].values["password"] = "wrong"  # type: ignore[index]
    with pytest.raises(HarnessError, match=r"auth/login \(basic\) gave no service access token"):
        service_auth.obtain(flow, flow.code_flow_token)


def test_digest_login_answers_the_services_challenge(tmp_path: Path) -> None:
    flow, service = canned_driver(tmp_path, auth_types=("digest",))
    assert service_auth.obtain(flow, flow.code_flow_token).token == "digest-1"
    logins = [r for r in service.requests if r.url.path.endswith("/auth/login")]
    assert len(logins) == 2  # the challenge first, then the answer to it
    assert logins[1].headers["authorization"].startswith('Digest username="alice"')


def test_external_token_from_the_environment(tmp_path: Path) -> None:
    extra = '[service_auth]\nservice_token = { env = "EXT_TOKEN" }\n'
    flow, _ = canned_driver(tmp_path, auth_types=("external",), extra=extra,
                            env={"EXT_TOKEN": "ext-env"})
    assert service_auth.obtain(flow, flow.code_flow_token).token == "ext-env"
    assert "ext-env" in flow.world.profile.secret_values()


@pytest.mark.parametrize(("printed", "token", "lifetime"), [
    ("tok-bare\n", "tok-bare", 3600.0),
    ('{"access_token": "tok-json", "expires_in": 120}', "tok-json", 120.0)])
def test_external_token_from_a_command(tmp_path: Path, printed: str, token: str,
                                       lifetime: float) -> None:
    script = tmp_path / "token.py"
    script.write_text(f"import sys\nassert sys.argv[1:] == ['https://rssp.example', 'alice']\n"
                      f"print({printed!r})\n", encoding="utf-8")
    extra = ('[service_auth]\nservice_token_command = ["{python}", "token.py", "{base_url}", '
             '"{user}"]\n')
    flow, _ = canned_driver(tmp_path, auth_types=("external",), extra=extra)
    grant = service_auth.obtain(flow, flow.code_flow_token)
    assert (grant.token, grant.lifetime_s) == (token, lifetime)


def test_a_failing_token_command_is_a_harness_error_quoting_its_error(tmp_path: Path) -> None:
    extra = ('[service_auth]\nservice_token_command = ["{python}", "-c", '
             '"import sys; sys.exit(\'no token for you\')"]\n')
    flow, _ = canned_driver(tmp_path, auth_types=("external",), extra=extra)
    with pytest.raises(HarnessError, match=r"printed no token \(exit 1\): no token for you"):
        service_auth.obtain(flow, flow.code_flow_token)


def test_external_without_a_token_calls_the_service_without_one(tmp_path: Path) -> None:
    flow, service = canned_driver(tmp_path, auth_types=("external",))
    assert service_auth.obtain(flow, flow.code_flow_token).token is None
    resp = flow.list_credentials()
    assert resp.status == 401 and "authorization" not in service.last("/list").headers


def test_the_first_usable_style_is_chosen_unless_the_profile_names_one(tmp_path: Path) -> None:
    flow, _ = canned_driver(tmp_path, auth_types=("oauth2code", "basic"))
    profile = flow.world.profile
    assert service_auth.choose_style(profile, ("oauth2code", "basic"), False) == "basic"
    assert service_auth.choose_style(profile, ("TLS", "external"), False) == "external"
    with pytest.raises(HarnessError, match="no service authorization style"):
        service_auth.choose_style(profile, ("oauth2client", "TLS"), True)
    flow, _ = canned_driver(tmp_path, auth_types=("basic",),
                            extra='[service_auth]\nstyle = "external"\n')
    assert service_auth.choose_style(flow.world.profile, ("basic",), False) == "external"


def test_tls_sends_no_token_and_names_the_profiles_certificate(tmp_path: Path) -> None:
    extra = '[service_auth]\nclient_cert = "client.pem"\nclient_key = "client.key"\n'
    flow, _ = canned_driver(tmp_path, auth_types=("TLS",), extra=extra)
    assert service_auth.obtain(flow, flow.code_flow_token).token is None
    cert = service_auth.client_certificate(flow.world.profile)
    assert cert == (str(tmp_path / "client.pem"), str(tmp_path / "client.key"))
    assert sys.executable  # the {python} placeholder's value exists
