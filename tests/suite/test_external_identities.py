"""``external`` service tokens for more than one identity: the suite acts for the second signer
only where the profile names a token source of that identity's own (its ``service_token``, or a
``service_token_command`` with ``{user}``); with one token for all it skips, never acting as the
wrong party."""

from __future__ import annotations

from pathlib import Path

import pytest
from auth_fakes import canned_driver

from cscsuite import parties, service_auth

SECOND = '[identities.second_signer]\nuser_id = "bob"\nvalues = { username = "bob" }\n'
COMMAND = ('[service_auth]\nservice_token_command = ["{python}", "token.py", "{user}"]\n')


def token_script(tmp_path: Path) -> None:
    """A token command that prints a token naming the user it was asked for."""
    (tmp_path / "token.py").write_text("import sys\nprint('tok-' + sys.argv[1])\n",
                                       encoding="utf-8")


def test_a_command_with_user_gives_each_identity_its_own_token(tmp_path: Path) -> None:
    token_script(tmp_path)
    flow, _ = canned_driver(tmp_path, auth_types=("external",), extra=COMMAND + SECOND)
    assert service_auth.obtain(flow, flow.code_flow_token).token == "tok-alice"
    assert service_auth.acts_for(flow.world.profile, parties.SECOND_SIGNER)
    assert str(parties.identity_token(flow, parties.SECOND_SIGNER)) == "tok-bob"
    assert str(parties.act_as(flow, parties.SECOND_SIGNER)) == "tok-bob"
    assert str(parties.act_as(flow, parties.SIGNER)) == "tok-alice"


def test_an_identitys_own_service_token_wins_and_is_redacted(tmp_path: Path) -> None:
    extra = ('[service_auth]\nservice_token = { env = "EXT_TOKEN" }\n' + SECOND +
             'service_token = { env = "BOB_TOKEN" }\n')
    flow, _ = canned_driver(tmp_path, auth_types=("external",), extra=extra,
                            env={"EXT_TOKEN": "ext-alice", "BOB_TOKEN": "ext-bob"})
    assert service_auth.obtain(flow, flow.code_flow_token).token == "ext-alice"
    assert str(parties.identity_token(flow, parties.SECOND_SIGNER)) == "ext-bob"
    assert {"ext-alice", "ext-bob"} <= set(flow.world.profile.secret_values())


@pytest.mark.parametrize("extra", [
    '[service_auth]\nservice_token = { env = "EXT_TOKEN" }\n',
    '[service_auth]\nservice_token_command = ["{python}", "token.py", "alice"]\n',
], ids=["one env token", "a command without {user}"])
def test_one_token_for_all_skips_the_second_signer_with_the_reason(tmp_path: Path,
                                                                   extra: str) -> None:
    token_script(tmp_path)
    flow, _ = canned_driver(tmp_path, auth_types=("external",), extra=extra + SECOND,
                            env={"EXT_TOKEN": "ext-alice"})
    assert not service_auth.acts_for(flow.world.profile, parties.SECOND_SIGNER)
    with pytest.raises(pytest.skip.Exception,
                       match=r"lacks capability 'second_signer' for v1 .* 'external' acts for "
                             r"one identity .*identities.second_signer.service_token"):
        parties.identity_token(flow, parties.SECOND_SIGNER)


def test_the_second_signers_credentials_are_listed_with_their_own_token(tmp_path: Path) -> None:
    token_script(tmp_path)
    flow, service = canned_driver(tmp_path, auth_types=("external",), extra=COMMAND + SECOND)
    flow.world.service_token = service_auth.obtain(flow, flow.code_flow_token).token
    before = flow.discovered_credentials(parties.SECOND_SIGNER)
    assert "no service token of second_signer's own" in str(before.problem)
    assert not service.requests  # nothing listed with the signer's token
    parties.act_as(flow, parties.SECOND_SIGNER)
    flow.discovered_credentials(parties.SECOND_SIGNER)
    assert service.last("/list").headers["authorization"] == "Bearer tok-bob"
