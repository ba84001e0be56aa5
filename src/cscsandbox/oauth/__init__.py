"""OAuth2 authorization server of the reference service (placeholder until part 2 lands)."""

from __future__ import annotations

from typing import Any


def register(app: Any, ctx: Any) -> None:
    """Register the authorization server's blueprints on ``app`` (no-op placeholder)."""
