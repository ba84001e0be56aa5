"""Validation of an authorization request (direct or pushed) and its completion.

Authlib validates client, redirect URI (exact match), response type, scope and the PKCE challenge
format; this module adds the CSC rules: credential parameters (v1/v2/RAR), PKCE S256 for v2-style
requests, ``account_token`` and ``clientData``. Errors carry the redirect URI only once it is
trusted, so Authlib renders them as RFC 6749 §4.1.2.1 redirects or the caller shows a page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from authlib.oauth2.base import OAuth2Error
from authlib.oauth2.rfc6749 import (
    AccessDeniedError,
    InvalidRequestError,
    InvalidScopeError,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from flask import Response

from cscsandbox import audit, defects
from cscsandbox.config import CredentialConfig, SandboxConfig
from cscsandbox.oauth import account_token, credential_request
from cscsandbox.oauth.server import SandboxServer

log = logging.getLogger(__name__)

#: Parameters never kept in login state or stored grants.
_NOT_KEPT = ("account_token", "client_secret", "client_assertion", "client_assertion_type")


class ParamsRequest(OAuth2Request):
    """An authorize request rebuilt from stored parameters (PAR, login continuation)."""

    def __init__(self, uri: str, params: Mapping[str, list[str]]) -> None:
        super().__init__("GET", uri)
        single = {k: v[0] for k, v in params.items() if v}
        self.payload = BasicOAuth2Payload(single)
        self.payload._datalist = {k: list(v) for k, v in params.items()}
        self.pending: dict[str, Any] | None = None

    @property
    def args(self) -> dict[str, str]:
        return dict(self.payload.data)

    @property
    def form(self) -> dict[str, str]:
        return {}


def client_data_fields(client_data: str | None) -> tuple[str | None, str | None]:
    """``clientTransactionId`` and ``amr_hint`` from a JSON ``clientData`` (never an error)."""
    try:
        parsed = json.loads(client_data) if client_data else None
    except (ValueError, RecursionError):
        parsed = None
    if not isinstance(parsed, dict):
        return None, None
    hint = parsed.get("amr_hint")
    transaction_id = audit.transaction_id_from_client_data(client_data)
    return transaction_id, hint if isinstance(hint, str) else None


def _check_pkce(server: SandboxServer, params: Mapping[str, str], style: str) -> None:
    """PKCE is REQUIRED for v2 [CSC2 §8.4.2]; the sandbox requires S256 (knob pkce_methods)."""
    rule = server.settings.pkce_required
    if rule == "never" or (rule == "v2-style" and style != "v2"):
        return
    if not params.get("code_challenge"):
        raise InvalidRequestError("Missing parameter code_challenge (PKCE is required)")
    if params.get("code_challenge_method", "plain") not in server.settings.pkce_methods:
        raise InvalidRequestError("Unsupported code_challenge_method (S256 is required)")


def _csc_checks(
    server: SandboxServer, config: SandboxConfig, params: dict[str, str], *, pushed: bool,
    token_checked: bool, redirect_uri: str,
) -> dict[str, Any]:
    style = credential_request.api_style(params, pushed)
    _check_pkce(server, params, style)
    credential = credential_request.parse(params, style, config)
    if credential is None and "oauth2code" not in config.service.auth_types:
        raise InvalidScopeError("scope service is not offered: info.authType has no oauth2code")
    client = config.client(params["client_id"])
    assert client is not None  # Authlib has checked the client
    account = None
    if not token_checked:
        account = account_token.verify(
            params.get("account_token"), client, server.settings.account_token_lifetime)
    transaction_id, amr_hint = client_data_fields(params.get("clientData"))
    kept = {k: v for k, v in params.items() if k not in _NOT_KEPT and k != "request_uri"}
    return {
        "params": kept, "client_id": client.client_id, "redirect_uri": redirect_uri,
        "state": params.get("state"), "scope": "credential" if credential else "service",
        "api_version": style, "credential": _credential_dict(credential),
        "transaction_id": transaction_id, "amr_hint": amr_hint, "account": account,
    }


def _credential_dict(credential: credential_request.CredentialRequest | None) -> dict | None:
    if credential is None:
        return None
    data = asdict(credential)
    data["hashes"] = [h.hex() for h in credential.hashes] if credential.hashes else None
    data["labels"] = list(credential.labels)
    return data


def validate(
    server: SandboxServer, config: SandboxConfig, authorize_url: str,
    params: Mapping[str, list[str]], *, pushed: bool = False, token_checked: bool = False,
) -> dict[str, Any]:
    """Validate an authorize request; returns the JSON-safe pending authorization.

    Raises ``OAuth2Error``; its ``redirect_uri`` is set only when the redirect may be used.
    """
    request = ParamsRequest(authorize_url, params)
    try:
        grant = server.get_consent_grant(request=request)
    except ValueError:  # Authlib refuses to echo '"' or '\\' in an error description
        raise InvalidRequestError("Invalid characters in the request parameters") from None
    single = {k: v[0] for k, v in params.items() if v}
    try:
        return _csc_checks(server, config, single, pushed=pushed, token_checked=token_checked,
                           redirect_uri=grant.redirect_uri)
    except OAuth2Error as error:
        error.redirect_uri = grant.redirect_uri
        error.state = single.get("state")
        raise


def choose_credential(pending: dict[str, Any], user_id: str, config: SandboxConfig) -> str:
    """The credential the token is bound to: the named one (if the user's) or one matching the
    ``signatureQualifier`` [CSC2 §8.4.2]; ``access_denied`` when there is none."""
    wanted = pending["credential"]
    if wanted["credential_id"]:
        cred = config.credential(wanted["credential_id"])
        if cred is None or cred.user_id != user_id:
            raise AccessDeniedError("The credential does not belong to the signer")
        return cred.credential_id
    for cred in config.credentials_of(user_id):
        if _fits(cred, wanted):
            return cred.credential_id
    raise AccessDeniedError("The signer has no credential for this signatureQualifier")


def _fits(cred: CredentialConfig, wanted: dict[str, Any]) -> bool:
    return (
        cred.signature_qualifier == wanted["signature_qualifier"]
        and cred.auth_mode == "oauth2code" and cred.status == "enabled"
        and cred.cert_state == "valid" and cred.multisign >= wanted["num_signatures"]
        and (cred.scal == "1" or bool(wanted["hashes"]))
    )


def grant_record(pending: dict[str, Any], credential_id: str | None) -> dict[str, Any]:
    """What the code carries to the token endpoint (JSON-safe)."""
    wanted = pending["credential"] or {}
    details = wanted.get("authorization_details")
    if details is not None and credential_id:
        details = {**details, "credentialID": credential_id}
    return {
        "scope": pending["scope"], "api_version": pending["api_version"],
        "transaction_id": pending["transaction_id"], "credential_id": credential_id,
        "chosen_credential": not wanted.get("credential_id"),
        "num_signatures": wanted.get("num_signatures"), "hashes": wanted.get("hashes"),
        "hash_algo_oid": wanted.get("hash_algo_oid"), "authorization_details": details,
    }


def complete(server: SandboxServer, authorize_url: str, pending: dict[str, Any],
             user_id: str, config: SandboxConfig) -> Response:
    """Issue the code and redirect back to the client [RFC 6749 §4.1.2]."""
    try:
        credential_id = (
            choose_credential(pending, user_id, config) if pending["credential"] else None)
    except OAuth2Error as error:
        return deny(server, pending, error.description or "access denied", user_id=user_id)
    request = ParamsRequest(authorize_url, {k: [v] for k, v in pending["params"].items()})
    request.pending = grant_record(pending, credential_id)
    grant = server.get_consent_grant(request=request)
    response: Response = server.create_authorization_response(
        request=request, grant_user=user_id, grant=grant)
    log.info("authorization granted: client=%s user=%s scope=%s credential=%s",
             pending["client_id"], user_id, pending["scope"], credential_id)
    if defects.active("state-not-echoed"):
        response.headers["Location"] = _without_state(response.headers["Location"])
    audit.record(
        "authorization_granted", transaction_id=pending["transaction_id"],
        client_id=pending["client_id"], user_id=user_id,
        detail={"scope": pending["scope"], "api_version": pending["api_version"],
                "credential_id": credential_id},
    )
    return response


def _without_state(location: str) -> str:
    parts = urlsplit(location)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "state"]
    return urlunsplit(parts._replace(query=urlencode(query)))


def deny(server: SandboxServer, pending: dict[str, Any], description: str,
         user_id: str | None = None) -> Response:
    """``access_denied`` redirect (deny, cancel, too many attempts) [RFC 6749 §4.1.2.1]."""
    log.info("authorization denied: client=%s reason=%s", pending["client_id"], description)
    audit.record(
        "authorization_denied", transaction_id=pending["transaction_id"],
        client_id=pending["client_id"], user_id=user_id, detail={"reason": description},
    )
    error = AccessDeniedError(description, redirect_uri=pending["redirect_uri"],
                              state=pending["state"])
    response: Response = server.handle_error_response(None, error)
    return response
