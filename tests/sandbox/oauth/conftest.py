"""Fixtures of the authorization-server tests (builds on tests/sandbox/conftest.py)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from cscsandbox import config


@pytest.fixture
def oauth_client(make_client: Callable[..., FlaskClient]) -> FlaskClient:
    """A test client of a fresh sandbox without defects."""
    return make_client()


@pytest.fixture
def with_oauth(
    make_client: Callable[..., FlaskClient], default_config: config.SandboxConfig
) -> Callable[..., FlaskClient]:
    """``with_oauth(revoke_success_status=204, defects=[...])``: a client whose ``[oauth]``
    table has these values."""

    def make(defects: tuple[str, ...] | list[str] = (), **oauth: Any) -> FlaskClient:
        raw = copy.deepcopy(default_config.raw)
        raw["oauth"] = {**raw.get("oauth", {}), **oauth}
        return make_client(defects=defects, config=config.parse(raw))

    return make
