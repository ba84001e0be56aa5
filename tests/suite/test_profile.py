"""Profile loading: secrets from the environment, clear errors naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from cscsuite.profile import ProfileError, expand, load_profile
from cscsuite.profile_types import LoginStep
from cscsuite.world import Secret

REPO = Path(__file__).resolve().parents[2]

MINIMAL = """
base_url = "https://csc.example"
api_versions = ["v2"]
[clients.main]
client_id = "c1"
secret = { env = "T_CLIENT_SECRET" }
redirect_uri = "https://client.example/cb"
[identities.signer]
login = "pw"
values = { username = "u", password = { env = "T_PASSWORD", default = "pw-default" } }
otp = { kind = "env", var = "T_OTP" }
credentials = { rsa2048 = "cred-1", p256 = { env = "T_P256", default = "" } }
[[login_recipes.pw]]
action = "fill"
label = "Username"
value = "identity.username"
"""
ENV = {"T_CLIENT_SECRET": "client-secret-1", "T_OTP": "654321"}


def write(tmp_path: Path, text: str, name: str = "target.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_shipped_sandbox_profile() -> None:
    prof = load_profile("sandbox", REPO, env={})
    assert prof.sandbox.enabled and prof.base_url is None
    assert prof.client.client_id == "sandbox-client"
    assert isinstance(prof.client.secret, Secret) and prof.client.secret == "sandbox-client-secret"
    assert {"main", "account_token", "other"} <= set(prof.clients)
    assert prof.identities["signer"].credentials["scal2"] == "alice-rsa2048-scal2"
    assert prof.identities["eid"].values["eid_identity"].startswith("XXX")
    assert prof.login_recipes["password_sms"][0] == LoginStep(action="wait_url",
                                                              pattern="/login/password")
    assert prof.trust_anchors[0].url == "{base_url}/pki/ca/root.cer"
    assert "sandbox-client-secret" in prof.secret_values()


def test_env_overrides_default() -> None:
    prof = load_profile("sandbox", REPO, env={"SANDBOX_CLIENT_SECRET": "from-env"})
    assert prof.client.secret == "from-env"


def test_secret_refs_resolve_and_hide(tmp_path: Path) -> None:
    prof = load_profile(str(write(tmp_path, MINIMAL)), tmp_path, env=ENV)
    signer = prof.identities["signer"]
    assert prof.client.secret == "client-secret-1"
    assert signer.values["password"] == "pw-default" and isinstance(signer.values["password"],
                                                                    Secret)
    assert signer.otp is not None and signer.otp.value == "654321"
    assert signer.credentials == {"rsa2048": "cred-1"}  # empty optional role dropped
    assert "client-secret-1" not in repr(prof)
    assert set(prof.secret_values()) == {"client-secret-1", "pw-default", "654321"}


def test_missing_env_var_names_variable_and_profile(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    with pytest.raises(ProfileError, match=r"T_CLIENT_SECRET") as err:
        load_profile(str(path), tmp_path, env={"T_OTP": "1"})
    assert "'target'" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(("edit", "key"), [
    (("[clients.main]", "[clients.main]\ncolor = 'red'"), "clients.main.color"),
    (('action = "fill"', 'action = "fill"\nselektor = "#x"'), "login_recipes.pw[0].selektor"),
    (('api_versions = ["v2"]', 'api_versions = ["v3"]'), "api_versions"),
    (('login = "pw"', 'login = "nope"'), "identities.signer.login"),
    (('client_id = "c1"', "client_id = 7"), "clients.main.client_id"),
    (('kind = "env"', 'kind = "carrier-pigeon"'), "identities.signer.otp.kind"),
    (('base_url = "https://csc.example"', ""), "base_url"),
    (("[clients.main]", "[capabilities]\nteleport = true\n[clients.main]"),
     "capabilities.teleport"),
    (("[clients.main]", "[capabilities]\ncode_lifetime_s = -1\n[clients.main]"),
     "capabilities.code_lifetime_s"),
    (("[clients.main]", "[capabilities]\ncode_lifetime_s = true\n[clients.main]"),
     "capabilities.code_lifetime_s"),
])
def test_malformed_profile_names_file_and_key(tmp_path: Path, edit: tuple[str, str],
                                              key: str) -> None:
    path = write(tmp_path, MINIMAL.replace(*edit))
    with pytest.raises(ProfileError) as err:
        load_profile(str(path), tmp_path, env=ENV)
    assert str(path) in str(err.value) and f"'{key}'" in str(err.value)


def test_invalid_toml_and_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(str(write(tmp_path, "base_url = ")), tmp_path)
    with pytest.raises(ProfileError, match="profile not found: nosuch"):
        load_profile("nosuch", tmp_path)


def test_capability_overrides_per_version(tmp_path: Path) -> None:
    text = MINIMAL.replace("[clients.main]", "[capabilities]\npar = false\n"
                           "rar = { v1 = false, v2 = true }\n[clients.main]")
    prof = load_profile(str(write(tmp_path, text)), tmp_path, env=ENV)
    assert prof.capabilities == {"par": False, "rar": {"v1": False, "v2": True}}


def test_primesign_profile_needs_its_variables() -> None:
    with pytest.raises(ProfileError, match="PRIMESIGN_"):
        load_profile("primesign-test", REPO, env={})
    env = {name: "x" for name in ("PRIMESIGN_CLIENT_ID", "PRIMESIGN_CLIENT_SECRET",
                                  "PRIMESIGN_REDIRECT_URI", "PRIMESIGN_USERNAME",
                                  "PRIMESIGN_PASSWORD", "PRIMESIGN_CREDENTIAL_ID")}
    prof = load_profile("primesign-test", REPO, env={**env, "PRIMESIGN_OTP": ""})
    assert prof.base_url == "https://qs.primesign-test.com"
    assert prof.api_versions == ("v1", "v2") and not prof.sandbox.enabled
    assert prof.client.account_token.subject is None  # empty optional env default


def test_example_generic_template_loads() -> None:
    env = {name: "x" for name in ("EXAMPLE_CLIENT_ID", "EXAMPLE_CLIENT_SECRET",
                                  "EXAMPLE_USERNAME", "EXAMPLE_PASSWORD", "EXAMPLE_OTP",
                                  "EXAMPLE_CREDENTIAL_ID")}
    assert load_profile("example-generic", REPO, env=env).api_versions == ("v2",)


def test_expand_placeholders() -> None:
    assert expand("{base_url}/_sandbox/sms?user={username}", base_url="http://h:1/",
                  username="alice") == "http://h:1/_sandbox/sms?user=alice"
    assert expand("{other}", base_url="x") == "{other}"
