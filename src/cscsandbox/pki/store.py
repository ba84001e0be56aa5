"""Persistence of the test PKI in the sandbox database, with an in-memory cache.

Authorities are created at start; credential keys and certificates on first use (lazily, so a
short-lived sandbox only pays for what a test touches). Every object is written with
``INSERT OR IGNORE`` and read back, so concurrent processes on one database agree on one PKI, and
a restart with the same ``--db`` reuses it.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from cscsandbox import db
from cscsandbox.config import CredentialConfig
from cscsandbox.pki import certs, keys, tsa_certs

if TYPE_CHECKING:
    from cscsandbox.pki.site import PkiSite

db.register_schema(
    """
    CREATE TABLE IF NOT EXISTS pki_objects (
        name TEXT PRIMARY KEY,
        key_pem BLOB NOT NULL,
        cert_der BLOB NOT NULL,
        created REAL NOT NULL
    );
    """
)

CA_NAMES = ("root", "qualified", "tsa")


@dataclass(frozen=True)
class Authority:
    key: keys.PrivateKey
    cert: x509.Certificate
    der: bytes


@dataclass(frozen=True)
class CredentialMaterial:
    """Everything signHash and credentials/info need for one credential, kept in memory."""

    key: keys.PrivateKey
    cert: x509.Certificate
    cert_b64: str
    chain_b64: tuple[str, ...]  # end-entity first, then issuing CA, then root


class PkiStore:
    """The PKI of one sandbox database."""

    def __init__(self, ctx: PkiSite) -> None:
        self._ctx = ctx
        self._lock = threading.RLock()
        self._authorities: dict[str, Authority] = {}
        self._materials: dict[str, CredentialMaterial] = {}
        self._cache = keys.cache_dir(ctx.config.service.key_cache_dir)

    # -- storage -------------------------------------------------------------------------------
    def _load(self, name: str) -> tuple[keys.PrivateKey, x509.Certificate] | None:
        row = db.connect(self._ctx.db_path).execute(
            "SELECT key_pem, cert_der FROM pki_objects WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        return keys.from_pem(row[0]), x509.load_der_x509_certificate(row[1])

    def _store(self, name: str, key: keys.PrivateKey, cert: x509.Certificate) -> None:
        conn = db.connect(self._ctx.db_path)
        conn.execute(
            "INSERT OR IGNORE INTO pki_objects (name, key_pem, cert_der, created) VALUES (?,?,?,?)",
            (name, keys.to_pem(key), cert.public_bytes(Encoding.DER), time.time()),
        )

    def stored(self, name: str, create: Callable[[], tuple[keys.PrivateKey, x509.Certificate]]
               ) -> tuple[keys.PrivateKey, x509.Certificate]:
        """The key and certificate stored as ``name``, created (and stored) on first use."""
        with self._lock:
            found = self._load(name)
            if found is None:
                self._store(name, *create())
                found = self._load(name)
        assert found is not None
        return found

    # -- URLs ----------------------------------------------------------------------------------
    def urls(self, issuer: str) -> certs.Urls:
        """Where relying parties fetch revocation data for certificates issued by ``issuer``."""
        return self._urls(issuer)

    def _urls(self, issuer: str) -> certs.Urls:
        base = self._ctx.base_url
        return certs.Urls(
            crl=f"{base}/pki/crl/{issuer}.crl",
            ocsp=f"{base}/pki/ocsp" if issuer == "qualified" else None,
            ca_issuers=f"{base}/pki/ca/{issuer}.cer",
        )

    # -- authorities ---------------------------------------------------------------------------
    def ensure_authorities(self) -> None:
        """Load or create the root and the qualified issuing CA."""
        self.authority("qualified")

    def authority(self, name: str) -> Authority:
        found = self._authorities.get(name)
        if found is not None:
            return found
        with self._lock:
            if name not in self._authorities:
                loaded = self._load(f"ca:{name}") or self._create_authority(name)
                key, cert = loaded
                self._authorities[name] = Authority(key, cert, cert.public_bytes(Encoding.DER))
        return self._authorities[name]

    def _create_authority(self, name: str) -> tuple[keys.PrivateKey, x509.Certificate]:
        key = keys.generate("ec-P-384")
        if name == "root":
            cert = certs.root_ca(key)
        else:
            root = self.authority("root")
            build = tsa_certs.tsa_ca if name == "tsa" else certs.issuing_ca
            cert = build(key, root.key, root.cert, self._urls("root"))
        self._store(f"ca:{name}", key, cert)
        stored = self._load(f"ca:{name}")
        assert stored is not None
        return stored

    # -- credentials ---------------------------------------------------------------------------
    def material(self, cred: CredentialConfig) -> CredentialMaterial:
        """Key, certificate and chain of ``cred`` (created and stored on first use)."""
        found = self._materials.get(cred.credential_id)
        if found is not None:
            return found
        with self._lock:
            if cred.credential_id not in self._materials:
                name = f"ee:{cred.credential_id}"
                key, cert = self._load(name) or self._create_credential(name, cred)
                ca, root = self.authority("qualified"), self.authority("root")
                ee_b64 = base64.b64encode(cert.public_bytes(Encoding.DER)).decode("ascii")
                chain = (ee_b64, *(base64.b64encode(a.der).decode("ascii") for a in (ca, root)))
                self._materials[cred.credential_id] = CredentialMaterial(key, cert, ee_b64, chain)
        return self._materials[cred.credential_id]

    def _create_credential(
        self, name: str, cred: CredentialConfig
    ) -> tuple[keys.PrivateKey, x509.Certificate]:
        spec = keys.key_spec(cred.key_type, cred.key_size, cred.curve)
        key = keys.load_or_generate(cred.credential_id, spec, self._cache)
        user = self._ctx.config.user(cred.user_id)
        holder = certs.Subject(
            given_name=(user.given_name if user and user.given_name else cred.user_id.title()),
            family_name=(user.family_name if user and user.family_name else "Sandbox"),
            serial=f"PNOAT-{cred.credential_id}",
        )
        ca = self.authority("qualified")
        cert = certs.end_entity(
            key, ca.key, ca.cert, holder, self._urls("qualified"),
            expired=cred.cert_state == "expired",
        )
        self._store(name, key, cert)
        stored = self._load(name)
        assert stored is not None
        return stored

    def revoked_credentials(self) -> list[CredentialConfig]:
        return [c for c in self._ctx.config.credentials if c.cert_state == "revoked"]

    def find_by_serial(self, serial: int) -> tuple[CredentialConfig, x509.Certificate] | None:
        """The credential whose certificate has ``serial`` (issued certificates only)."""
        for cred in self._ctx.config.credentials:
            cached = self._materials.get(cred.credential_id)
            loaded = (cached.key, cached.cert) if cached else self._load(f"ee:{cred.credential_id}")
            if loaded is not None and loaded[1].serial_number == serial:
                return cred, loaded[1]
        return None
