"""``auth/login`` and ``auth/revoke``: service authorization without OAuth (CSC1 §11.2, §11.3).

``auth/login`` takes the user's HTTP Basic credentials (authType ``basic``; ``digest`` is not
offered) or a ``refresh_token`` from an earlier ``rememberMe`` login. ``auth/revoke`` revokes one
of the caller's own tokens; a refresh token takes its grant's access tokens with it. Both are
reachable only where the personality lists them (``cscsandbox.offer``).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import uuid
from typing import Any

from flask import Blueprint, Response, current_app, request

from cscsandbox import audit, tokens
from cscsandbox.config import UserConfig
from cscsandbox.context import SandboxContext
from cscsandbox.csc.auth import service_call
from cscsandbox.csc.params import Params, json_body
from cscsandbox.errors import CscError, invalid_request
from cscsandbox.oauth.settings import OAuthSettings, from_config

blueprint = Blueprint("csc_service_auth", __name__)

#: The ``client_id`` recorded on tokens of ``auth/login`` (no OAuth client is involved).
LOGIN_CLIENT = "csc-auth-login"
_TOKEN_HINTS = ("access_token", "refresh_token")


def _basic_user(ctx: SandboxContext, header: str | None) -> UserConfig:
    """The user of an ``Authorization: Basic`` header, with the CSC1 §11.2 error answers."""
    scheme, _, encoded = (header or "").strip().partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise CscError(401, "invalid_request", "Malformed authentication parameter.",
                       {"WWW-Authenticate": 'Basic realm="csc"'})
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        decoded = ""
    username, colon, password = decoded.partition(":")
    if not colon or not username:
        raise invalid_request("Malformed username-password.")
    user = ctx.config.user_by_username(username)
    if user is None or not hmac.compare_digest(user.password.encode(), password.encode()):
        raise CscError(400, "authentication_error",
                       "An error occurred during authentication process")
    return user


def _refreshed_grant(params: Params) -> tokens.TokenRecord:
    """The live ``auth/login`` refresh token sent instead of the Basic header."""
    value = params.data["refresh_token"]
    if not isinstance(value, str) or not value:
        raise invalid_request("Invalid string parameter: refresh_token")
    record = tokens.lookup(value)
    if (record is None or record.kind != "refresh" or record.client_id != LOGIN_CLIENT
            or not record.is_live()):
        raise invalid_request("Invalid refresh_token")
    return record


def _issue(settings: OAuthSettings, user_id: str, grant_id: str, version: str,
           remember: bool, transaction_id: str | None) -> dict[str, Any]:
    common: dict[str, Any] = {
        "scope": "service", "client_id": LOGIN_CLIENT, "user_id": user_id,
        "grant_id": grant_id, "api_version": version, "transaction_id": transaction_id,
    }
    body: dict[str, Any] = {
        "access_token": tokens.issue(kind="access", lifetime_s=settings.access_token_lifetime,
                                     **common),
    }
    if remember:
        body["refresh_token"] = tokens.issue(
            kind="refresh", lifetime_s=settings.refresh_token_lifetime, **common)
    body["expires_in"] = settings.access_token_lifetime
    return body


@blueprint.post("/csc/<any(v1, v2):version>/auth/login")
def auth_login(version: str) -> dict[str, Any]:
    ctx: SandboxContext = current_app.extensions["cscsandbox"]
    params = json_body(require_json=False)
    client_data = params.client_data()
    remember = params.boolean("rememberMe")
    transaction_id = audit.transaction_id_from_client_data(client_data)
    settings = from_config(ctx.config)
    if "refresh_token" in params.data:
        record = _refreshed_grant(params)
        body = _issue(settings, record.user_id, record.grant_id, version, False, transaction_id)
        user_id = record.user_id
    else:
        user_id = _basic_user(ctx, request.headers.get("Authorization")).user_id
        body = _issue(settings, user_id, uuid.uuid4().hex, version, remember, transaction_id)
    audit.record("auth/login", transaction_id=transaction_id, client_id=LOGIN_CLIENT,
                 user_id=user_id, detail={"api_version": version, "refresh": "refresh_token"
                                          in params.data, "remember_me": remember})
    return body


def _revocable(params: Params, user_id: str) -> tokens.TokenRecord:
    value = params.data.get("token")
    if not isinstance(value, str) or not value:
        raise invalid_request("Missing (or invalid type) string parameter token")
    hint = params.data.get("token_type_hint")
    if hint is not None and hint not in _TOKEN_HINTS:
        raise invalid_request("Invalid string parameter token_type_hint")
    record = tokens.lookup(value)
    if (record is None or record.user_id != user_id or record.scope != "service"
            or record.kind not in ("access", "refresh")):
        raise invalid_request("Invalid string parameter token")
    return record


@blueprint.post("/csc/<any(v1, v2):version>/auth/revoke")
def auth_revoke(version: str) -> Response:
    """204 on success; revoking a refresh token revokes its grant [CSC1 §11.3]."""
    call = service_call()
    record = _revocable(call.params, call.caller.user_id)
    tokens.revoke(call.params.data["token"])
    cascaded = tokens.revoke_grant(record.grant_id) if record.kind == "refresh" else 0
    audit.record("auth/revoke", transaction_id=call.transaction_id,
                 client_id=call.caller.client_id, user_id=call.caller.user_id,
                 detail={"kind": record.kind, "cascaded": cascaded, "api_version": version})
    return Response(status=204)
