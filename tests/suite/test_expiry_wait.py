"""Expiry waits are bounded by the stated lifetime, counted from the answer that stated it (not
fixed sleeps), and skip when the lifetime exceeds what the profile lets a scenario wait."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from checks_helpers import resp

from cscsuite import driver_tokens
from cscsuite.driver_tokens import EXPIRY_MARGIN_S, TokenDriver


def driver(max_wait_s: float = 15) -> SimpleNamespace:
    notes: list[str] = []
    world = SimpleNamespace(profile=SimpleNamespace(capabilities={"max_wait_s": max_wait_s}),
                            evidence=SimpleNamespace(note=notes.append))
    return SimpleNamespace(world=world, notes=notes)


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(driver_tokens.time, "sleep", waits.append)
    return waits


def test_the_wait_counts_from_the_answer(slept: list[float]) -> None:
    answer = resp(201, {"expires_in": 4})
    answer.received_at = time.monotonic() - 3  # three seconds already went by
    TokenDriver.wait_for_expiry(driver(), answer)  # type: ignore[arg-type]
    assert len(slept) == 1 and 0 < slept[0] <= 1 + EXPIRY_MARGIN_S


def test_an_answer_long_expired_is_not_waited_for(slept: list[float]) -> None:
    answer = resp(200, {"expires_in": 2})
    answer.received_at = time.monotonic() - 60
    TokenDriver.wait_for_expiry(driver(), answer)  # type: ignore[arg-type]
    assert slept == [0.0]


@pytest.mark.parametrize("lifetime", [60, None, "4", True])
def test_a_lifetime_too_long_or_unstated_skips(slept: list[float], lifetime: object) -> None:
    with pytest.raises(pytest.skip.Exception, match="a scenario may wait"):
        TokenDriver.wait_for_expiry(driver(), resp(200, {"expires_in": lifetime}))  # type: ignore[arg-type]
    assert not slept


def test_just_before_expiry_waits_into_the_last_second(slept: list[float]) -> None:
    answer = resp(200, {"expiresIn": 4})
    answer.received_at = time.monotonic() - 1  # one of four seconds already went by
    TokenDriver.wait_until_just_before_expiry(driver(), answer)  # type: ignore[arg-type]
    assert len(slept) == 1 and 4 - 1 - EXPIRY_MARGIN_S - 0.5 < slept[0] <= 4 - 1 - EXPIRY_MARGIN_S


def test_a_lifetime_without_a_last_stretch_skips(slept: list[float]) -> None:
    with pytest.raises(pytest.skip.Exception, match="too short"):
        TokenDriver.wait_until_just_before_expiry(driver(), resp(200, {"expires_in": 1}))  # type: ignore[arg-type]
    assert not slept


def code_driver(code_lifetime_s: object, received_ago: float, code: str | None = "c") -> Any:
    """A driver whose current authorization code arrived ``received_ago`` seconds ago."""
    from cscsuite.world import Authorization
    d = driver()
    if code_lifetime_s is not None:
        d.world.profile.capabilities["code_lifetime_s"] = code_lifetime_s
    d.world.authorization = Authorization(scope="service", code=code,
                                          received_at=time.monotonic() - received_ago)
    d.authorization = lambda: d.world.authorization
    return d


def test_a_code_is_waited_for_from_its_arrival_for_the_declared_lifetime(slept) -> None:
    TokenDriver.wait_for_code_expiry(code_driver(5, received_ago=2))  # type: ignore[arg-type]
    assert len(slept) == 1 and 3 < slept[0] <= 3 + EXPIRY_MARGIN_S


def test_without_a_declared_code_lifetime_the_wait_skips_and_says_what_to_declare(slept) -> None:
    with pytest.raises(pytest.skip.Exception, match=r"capabilities\.code_lifetime_s"):
        TokenDriver.wait_for_code_expiry(code_driver(None, received_ago=0))  # type: ignore[arg-type]
    with pytest.raises(pytest.skip.Exception, match="a scenario may wait"):
        TokenDriver.wait_for_code_expiry(code_driver(60, received_ago=0))  # type: ignore[arg-type]
    assert not slept


def test_no_code_to_let_expire_is_the_suites_error(slept) -> None:
    from cscsuite.outcomes import HarnessError
    with pytest.raises(HarnessError, match="no authorization code"):
        TokenDriver.wait_for_code_expiry(code_driver(5, received_ago=0, code=None))  # type: ignore[arg-type]
