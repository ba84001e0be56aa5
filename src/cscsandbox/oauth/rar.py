"""RFC 9396 ``authorization_details`` of CSC type ``credential`` (hand-written: not in Authlib).

The AS MUST refuse unknown types, unknown fields, wrong field types and missing required
fields with ``invalid_authorization_details`` [RFC 9396 §5].
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.base import OAuth2Error

from cscsandbox import defects

CREDENTIAL_TYPE = "credential"
#: Fields of a ``credential`` object: CSC v2 §8.4.2 table, ``numSignatures`` (PrimeSign seed),
#: and the RAR common fields [RFC 9396 §2.2].
_KNOWN_FIELDS = {
    "type", "credentialID", "signatureQualifier", "documentDigests", "hashAlgorithmOID",
    "numSignatures", "locations", "actions", "datatypes", "identifier", "privileges",
}


class InvalidAuthorizationDetails(OAuth2Error):
    error = "invalid_authorization_details"


@dataclass(frozen=True)
class CredentialDetail:
    """The validated ``credential`` object; ``raw`` is echoed (enriched) in the token response."""

    credential_id: str | None
    signature_qualifier: str | None
    hashes: tuple[bytes, ...]
    labels: tuple[str, ...]
    hash_algo_oid: str
    num_signatures: int
    raw: dict[str, Any]


def _fail(description: str) -> InvalidAuthorizationDetails:
    return InvalidAuthorizationDetails(description=description)


def decode_digest(value: Any) -> bytes:
    """A ``documentDigests[].hash``: standard base64 in every CSC sample; base64url tolerated."""
    if not isinstance(value, str) or not value:
        raise _fail("documentDigests hash must be a non-empty string")
    text = value.replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _fail("documentDigests hash is not base64") from None


def _optional_str(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    if value is not None and (not isinstance(value, str) or not value):
        raise _fail(f"{name} must be a non-empty string")
    return value


def _digests(item: dict[str, Any]) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
    digests = item.get("documentDigests")
    if not isinstance(digests, list) or not digests:
        raise _fail("credential authorization details require documentDigests")
    hashes, labels = [], []
    for entry in digests:
        if not isinstance(entry, dict) or set(entry) - {"hash", "label"}:
            raise _fail("documentDigests entries have only hash and label")
        hashes.append(decode_digest(entry.get("hash")))
        label = entry.get("label", "")
        if not isinstance(label, str):
            raise _fail("documentDigests label must be a string")
        labels.append(label)
    return tuple(hashes), tuple(labels)


def _credential(item: dict[str, Any]) -> CredentialDetail:
    unknown = sorted(set(item) - _KNOWN_FIELDS)
    if unknown:
        raise _fail(f"unknown field(s) in credential details: {', '.join(unknown)}")
    credential_id = _optional_str(item, "credentialID")
    qualifier = _optional_str(item, "signatureQualifier")
    if not credential_id and not qualifier:
        raise _fail("credentialID or signatureQualifier is required")
    hashes, labels = _digests(item)
    algo = item.get("hashAlgorithmOID")
    if not isinstance(algo, str) or not algo:
        raise _fail("hashAlgorithmOID is required")
    count = item.get("numSignatures", len(hashes))
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise _fail("numSignatures must be a positive integer")
    return CredentialDetail(credential_id, qualifier, hashes, labels, algo, count, dict(item))


def parse(text: str) -> CredentialDetail | None:
    """Parse the URL/form value; exactly one ``credential`` object is supported.

    None only under the ``rar-unknown-type-accepted`` defect, when every object was skipped.
    """
    skip_unknown = defects.active("rar-unknown-type-accepted")
    try:
        details = json.loads(text)
    except (ValueError, RecursionError):
        raise _fail("authorization_details is not JSON") from None
    if not isinstance(details, list) or not details:
        raise _fail("authorization_details must be a non-empty JSON array")
    found: list[CredentialDetail] = []
    for item in details:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise _fail("every authorization_details object needs a string type")
        if item["type"] != CREDENTIAL_TYPE:
            if skip_unknown:
                continue
            raise _fail("unknown authorization_details type")
        found.append(_credential(item))
    if not found and skip_unknown:
        return None
    if len(found) != 1:
        raise _fail("exactly one authorization_details object of type credential is supported")
    return found[0]
