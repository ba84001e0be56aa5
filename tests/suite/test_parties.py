"""The party acting now: whose service token the scenario uses, and when the suite cannot act for
another identity (the scenario skips naming the capability, never runs as the wrong party)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from cscsuite import parties
from cscsuite.secret import Secret


def flow(auth_types: tuple[str, ...] = ("oauth2code",)) -> Any:
    profile = SimpleNamespace(service_auth=SimpleNamespace(style=None, service_token=None,
                                                           service_token_command=()),
                              client=object(),
                              identities={"signer": SimpleNamespace(login="pw", values={})})
    world = SimpleNamespace(service_token=Secret("signer-token"), notes={}, profile=profile)
    return SimpleNamespace(world=world, identity=lambda name: profile.identities.get(name),
                           info=SimpleNamespace(auth_types=list(auth_types)),
                           oauth_endpoints=lambda: "an authorization server",
                           api=SimpleNamespace(version="v1"))


def test_acting_switches_the_token_and_hands_it_back(monkeypatch: pytest.MonkeyPatch) -> None:
    obtained: list[str] = []

    def token(f: Any, identity: str) -> Secret:
        obtained.append(identity)
        return Secret(f"{identity}-token")

    monkeypatch.setattr(parties, "identity_token", token)
    f = flow()
    parties.act_as(f, parties.SECOND_SIGNER)
    assert str(f.world.service_token) == "second_signer-token"
    assert f.world.notes["acting"] == parties.SECOND_SIGNER
    parties.act_as(f, parties.SIGNER)
    assert str(f.world.service_token) == "signer-token" and f.world.notes["acting"] == "signer"
    parties.act_as(f, parties.SECOND_SIGNER)
    assert obtained == [parties.SECOND_SIGNER]  # once; the signer's is the Background's


@pytest.mark.parametrize("auth_types", [("external",), ("oauth2client",)])
def test_a_style_acting_for_one_identity_skips_naming_the_capability(auth_types: Any) -> None:
    with pytest.raises(pytest.skip.Exception, match="lacks capability 'second_signer' for v1"):
        parties.identity_token(flow(auth_types), parties.SECOND_SIGNER)
