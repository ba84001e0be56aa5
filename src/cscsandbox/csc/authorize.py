"""``credentials/authorize``: a SAD for explicit/implicit credentials (CSC §11.6).

SHALL NOT be used for oauth2code credentials; there the OAuth credential token is the SAD.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint

from cscsandbox import audit, tokens
from cscsandbox.config import CredentialConfig
from cscsandbox.csc import factors
from cscsandbox.csc.algorithms import HASHES
from cscsandbox.csc.auth import service_call
from cscsandbox.csc.credinfo import owned_credential
from cscsandbox.csc.params import Params
from cscsandbox.errors import invalid_request

blueprint = Blueprint("csc_authorize", __name__)

_DIGEST_SIZES = {h.size for h in HASHES.values()}


def _num_signatures(params: Params, cred: CredentialConfig) -> int:
    number = params.integer("numSignatures")
    if number < 1:
        raise invalid_request("Invalid value for parameter numSignatures")
    if number > cred.multisign:
        raise invalid_request("Numbers of signatures is too high")
    return number


def _bound_hashes(
    params: Params, cred: CredentialConfig, version: str, number: int
) -> tuple[list[bytes] | None, str | None]:
    """Hashes to bind to the SAD (mandatory for SCAL 2) and their algorithm OID (v2)."""
    field = "hash" if version == "v1" else "hashes"
    if not params.has(field):
        if cred.scal == "2":
            raise invalid_request(f"Missing (or invalid type) array parameter {field}")
        return None, None
    digests = params.digests(field)
    if len(digests) > number:
        raise invalid_request("Numbers of signatures is too high")
    if version == "v1":
        if any(len(d) not in _DIGEST_SIZES for d in digests):
            raise invalid_request("Invalid digest value length")
        return digests, None
    oid = params.string("hashAlgorithmOID")
    alg = HASHES.get(oid)
    if alg is None:
        raise invalid_request("Invalid parameter hashAlgorithmOID")
    if any(len(d) != alg.size for d in digests):
        raise invalid_request("Invalid digest value length")
    return digests, oid


@blueprint.post("/csc/<any(v1, v2):version>/credentials/authorize")
def credentials_authorize(version: str) -> dict[str, Any]:
    call = service_call()
    ctx, caller, params = call.ctx, call.caller, call.params
    params.optional_string("description")
    cred = owned_credential(ctx, caller, params)
    if cred.status != "enabled":
        raise invalid_request("The credential identified by credentialID is disabled")
    if cred.auth_mode == "oauth2code":
        raise invalid_request(
            "credentials/authorize is not available for oauth2code credentials: "
            "authorize with the OAuth2 credential scope"
        )
    number = _num_signatures(params, cred)
    digests, hash_oid = _bound_hashes(params, cred, version, number)
    limit = ctx.config.service.factor_max_failures
    if version == "v1":
        factors.check_v1(params, cred, limit)
    else:
        factors.check_v2(params, cred, limit)
    lifetime = ctx.config.service.sad_lifetime_s
    transaction_id = call.transaction_id
    sad = tokens.issue(
        kind="sad", scope="credential", client_id=caller.client_id, user_id=caller.user_id,
        grant_id=uuid.uuid4().hex, api_version=version, lifetime_s=lifetime,
        credential_id=cred.credential_id, num_signatures=number,
        hashes=tuple(digests) if digests is not None else None, hash_algo_oid=hash_oid,
        transaction_id=transaction_id,
    )
    audit.record(
        "credentials/authorize", client_id=caller.client_id, user_id=caller.user_id,
        detail={"credential_id": cred.credential_id, "num_signatures": number,
                "api_version": version}, transaction_id=transaction_id,
    )
    return {"SAD": sad, "expiresIn": lifetime}
