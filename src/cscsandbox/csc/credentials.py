"""``credentials/list`` and ``credentials/info`` (CSC §11.4, §11.5)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, current_app

from cscsandbox import defects
from cscsandbox.context import SandboxContext
from cscsandbox.csc.auth import authenticate, credential_header_allowed, require_scope_for
from cscsandbox.csc.credinfo import InfoOptions, credential_info, owned_credential, usable
from cscsandbox.csc.params import Params, json_body
from cscsandbox.errors import invalid_request

blueprint = Blueprint("csc_credentials", __name__)

_PAGE_PREFIX = "page:"


def _ctx() -> SandboxContext:
    return current_app.extensions["cscsandbox"]


def _encode_page(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PAGE_PREFIX}{offset}".encode()).decode().rstrip("=")


def _decode_page(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        text = ""
    number = text.removeprefix(_PAGE_PREFIX)
    if not text.startswith(_PAGE_PREFIX) or not number.isdigit() or len(number) > 9:
        raise invalid_request("Invalid parameter pageToken")
    return int(number)


def _check_user_id(params: Params) -> None:
    """``userID`` SHALL NOT be sent with user-specific service authorization [CSC1 §11.4]."""
    if "userID" in params.data and params.data["userID"] is not None:
        raise invalid_request("userID parameter MUST be null")


def _v1_page(ids: list[str], params: Params, default_size: int) -> dict[str, Any]:
    size = params.data.get("maxResults")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        size = default_size  # omitted or invalid: the server's own maximum [CSC1 §11.4]
    size = min(size, default_size)
    token = params.optional_string("pageToken")
    start = _decode_page(token) if token is not None else 0
    if start > len(ids):
        raise invalid_request("Invalid parameter pageToken")
    end = start + size
    result: dict[str, Any] = {"credentialIDs": ids[start:end]}
    if end < len(ids):
        next_start = end - 1 if defects.active("list-paging-duplicates") else end
        result["nextPageToken"] = _encode_page(next_start)
    return result


def _v2_list(ctx: SandboxContext, creds: list[Any], params: Params) -> dict[str, Any]:
    with_info = params.boolean("credentialInfo")
    options = InfoOptions.from_params(params)
    only_valid = params.boolean("onlyValid")
    if only_valid:
        creds = [c for c in creds if usable(c)]
    result: dict[str, Any] = {"credentialIDs": [c.credential_id for c in creds]}
    if with_info:
        result["credentialInfos"] = [
            {"credentialID": c.credential_id, **credential_info(ctx, c, "v2", options)}
            for c in creds
        ]
    if only_valid:
        result["onlyValid"] = True
    return result


@blueprint.post("/csc/<any(v1, v2):version>/credentials/list")
def credentials_list(version: str) -> dict[str, Any]:
    ctx = _ctx()
    caller = authenticate(ctx.config, allow_credential_token=False)
    params = json_body()
    params.client_data()
    _check_user_id(params)
    params.optional_string("lang")
    creds = ctx.config.credentials_of(caller.user_id)
    if version == "v1":
        ids = [c.credential_id for c in creds]
        return _v1_page(ids, params, ctx.config.service.list_max_results)
    return _v2_list(ctx, creds, params)


@blueprint.post("/csc/<any(v1, v2):version>/credentials/info")
def credentials_info(version: str) -> dict[str, Any]:
    ctx = _ctx()
    caller = authenticate(
        ctx.config, allow_credential_token=credential_header_allowed(ctx.config, version)
    )
    params = json_body()
    params.client_data()
    params.optional_string("lang")
    cred = owned_credential(ctx, caller, params, unchecked_under="credential-info-any-user")
    require_scope_for(caller, cred.credential_id)
    return credential_info(ctx, cred, version, InfoOptions.from_params(params))
