"""Profiles for providers shaped differently: base_url from the environment, no OAuth clients or
login recipes, ``extends``/``drop``, the embedded service's personality, ``[service_auth]``."""

from __future__ import annotations

from pathlib import Path

import pytest

from cscsuite.profile import ProfileError, load_profile

REPO = Path(__file__).resolve().parents[2]
MINIMAL = """
base_url = { env = "MY_CSC_URL" }
api_versions = ["v1"]
[service_auth]
service_token = { env = "MY_TOKEN", default = "" }
[identities.signer.credentials]
p256 = "cred-1"
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_provider_without_oauth_needs_no_clients_and_no_login(tmp_path: Path) -> None:
    prof = load_profile(write(tmp_path, "plain", MINIMAL), REPO,
                        env={"MY_CSC_URL": "https://csc.example", "MY_TOKEN": "t-1"})
    assert prof.base_url == "https://csc.example" and prof.client is None
    assert prof.identities["signer"].login is None
    assert prof.service_auth.service_token == "t-1" and "t-1" in prof.secret_values()


def test_a_missing_base_url_variable_names_it(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="needs environment variable MY_CSC_URL"):
        load_profile(write(tmp_path, "plain", MINIMAL), REPO, env={})


def test_an_unknown_service_auth_style_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.replace("[service_auth]", '[service_auth]\nstyle = "kerberos"')
    with pytest.raises(ProfileError, match=r"service_auth\.style.*must be one of"):
        load_profile(write(tmp_path, "plain", text), REPO, env={"MY_CSC_URL": "https://x"})


def test_extends_merges_the_base_and_drop_removes_inherited_keys(tmp_path: Path) -> None:
    write(tmp_path, "base", MINIMAL + '[identities.signer.values]\nusername = "alice"\n')
    child = write(tmp_path, "child", 'extends = "base.toml"\ndrop = ["service_auth"]\n'
                  'name = "child"\n[identities.signer.credentials]\np384 = "cred-2"\n')
    prof = load_profile(child, REPO, env={"MY_CSC_URL": "https://csc.example"})
    creds = prof.identities["signer"].credentials
    assert prof.name == "child" and creds == {"p256": "cred-1", "p384": "cred-2"}
    assert prof.identities["signer"].values["username"] == "alice"
    assert prof.service_auth.service_token is None


def test_dropping_what_is_not_inherited_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "base", MINIMAL)
    child = write(tmp_path, "child", 'extends = "base.toml"\ndrop = ["clients.other"]\n')
    with pytest.raises(ProfileError, match=r"clients\.other is not inherited"):
        load_profile(child, REPO, env={"MY_CSC_URL": "https://x"})


@pytest.mark.parametrize(("name", "personality"), [
    ("sandbox-v1-external-ec", "v1-external-ec"), ("sandbox-basic-explicit", "basic-explicit"),
    ("sandbox-oauth2client", "oauth2client"), ("sandbox-primesign-keycloak",
                                               "primesign-keycloak")])
def test_the_personality_profiles_load_and_name_their_personality(name: str,
                                                                  personality: str) -> None:
    prof = load_profile(name, REPO, env={})
    assert prof.sandbox.enabled and prof.sandbox.personality == personality
