"""Valid tokens for the fuzzer, written straight into the sandbox's database.

Minting through the browser login would make the fuzz run depend on the login pages; the token
table (``cscsandbox.tokens``) is the documented contract between the service and its
authorization server, and tests may import ``cscsandbox``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from cscsandbox import db, tokens

CLIENT_ID = "sandbox-client"


class TokenMinter:
    """Issues service and credential-scope tokens for a test user of the default config."""

    def __init__(self, db_path: Path) -> None:
        db.set_default_path(str(db_path))
        self._service: dict[tuple[str, str], str] = {}

    def service_token(self, api_version: str, user: str = "alice") -> str:
        """One long-lived service token per version and user (reused across requests)."""
        key = (api_version, user)
        if key not in self._service:
            self._service[key] = tokens.issue(
                kind="access", scope="service", client_id=CLIENT_ID, user_id=user,
                grant_id=uuid.uuid4().hex, api_version=api_version, lifetime_s=3600,
            )
        return self._service[key]

    def credential_token(self, api_version: str, credential_id: str, num: int,
                         user: str = "alice") -> str:
        """A fresh credential-scope token (the OAuth flow's SAD), not bound to hashes."""
        return tokens.issue(
            kind="access", scope="credential", client_id=CLIENT_ID, user_id=user,
            grant_id=uuid.uuid4().hex, api_version=api_version, lifetime_s=3600,
            credential_id=credential_id, num_signatures=num,
        )
