"""Expiry waits are bounded by the stated lifetime, counted from the answer that stated it (not
fixed sleeps), and skip when the lifetime exceeds what the profile lets a scenario wait."""

from __future__ import annotations

import time
from types import SimpleNamespace

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
