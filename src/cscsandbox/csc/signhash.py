"""``signatures/signHash`` (CSC §11.9 / v2 §11.10): the hot path, kept lean.

Keys and certificates come from memory (PkiStore cache); the only database write per request is
one transaction that consumes the SAD and records the audit event. ``perform`` is the route's
logic without Flask's request objects, so ``csc.shortcut`` can run it straight from WSGI.
"""

from __future__ import annotations

import base64
from typing import Any

from flask import Blueprint, current_app

from cscsandbox import audit, db, defects
from cscsandbox.config import CredentialConfig
from cscsandbox.context import SandboxContext
from cscsandbox.csc import sad
from cscsandbox.csc.algorithms import HASHES, SIGN_ALGOS, key_algos, parse_pss_params
from cscsandbox.csc.auth import (
    Caller,
    authenticate,
    credential_header_allowed,
    require_scope_for,
)
from cscsandbox.csc.credinfo import owned_credential
from cscsandbox.csc.params import Params, decode_base64, json_body
from cscsandbox.csc.signing import SignSpec, max_pss_salt, sign_digest
from cscsandbox.errors import invalid_request
from cscsandbox.pki.keys import PrivateKey
from cscsandbox.pki.store import CredentialMaterial

blueprint = Blueprint("csc_signhash", __name__)


def _hash_field(version: str) -> str:
    return "hashAlgo" if version == "v1" else "hashAlgorithmOID"


def _pss_spec(params: Params, key: PrivateKey, given_hash: str | None, version: str) -> SignSpec:
    encoded = params.data.get("signAlgoParams")
    if not isinstance(encoded, str):
        raise invalid_request("Missing (or invalid type) string parameter signAlgoParams")
    der = decode_base64(encoded)
    pss = parse_pss_params(der) if der is not None else None
    if pss is None or not 0 <= pss.salt_length <= max_pss_salt(key, pss.hash):
        raise invalid_request("Invalid parameter signAlgoParams")
    if given_hash is not None and given_hash != pss.hash.oid:
        raise invalid_request(f"Invalid parameter {_hash_field(version)}")
    return SignSpec("rsa-pss", pss.hash, pss)


def resolve_algorithm(
    params: Params, version: str, cred: CredentialConfig, key: PrivateKey
) -> SignSpec:
    """signAlgo + hashAlgo/hashAlgorithmOID + signAlgoParams -> what to compute."""
    sign_algo = params.string("signAlgo")
    kind = SIGN_ALGOS.get(sign_algo)
    if kind is None or sign_algo not in key_algos(cred.key_type):
        raise invalid_request("Invalid parameter signAlgo")
    field = _hash_field(version)
    given = params.data.get(field)
    if given is not None and not isinstance(given, str):
        raise invalid_request(f"Missing (or invalid type) string parameter {field}")
    if kind.family == "rsa-pss":
        return _pss_spec(params, key, given, version)
    if kind.implied_hash is not None:
        return SignSpec(kind.family, kind.implied_hash)  # a given hash OID SHALL be ignored
    if given is None:
        raise invalid_request(f"Missing (or invalid type) string parameter {field}")
    hash_alg = HASHES.get(given)
    if hash_alg is None:
        raise invalid_request(f"Invalid parameter {field}")
    return SignSpec(kind.family, hash_alg)


def _checked_lengths(digests: list[bytes], spec: SignSpec) -> list[bytes]:
    size = spec.hash.size
    if all(len(d) == size for d in digests):
        return digests
    if defects.active("digest-length-unchecked"):
        return [d[:size].ljust(size, b"\0") for d in digests]
    raise invalid_request("Invalid digest value length")


def _check_operation_mode(params: Params, version: str) -> None:
    """Only synchronous operation (info says asynchronousOperationMode false)."""
    if version == "v2" and params.data.get("operationMode", "S") != "S":
        raise invalid_request("Invalid parameter operationMode")


def _check_signable(cred: CredentialConfig, material: CredentialMaterial) -> None:
    if cred.status != "enabled":
        raise invalid_request("The credential identified by credentialID is disabled")
    if cred.cert_state in ("expired", "revoked"):
        subject = material.cert.subject.rfc4514_string()
        raise invalid_request(f"Signing certificate '{subject}' is {cred.cert_state}.")


def _sad_value(params: Params) -> str | None:
    value = params.data.get("SAD")
    if value is not None and not isinstance(value, str):
        raise invalid_request("Missing (or invalid type) string parameter SAD")
    return value


def _finish(values: list[bytes]) -> list[str]:
    if defects.active("wrong-signature-bytes"):
        values = [v[:-1] + bytes([v[-1] ^ 0x01]) for v in values]
    if defects.active("signatures-reversed"):
        values.reverse()
    return [base64.b64encode(v).decode("ascii") for v in values]


@blueprint.post("/csc/<any(v1, v2):version>/signatures/signHash")
def sign_hash(version: str) -> dict[str, Any]:
    ctx: SandboxContext = current_app.extensions["cscsandbox"]
    caller = authenticate(
        ctx.config, allow_credential_token=credential_header_allowed(ctx.config, version)
    )
    return {"signatures": perform(ctx, version, caller, json_body())}


def perform(ctx: SandboxContext, version: str, caller: Caller, params: Params) -> list[str]:
    """Everything after authentication and body parsing; the base64 signature values.

    Every check comes first; the one write (SAD consumption + audit, one transaction) is the
    last step, so a CscError leaves no trace (the shortcut in ``csc.shortcut`` relies on it).
    """
    client_data = params.client_data()
    cred = owned_credential(ctx, caller, params, unchecked_under="sad-not-bound-to-user")
    require_scope_for(caller, cred.credential_id)
    raw_sad = sad.resolve_raw_sad(caller, _sad_value(params), version, cred.credential_id)
    digests = params.digests("hash" if version == "v1" else "hashes")
    material = ctx.pki.material(cred)
    spec = resolve_algorithm(params, version, cred, material.key)
    digests = _checked_lengths(digests, spec)
    _check_operation_mode(params, version)
    authorization = sad.check(caller, raw_sad, cred, digests, spec.hash.oid)
    _check_signable(cred, material)
    signatures = _finish([sign_digest(material.key, spec, d) for d in digests])
    transaction_id = (
        audit.transaction_id_from_client_data(client_data) or authorization.record.transaction_id
    )
    if version == "v2" and defects.active("audit-v2-signing-untagged"):
        transaction_id = None
    with db.transaction():
        sad.consume(authorization, len(digests))
        audit.record(
            "signatures/signHash", transaction_id=transaction_id, client_id=caller.client_id,
            user_id=caller.user_id,
            detail={"credential_id": cred.credential_id, "signatures": len(digests),
                    "sign_algo": params.data["signAlgo"], "api_version": version},
        )
    return signatures
