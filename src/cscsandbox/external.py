"""Service tokens issued outside the CSC API (info.authType ``external``, CSC1 §8.1).

A provider with external service authorization accepts tokens its own portal or SSO hands out.
The sandbox's stand-in for that outside issuer: ``python -m cscsandbox issue-token`` and
``POST /_sandbox/token`` (automation endpoints). Either is refused unless the personality
offers ``external``.
"""

from __future__ import annotations

import uuid

from cscsandbox import tokens
from cscsandbox.config import ConfigError, SandboxConfig

#: The ``client_id`` recorded on external tokens (no OAuth client is involved).
EXTERNAL_CLIENT = "external"
DEFAULT_LIFETIME_S = 3600


def issue_token(config: SandboxConfig, user_id: str, lifetime_s: int = DEFAULT_LIFETIME_S) -> str:
    """A service access token for ``user_id`` in the current database; ConfigError when the
    personality does not accept external tokens or the user is unknown."""
    if "external" not in config.service.auth_types:
        raise ConfigError("this personality does not accept external tokens (authType)")
    if config.user(user_id) is None:
        raise ConfigError(f"unknown user {user_id!r}")
    if lifetime_s < 1:
        raise ConfigError("the lifetime must be at least 1 s")
    return tokens.issue(kind="access", scope="service", client_id=EXTERNAL_CLIENT,
                        user_id=user_id, grant_id=uuid.uuid4().hex, api_version="v1",
                        lifetime_s=lifetime_s)
