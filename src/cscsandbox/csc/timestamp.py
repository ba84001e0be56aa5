"""``signatures/timestamp`` (CSC1 §11.10, CSC2 §11.13): an RFC 3161 token over a given hash.

The token comes from the same time-stamping authority as ``/pki/tsa`` (``pki.tsa``). Input
``hash`` (base64), ``hashAlgo`` (OID; v2 also accepts ``hashAlgorithmOID``, the name v2 uses for
every other hash-algorithm field, and refuses the two when they disagree), ``nonce`` (hex string,
echoed in the token), ``clientData``. Errors follow the method's table in the specification.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from flask import Blueprint, current_app

from cscsandbox import audit
from cscsandbox.context import SandboxContext
from cscsandbox.csc.algorithms import HASHES
from cscsandbox.csc.auth import authenticate
from cscsandbox.csc.params import Params, decode_base64, json_body
from cscsandbox.errors import invalid_request
from cscsandbox.pki import tsa

blueprint = Blueprint("csc_timestamp", __name__)

METHOD = "signatures/timestamp"
_NONCE = re.compile(r"[0-9a-fA-F]{1,64}")  # up to 256 bits; RFC 3161 asks for a large random


def _hash_oid(params: Params, version: str) -> str:
    given = params.data.get("hashAlgo")
    alias = params.data.get("hashAlgorithmOID") if version == "v2" else None
    if given is None and alias is not None:
        given = alias
    elif alias is not None and alias != given:
        raise invalid_request("Invalid parameter hashAlgo")
    if not isinstance(given, str):
        raise invalid_request("Missing (or invalid type) string parameter hashAlgo")
    if given not in HASHES:
        raise invalid_request("Invalid parameter hashAlgo")
    return given


def _digest(params: Params) -> bytes:
    text = params.string("hash")
    if not text:
        raise invalid_request("Empty hash parameter")
    digest = decode_base64(text)
    if digest is None:
        raise invalid_request("Invalid Base64 hash string parameter")
    return digest


def _nonce(params: Params) -> int | None:
    value = params.data.get("nonce")
    if value is None:
        return None
    if not isinstance(value, str) or not _NONCE.fullmatch(value):
        raise invalid_request("Invalid parameter nonce")
    return int(value, 16)


def query(params: Params, version: str) -> tsa.Query:
    """The checked time-stamp query of a request body (400 invalid_request otherwise)."""
    digest = _digest(params)
    hash_alg = HASHES[_hash_oid(params, version)]
    if len(digest) != hash_alg.size:
        raise invalid_request("Invalid digest value length")
    nonce = _nonce(params)
    params.client_data()
    return tsa.Query(digest, hash_alg.name, nonce, tsa.POLICY_SANDBOX, cert_req=True)


@blueprint.post(f"/csc/<any(v1, v2):version>/{METHOD}")
def timestamp(version: str) -> dict[str, Any]:
    ctx: SandboxContext = current_app.extensions["cscsandbox"]
    caller = authenticate(ctx.config, allow_credential_token=False)
    params = json_body()
    token = tsa.token(tsa.unit(ctx), query(params, version))
    audit.record(METHOD, transaction_id=None, client_id=caller.client_id,
                 user_id=caller.user_id, detail={"api_version": version})
    return {"timestamp": base64.b64encode(token.dump()).decode("ascii")}
