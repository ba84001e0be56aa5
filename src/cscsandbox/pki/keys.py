"""Private-key generation with an optional on-disk cache.

RSA-3072 generation takes up to a second; many short-lived sandboxes (one per test) would pay it
again and again. Test keys carry no secret worth protecting, so a per-machine cache keyed by
credential id and key spec is reused across databases (each database still stores its own copy,
which is what restarts read).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

CURVES: dict[str, ec.EllipticCurve] = {
    "P-256": ec.SECP256R1(),
    "P-384": ec.SECP384R1(),
    "P-521": ec.SECP521R1(),
}


def key_spec(key_type: str, key_size: int, curve: str) -> str:
    """A stable name for a key shape, e.g. ``rsa-2048`` or ``ec-P-256``."""
    return f"rsa-{key_size}" if key_type == "rsa" else f"ec-{curve}"


def generate(spec: str) -> PrivateKey:
    kind, _, param = spec.partition("-")
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=int(param))
    return ec.generate_private_key(CURVES[param])


def to_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def from_pem(pem: bytes) -> PrivateKey:
    # Keys come from this module (or its cache), so OpenSSL's slow RSA consistency check is skipped.
    key: PrivateKeyTypes = serialization.load_pem_private_key(
        pem, password=None, unsafe_skip_rsa_key_validation=True
    )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValueError("unsupported key type in store")
    return key


def cache_dir(setting: str) -> Path | None:
    """The key cache directory for the ``key_cache_dir`` setting (None = caching off)."""
    value = setting or os.environ.get("CSCSANDBOX_KEY_CACHE", "")
    if value == "off":
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "cscsandbox" / "keys"


def load_or_generate(name: str, spec: str, directory: Path | None) -> PrivateKey:
    """The cached key ``name`` of shape ``spec``, generating (and caching) it when absent."""
    if directory is None:
        return generate(spec)
    path = directory / f"{name}.{spec}.pem"
    try:
        return from_pem(path.read_bytes())
    except (OSError, ValueError):
        pass
    key = generate(spec)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(to_pem(key))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache is not an error
    return key
