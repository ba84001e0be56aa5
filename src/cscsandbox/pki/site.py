"""What the PKI store needs of its sandbox, as a protocol (so ``pki`` never imports ``context``,
which builds the store)."""

from __future__ import annotations

from typing import Protocol

from cscsandbox.config import SandboxConfig


class PkiSite(Protocol):
    """The sandbox's configuration, database and public base URL (for CRL/OCSP addresses)."""

    config: SandboxConfig
    db_path: str
    base_url: str
