"""Fixtures of the personality tests: a fresh in-process sandbox playing one personality."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from flask.testing import FlaskClient

from cscsandbox import config

PersonaClient = Callable[..., FlaskClient]


@cache
def personality_config(name: str) -> config.SandboxConfig:
    return config.load(None, name)


@pytest.fixture
def persona(make_client: Callable[..., FlaskClient]) -> PersonaClient:
    """``persona("basic-explicit", defects=[...])``: a test client of that personality."""

    def make(name: str, defects: tuple[str, ...] | list[str] = ()) -> FlaskClient:
        return make_client(defects=defects, config=personality_config(name))

    return make
