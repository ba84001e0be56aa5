"""Companion targets: the profile schema (``[companions.<name>]``) and the routing of scenario
instances to companions by their ``@needs_<capability>`` tags (``cscsuite.companions``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cscsuite import companions
from cscsuite.profile import ProfileError, load_profile
from cscsuite.profile_types import Profile

REPO = Path(__file__).resolve().parents[2]
TARGETS = REPO / "targets"

EMBEDDED = """
name = "{name}"
api_versions = {versions}
[sandbox]
enabled = true
personality = "basic-explicit"
[identities.signer]
values = {{ username = "alice", password = {{ env = "T_COMPANION_PW", default = "pw-{name}" }} }}
"""
REMOTE = 'base_url = "https://csc.example"\n[identities.signer]\nvalues = {}\n'


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def embedded(directory: Path, name: str, extra: str = "", versions: str = '["v1", "v2"]') -> Path:
    return write(directory, name, EMBEDDED.format(name=name, versions=versions) + extra)


def load(path: Path) -> Profile:
    return load_profile(str(path), REPO, env={})


def companion_table(name: str, profile: str, capabilities: str) -> str:
    return f'\n[companions.{name}]\nprofile = "{profile}"\ncapabilities = {capabilities}\n'


# -- the shipped profiles ----------------------------------------------------------------------

def test_the_default_profile_names_a_companion_for_every_capability_primesign_lacks() -> None:
    prof = load_profile("sandbox", REPO, env={})
    owners = {cap: c.name for c in prof.companions.values() for cap in c.capabilities}
    assert owners["auth_login"] == owners["send_otp"] == owners["pin_only_credential"] \
        == "basic-explicit"
    assert owners["oauth2client_service"] == "oauth2client"
    assert owners["external_service"] == "external"
    assert prof.companions["basic-explicit"].profile.sandbox.personality == "basic-explicit"
    assert prof.companions["external"].profile.api_versions == ("v1", "v2")
    # the companions' secrets are redacted like the profile's own
    assert "alice-password" in prof.secret_values()


def test_a_companion_profile_on_its_own_has_no_companions() -> None:
    assert load_profile("sandbox-oauth2client", REPO, env={}).companions == {}


def test_the_remote_primesign_profile_has_no_companions() -> None:
    text = (TARGETS / "primesign-test.toml").read_text(encoding="utf-8")
    env = {var: "x" for var in re.findall(r'(?:env|var) = "(\w+)"', text)}
    assert load_profile("primesign-test", REPO, env=env).companions == {}


def test_a_companion_may_be_named_by_a_toml_path_beside_the_profile(tmp_path: Path) -> None:
    embedded(tmp_path, "other")
    path = embedded(tmp_path, "main", companion_table("b", "other.toml", '["auth_login"]'))
    assert load(path).companions["b"].profile.name == "other"


# -- schema errors: one line naming file and key -----------------------------------------------

@pytest.mark.parametrize(("table", "message"), [
    (companion_table("Basic", "sandbox-basic-explicit", '["auth_login"]'),
     "key 'companions.Basic': a companion's name is lowercase letters, digits and '-'"),
    (companion_table("b", "sandbox-basic-explicit", "[]"),
     "key 'companions.b.capabilities': list the capabilities"),
    (companion_table("b", "sandbox-basic-explicit", '["auth_logn"]'),
     "key 'companions.b.capabilities': unknown capability 'auth_logn'"),
    (companion_table("b", "sandbox-basic-explicit", '["max_wait_s"]'),
     "unknown capability 'max_wait_s'"),
    (companion_table("b", "sandbox-basic-explicit", '"auth_login"'),
     "key 'companions.b.capabilities': expected a list, got str"),
    (companion_table("b", "sandbox-basic-explicit", '["auth_login"]')
     + companion_table("c", "sandbox-oauth2client", '["oauth2client_service", "auth_login"]'),
     "'auth_login' is already companion 'b''s (one companion per capability)"),
    (companion_table("b", "no-such-profile", '["auth_login"]'),
     "key 'companions.b.profile': profile not found: no-such-profile"),
    (companion_table("b", "main", '["auth_login"]'),
     "key 'companions.b.profile': names this profile itself"),
    (companion_table("b", "sandbox-basic-explicit", '["auth_login"]')
     + "\n[companions.b.extra]\nx = 1\n", "key 'companions.b.extra': unknown key"),
    (companion_table("b", "primesign-test", '["auth_login"]'),
     "needs environment variable PRIMESIGN_CLIENT_ID"),
    ('\n[companions]\nb = "sandbox-basic-explicit"\n', "key 'companions.b': expected a table"),
])
def test_malformed_companions_are_one_line_errors(tmp_path: Path, table: str,
                                                  message: str) -> None:
    path = embedded(tmp_path, "main", table)
    with pytest.raises(ProfileError) as err:
        load(path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_a_remote_profile_may_not_name_companions(tmp_path: Path) -> None:
    path = write(tmp_path, "remote", REMOTE + companion_table("b", "sandbox-basic-explicit",
                                                             '["auth_login"]'))
    with pytest.raises(ProfileError, match=r"remote.toml: key 'companions': only a profile of "
                                           r"the embedded service"):
        load(path)


def test_a_companion_must_be_an_embedded_profile(tmp_path: Path) -> None:
    write(tmp_path, "remote", REMOTE)
    path = embedded(tmp_path, "main", companion_table("b", "remote", '["auth_login"]'))
    with pytest.raises(ProfileError, match=r"remote\.toml is not a profile of the embedded "):
        load(path)


def test_a_companion_may_not_have_companions_of_its_own(tmp_path: Path) -> None:
    embedded(tmp_path, "nested", companion_table("x", "sandbox-oauth2client",
                                                 '["oauth2client_service"]'))
    path = embedded(tmp_path, "main", companion_table("b", "nested", '["auth_login"]'))
    with pytest.raises(ProfileError, match=r"nested.toml names companions of its own"):
        load(path)


def test_a_capability_the_profile_declares_itself_is_not_a_companions(tmp_path: Path) -> None:
    path = embedded(tmp_path, "main", "\n[capabilities]\nauth_login = true\n"
                    + companion_table("b", "sandbox-basic-explicit", '["auth_login"]'))
    with pytest.raises(ProfileError, match=r"'auth_login': this profile declares it itself"):
        load(path)


# -- routing -----------------------------------------------------------------------------------

@pytest.fixture
def routed(tmp_path: Path) -> Profile:
    embedded(tmp_path, "basic")
    embedded(tmp_path, "v1only", versions='["v1"]')
    embedded(tmp_path, "second")
    return load(embedded(tmp_path, "main", companion_table("basic", "basic", '["auth_login", '
                                                           '"send_otp"]')
                         + companion_table("ext", "v1only", '["external_service"]')
                         + companion_table("late", "second", '["pin_only_credential"]')))


def test_a_scenario_runs_on_the_companion_that_declares_one_of_its_needs(routed: Profile) -> None:
    assert companions.route(routed, ["service_auth", "needs_auth_login"], "v1") == "basic"
    assert companions.route(routed, ["needs_send_otp", "needs_online_otp_credential"],
                            "v2") == "basic"


def test_a_scenario_without_a_declared_need_stays_on_the_profiles_target(
        routed: Profile) -> None:
    assert companions.route(routed, ["signhash", "needs_par", "id_signhash_001"], "v1") == ""
    assert companions.route(routed, [], "v2") == companions.PRIMARY


def test_the_first_companion_in_profile_order_wins(routed: Profile) -> None:
    assert companions.route(routed, ["needs_pin_only_credential", "needs_auth_login"],
                            "v1") == "basic"


def test_a_version_the_companion_lacks_stays_on_the_profiles_target(routed: Profile) -> None:
    assert companions.route(routed, ["needs_external_service"], "v1") == "ext"
    assert companions.route(routed, ["needs_external_service"], "v2") == companions.PRIMARY


def test_a_run_against_a_running_service_never_routes(routed: Profile) -> None:
    assert companions.route(routed, ["needs_auth_login"], "v1", embedded=False) == ""


def test_instance_ids_name_the_companion() -> None:
    assert companions.instance_id("v1", "basic-explicit") == "v1@basic-explicit"
    assert companions.instance_id("v2", companions.PRIMARY) == "v2"


def test_the_run_facts_describe_each_companion(routed: Profile) -> None:
    text = companions.describe(routed)
    assert text.startswith("basic = basic (personality basic-explicit) for auth_login, send_otp;")
    assert "ext = v1only" in text and "late = second" in text
