"""What a ``scope=credential`` authorization asks for, from v1, v2 or RAR parameters.

How a request is classified (documented in the [oauth] table too):

- ``v2`` when it was pushed (PAR is v2-only), carries ``authorization_details``, or names any v2
  credential parameter (``hashes``, ``hashAlgorithmOID``, ``signatureQualifier``);
- ``v1`` otherwise: the v1 parameter ``hash`` (mixing it with v2 names is refused), a plain
  ``credentialID``/``numSignatures`` request, and every service-scope request. PKCE does not
  decide: RFC 7636 is orthogonal to the CSC version and v1 clients may use it too.

The class decides the token type (v1 credential tokens are ``SAD``) and whether PKCE is required.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc6749.errors import InvalidRequestError

from cscsandbox import defects
from cscsandbox.config import SandboxConfig
from cscsandbox.oauth import rar

V2_CREDENTIAL_PARAMS = ("hashes", "hashAlgorithmOID", "signatureQualifier")
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
#: Digest sizes of the hash OIDs a v2 request may name (spec-notes §5.1).
DIGEST_SIZES = {
    "2.16.840.1.101.3.4.2.1": 32, "2.16.840.1.101.3.4.2.2": 48, "2.16.840.1.101.3.4.2.3": 64,
    "2.16.840.1.101.3.4.2.4": 28, "2.16.840.1.101.3.4.2.8": 32, "2.16.840.1.101.3.4.2.9": 48,
    "2.16.840.1.101.3.4.2.10": 64,
}


@dataclass(frozen=True)
class CredentialRequest:
    """The credential, count and hashes an authorization would bind its token to."""

    api_version: str
    credential_id: str | None
    signature_qualifier: str | None
    num_signatures: int
    hashes: tuple[bytes, ...] | None
    hash_algo_oid: str | None
    labels: tuple[str, ...]
    authorization_details: dict[str, Any] | None


def api_style(params: Mapping[str, str], pushed: bool) -> str:
    """``v1`` or ``v2`` per the module docstring."""
    v2_named = pushed or "authorization_details" in params or any(
        name in params for name in V2_CREDENTIAL_PARAMS
    )
    if "hash" in params and v2_named:
        raise InvalidRequestError("The v1 parameter hash cannot be mixed with v2 parameters")
    return "v2" if v2_named else "v1"


def decode_hash_list(text: str) -> tuple[bytes, ...]:
    """A comma list of base64url digests as in the authorize URL [CSC1 §8.3.2, §5.2]."""
    items = text.split(",")
    if defects.active("authorize-hashes-misdecoded"):
        return tuple(_as_standard_base64(item) for item in items)
    decoded = []
    for item in items:
        if not _B64URL.match(item):
            raise InvalidRequestError("Invalid base64url hash in hash list")
        try:
            decoded.append(base64.urlsafe_b64decode(item + "=" * (-len(item) % 4)))
        except (binascii.Error, ValueError):
            raise InvalidRequestError("Invalid base64url hash in hash list") from None
    return tuple(decoded)


def _as_standard_base64(item: str) -> bytes:
    """The defect's decoding: a base64 decoder that silently drops ``-`` and ``_``."""
    kept = re.sub(r"[^A-Za-z0-9+/]", "", item)
    kept = kept[: len(kept) - 1] if len(kept) % 4 == 1 else kept
    return base64.b64decode(kept + "=" * (-len(kept) % 4))


def _positive_int(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise InvalidRequestError(f"Invalid parameter {name}")
    return int(value)


def _check_digest_sizes(hashes: tuple[bytes, ...] | None, algo: str | None) -> None:
    if algo is None:
        return
    if algo not in DIGEST_SIZES:
        raise InvalidRequestError("Invalid parameter hashAlgorithmOID")
    if hashes and any(len(h) != DIGEST_SIZES[algo] for h in hashes):
        raise InvalidRequestError("Invalid digest value length for hashAlgorithmOID")


def _from_rar(detail: rar.CredentialDetail) -> CredentialRequest:
    if detail.hash_algo_oid not in DIGEST_SIZES or any(
        len(h) != DIGEST_SIZES[detail.hash_algo_oid] for h in detail.hashes
    ):
        raise rar.InvalidAuthorizationDetails(description="digest does not match hashAlgorithmOID")
    if len(detail.hashes) > detail.num_signatures:
        raise rar.InvalidAuthorizationDetails(description="more documentDigests than numSignatures")
    return CredentialRequest(
        "v2", detail.credential_id, detail.signature_qualifier, detail.num_signatures,
        detail.hashes, detail.hash_algo_oid, detail.labels, detail.raw,
    )


def _from_params(params: Mapping[str, str], style: str) -> CredentialRequest:
    credential_id = params.get("credentialID") or None
    qualifier = params.get("signatureQualifier") or None if style == "v2" else None
    if not credential_id and not qualifier:
        raise InvalidRequestError("Missing parameter credentialID")
    count = _positive_int(params.get("numSignatures"), "numSignatures")
    if count is None:
        raise InvalidRequestError("Missing parameter numSignatures")
    raw = params.get("hash" if style == "v1" else "hashes")
    hashes = decode_hash_list(raw) if raw else None
    algo = params.get("hashAlgorithmOID") if style == "v2" else None
    if hashes and style == "v2" and not algo:
        raise InvalidRequestError("Missing parameter hashAlgorithmOID")
    _check_digest_sizes(hashes, algo)
    if hashes and len(hashes) > count:
        raise InvalidRequestError("More hashes than numSignatures")
    return CredentialRequest(style, credential_id, qualifier, count, hashes, algo, (), None)


def parse(params: Mapping[str, str], style: str, config: SandboxConfig) -> CredentialRequest | None:
    """The credential request of an authorize/PAR call, or None for ``scope=service``."""
    detail = rar.parse(params["authorization_details"]) if params.get(
        "authorization_details") else None
    scope = params.get("scope") or ("credential" if detail else "service")
    if scope != "credential":
        if detail:
            raise InvalidRequestError("authorization_details require scope credential")
        return None
    if detail and any(n in params for n in ("credentialID", "numSignatures", "hash", "hashes")):
        raise InvalidRequestError(
            "Send credential parameters either in authorization_details or as parameters")
    request = _from_rar(detail) if detail else _from_params(params, style)
    if request.credential_id:
        _check_credential(request, config)
    return request


def _check_credential(request: CredentialRequest, config: SandboxConfig) -> None:
    """The named credential exists, may sign that often, and gets hashes when SCAL 2."""
    cred = config.credential(request.credential_id or "")
    if cred is None:
        raise InvalidRequestError("Invalid parameter credentialID")
    if request.num_signatures > cred.multisign:
        raise InvalidRequestError("Numbers of signatures is too high")
    if cred.scal == "2" and not request.hashes:
        raise InvalidRequestError("Hashes are required for a SCAL 2 credential")
