"""The running sandbox's shared state, stored on ``app.extensions["cscsandbox"]``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cscsandbox.config import SandboxConfig

if TYPE_CHECKING:
    from cscsandbox.pki.store import PkiStore

#: The default path of the authorization server's issuer below the base URL (like a Keycloak
#: realm); a personality may move it (``[service] issuer_path``).
ISSUER_PATH = "/realms/sandbox"


@dataclass
class SandboxContext:
    """Configuration, addresses and lazily built services of one sandbox instance.

    ``base_url`` is fixed only after the listening socket is bound (``--port 0``), hence mutable.
    """

    config: SandboxConfig
    db_path: str
    base_url: str = "http://localhost"
    defects: tuple[str, ...] = ()
    test_endpoints: bool = True
    _pki: PkiStore | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def issuer(self) -> str:
        """The authorization server's issuer URL (no trailing slash)."""
        return self.base_url + self.config.service.issuer_path

    @property
    def pki(self) -> PkiStore:
        """The test PKI and credential keys (loaded or generated on first use)."""
        if self._pki is None:
            with self._lock:
                if self._pki is None:
                    from cscsandbox.pki.store import PkiStore

                    self._pki = PkiStore(self)
        return self._pki
