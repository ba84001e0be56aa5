"""The SAD rules of signHash: binding to credential, count, hashes, expiry (CSC1 §9, §11.9)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cscsandbox import defects, tokens
from cscsandbox.config import CredentialConfig
from cscsandbox.csc.auth import Caller, counts_as_revoked
from cscsandbox.errors import invalid_request

INVALID_SAD = "Invalid parameter SAD"


@dataclass(frozen=True)
class Authorization:
    """A checked SAD: the raw value to consume and whether the count limit is enforced."""

    raw: str
    record: tokens.TokenRecord
    enforce_limit: bool


def resolve_raw_sad(caller: Caller, sad: str | None, version: str, credential_id: str) -> str:
    """The SAD of this request: the body's, or (v2) the credential token in the header."""
    if sad is not None:
        return sad
    if version == "v2" and caller.is_credential_token and caller.may_use(credential_id):
        return caller.raw_token
    raise invalid_request("Missing (or invalid type) string parameter SAD")


def _check_identity(record: tokens.TokenRecord, caller: Caller, cred: CredentialConfig) -> None:
    if record.scope != "credential" or record.kind not in ("sad", "access"):
        raise invalid_request(INVALID_SAD)
    foreign = record.user_id != caller.user_id and not defects.active("sad-not-bound-to-user")
    if foreign or counts_as_revoked(record):
        raise invalid_request(INVALID_SAD)
    if record.credential_id != cred.credential_id:
        if not defects.active("sad-not-bound-to-credential"):
            raise invalid_request(INVALID_SAD)


def _check_expiry(record: tokens.TokenRecord) -> None:
    now = time.time()
    if defects.active("sad-expires-early") and now > (record.issued_at + record.expires_at) / 2:
        raise invalid_request("SAD expired")
    if record.is_expired(now):
        partial = defects.active("sad-expiry-ignored-v2") and record.api_version == "v2"
        if not defects.active("sad-expiry-ignored") and not partial:
            raise invalid_request("SAD expired")


def _check_count(record: tokens.TokenRecord, count: int) -> bool:
    """Whether consumption must enforce the limit (False only under a defect)."""
    limit = record.num_signatures
    if limit is None:
        return True
    if record.signatures_used >= limit:
        if defects.active("sad-reusable"):
            return False
        raise invalid_request(INVALID_SAD)
    if count > limit - record.signatures_used:
        if defects.active("sad-count-not-enforced") or (
                defects.active("sad-batch-overspends") and count <= limit):
            return False
        raise invalid_request("Numbers of signatures is too high")
    return True


def _check_hashes(
    record: tokens.TokenRecord, cred: CredentialConfig, digests: list[bytes], hash_oid: str
) -> None:
    bound = record.hashes
    if bound is None and cred.scal != "2":
        return
    if defects.active("sad-not-bound-to-hashes"):
        return
    allowed = set(bound or ())
    algo_ok = record.hash_algo_oid is None or record.hash_algo_oid == hash_oid
    checked = digests[:1] if defects.active("sad-hashes-checked-in-part") else digests
    if not algo_ok or not all(d in allowed for d in checked):
        raise invalid_request("Hash is not authorized by the SAD.")


def check(
    caller: Caller, raw: str, cred: CredentialConfig, digests: list[bytes], hash_oid: str
) -> Authorization:
    """Every SAD rule for signing ``digests`` with ``cred``; raises the spec's 400 errors."""
    record = tokens.lookup(raw)
    if record is None:
        raise invalid_request(INVALID_SAD)
    _check_identity(record, caller, cred)
    _check_expiry(record)
    enforce = _check_count(record, len(digests))
    _check_hashes(record, cred, digests, hash_oid)
    return Authorization(raw, record, enforce)


def consume(authorization: Authorization, count: int) -> None:
    """Count the signatures atomically; a concurrent request may have used the SAD up."""
    if not tokens.consume_signatures(
        authorization.raw, count, enforce_limit=authorization.enforce_limit
    ):
        raise invalid_request(INVALID_SAD)
