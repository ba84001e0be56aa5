"""Fixtures for the reference service's own tests (reusable by tests/sandbox/oauth).

- ``sandbox_ctx`` / ``app`` / ``client``: an in-process Flask app on a fresh temporary database.
- ``make_client``: the same with defects or another config (``make_client(defects=[...])``).
- ``mint_token``: issue tokens directly through ``tokens.issue`` (no OAuth round trip).
- ``live_sandbox``: a real ``python -m cscsandbox --port 0`` subprocess; yields its base URL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cscsandbox import config, db, defects, tokens
from cscsandbox.app import create_app
from cscsandbox.context import SandboxContext

from .live import start_sandbox

MintToken = Callable[..., str]


@pytest.fixture(scope="session")
def default_config() -> config.SandboxConfig:
    return config.load()


def _context(tmp_path: Path, cfg: config.SandboxConfig, active: tuple[str, ...]) -> SandboxContext:
    return SandboxContext(
        config=cfg, db_path=str(tmp_path / f"sandbox-{uuid.uuid4().hex[:8]}.db"), defects=active
    )


@pytest.fixture
def make_client(
    tmp_path: Path, default_config: config.SandboxConfig
) -> Iterator[Callable[..., FlaskClient]]:
    """Factory: ``make_client(defects=(...), config=cfg)`` -> a test client on a fresh DB."""

    def make(
        defects: tuple[str, ...] | list[str] = (), config: config.SandboxConfig | None = None
    ) -> FlaskClient:
        ctx = _context(tmp_path, config or default_config, tuple(defects))
        return create_app(ctx).test_client()

    yield make
    defects.activate([])


@pytest.fixture
def sandbox_ctx(tmp_path: Path, default_config: config.SandboxConfig) -> Iterator[SandboxContext]:
    yield _context(tmp_path, default_config, ())
    defects.activate([])


@pytest.fixture
def app(sandbox_ctx: SandboxContext) -> Flask:
    return create_app(sandbox_ctx)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def mint(**overrides: Any) -> str:
    """Issue a token in the current default database (defaults: alice's v2 service token)."""
    fields: dict[str, Any] = {
        "kind": "access",
        "scope": "service",
        "client_id": "sandbox-client",
        "user_id": "alice",
        "grant_id": uuid.uuid4().hex,
        "api_version": "v2",
        "lifetime_s": 300,
    }
    fields.update(overrides)
    return tokens.issue(**fields)


@pytest.fixture
def mint_token(client: FlaskClient) -> MintToken:
    """``mint_token(scope="credential", credential_id=..., num_signatures=1, ...)``."""
    del client  # the app must exist: it selects the database tokens.issue writes to
    return mint


def service_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth_headers(mint_token: MintToken) -> dict[str, str]:
    """alice's service token as an Authorization header."""
    return service_headers(mint_token())


@pytest.fixture
def live_sandbox(tmp_path: Path) -> Iterator[str]:
    """Base URL of a sandbox subprocess (own temporary DB), stopped at the end of the test."""
    with start_sandbox(tmp_path, "--db", str(tmp_path / "live.db")) as sandbox:
        yield sandbox.base_url


def current_db_path() -> str:
    return db.current_path()
