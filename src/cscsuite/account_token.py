"""CSC ``account_token`` (CSC1 §8.3.1) and the broken variants the features send.

A valid token is a JWT with header ``{"typ": "JWT", "alg": "HS256"}``, claims ``sub``, ``iat``,
``jti``, ``iss`` (optional) and ``azp`` (the client_id), signed with HMAC-SHA256 whose key is the
*binary* SHA-256 digest of the client secret. Each variant breaks exactly one of those rules, so a
scenario that expects a refusal knows which rule the service enforced. Hand-written on purpose:
standard JOSE libraries refuse to produce ``alg: none`` or odd keys.
"""

from __future__ import annotations

import base64
import enum
import functools
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from cscsuite.oauth import b64url
from cscsuite.world import Secret

#: Default age of a "stale" iat when the target declares no lifetime: one day.
DEFAULT_STALE_AGE_S = 86_400


class Variant(enum.Enum):
    VALID = "valid"
    ALG_NONE = "alg_none"  # header alg "none", empty signature (not CSC; PrimeSign-specific)
    WRONG_KEY = "wrong_key"  # HMAC key = the hex text of SHA-256(secret), the classic mistake
    REPLAYED_JTI = "replayed_jti"  # a jti that was already used
    STALE_IAT = "stale_iat"  # iat older than the target's lifetime
    FOREIGN_AZP = "foreign_azp"  # azp names another client
    FOREIGN_SUB = "foreign_sub"  # sub names no account the client may act for
    NO_JTI = "no_jti"  # the REQUIRED unique jti left out
    EMPTY_JTI = "empty_jti"  # a jti that is an empty string: no identifier at all


@dataclass(frozen=True)
class Decoded:
    """A token split into its parts (no verification): for checks, tests and evidence."""

    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes


def signing_key(client_secret: str) -> bytes:
    """CSC1 §8.3.1: the key is SHA-256(client_secret) as 32 raw bytes."""
    return hashlib.sha256(client_secret.encode("utf-8")).digest()


def _segment(obj: dict[str, Any]) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode("utf-8"))


def encode(header: dict[str, Any], claims: dict[str, Any], key: bytes | None) -> Secret:
    """Serialise; ``key=None`` gives an empty signature (``alg: none``)."""
    signing_input = f"{_segment(header)}.{_segment(claims)}"
    signature = b"" if key is None else hmac.new(key, signing_input.encode("ascii"),
                                                  hashlib.sha256).digest()
    return Secret(f"{signing_input}.{b64url(signature)}")


def build(*, client_id: str, client_secret: str, sub: str, iss: str | None = None,
          iat: int | None = None, jti: str | None = None, azp: str | None = None) -> Secret:
    """A valid HS256 account token; ``azp`` defaults to ``client_id``."""
    claims: dict[str, Any] = {
        "sub": sub,
        "iat": int(time.time()) if iat is None else iat,
        "jti": jti or secrets.token_urlsafe(16),
    }
    if iss is not None:
        claims["iss"] = iss
    claims["azp"] = azp or client_id
    return encode({"typ": "JWT", "alg": "HS256"}, claims, signing_key(client_secret))


def make(variant: Variant, *, client_id: str, client_secret: str, sub: str,
         iss: str | None = None, jti: str | None = None, now: int | None = None,
         stale_age_s: int = DEFAULT_STALE_AGE_S, foreign_azp: str = "foreign-client") -> Secret:
    """The token for ``variant``; everything not named by the variant is as in a valid token.

    ``REPLAYED_JTI`` needs the ``jti`` of a token already sent (a fresh token otherwise reuses
    nothing); ``STALE_IAT`` sets ``iat = now - stale_age_s``.
    """
    issued = int(time.time()) if now is None else now
    base = functools.partial(build, client_id=client_id, client_secret=client_secret, sub=sub,
                             iss=iss, jti=jti)
    if variant is Variant.VALID:
        return base(iat=issued)
    if variant is Variant.REPLAYED_JTI:
        if not jti:
            raise ValueError("a replayed account token needs the jti of an earlier token")
        return base(iat=issued)
    if variant is Variant.STALE_IAT:
        return base(iat=issued - stale_age_s)
    if variant is Variant.FOREIGN_AZP:
        return base(iat=issued, azp=foreign_azp)
    valid = decode(base(iat=issued))
    if variant is Variant.ALG_NONE:
        return encode({"typ": "JWT", "alg": "none"}, valid.claims, None)
    if variant is Variant.FOREIGN_SUB:
        claims = {**valid.claims, "sub": "no-such-account-" + secrets.token_hex(4)}
        return encode(valid.header, claims, signing_key(client_secret))
    if variant in (Variant.NO_JTI, Variant.EMPTY_JTI):
        claims = {k: v for k, v in valid.claims.items() if k != "jti"}
        if variant is Variant.EMPTY_JTI:
            claims["jti"] = ""
        return encode(valid.header, claims, signing_key(client_secret))
    if variant is Variant.WRONG_KEY:
        wrong = hashlib.sha256(client_secret.encode("utf-8")).hexdigest().encode("ascii")
        return encode(valid.header, valid.claims, wrong)
    raise ValueError(f"unknown account token variant {variant!r}")


def _b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def decode(token: str) -> Decoded:
    """Split and decode a compact JWT without verifying it."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("an account token has three dot-separated parts")
    header, claims = (json.loads(_b64url_decode(p)) for p in parts[:2])
    return Decoded(header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"),
                   _b64url_decode(parts[2]))


def verify(token: str, client_secret: str) -> bool:
    """True when the HS256 signature matches the CSC key derivation."""
    decoded = decode(token)
    expected = hmac.new(signing_key(client_secret), decoded.signing_input,
                        hashlib.sha256).digest()
    return decoded.header.get("alg") == "HS256" and hmac.compare_digest(expected,
                                                                         decoded.signature)
