"""Who is calling: the Bearer access token of an authenticated CSC method.

CSC1 §10: a bad or expired access token is 401; a malformed header is 400. v2 also accepts a
credential-scope token, which authorizes ``credentials/info`` and ``signHash`` of its one
credential [CSC2 §2 / spec-notes §2].
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, request

from cscsandbox import audit, defects, tokens
from cscsandbox.config import SandboxConfig
from cscsandbox.context import SandboxContext
from cscsandbox.csc.params import Params, json_body
from cscsandbox.errors import CscError, invalid_request, invalid_token


@dataclass(frozen=True)
class Caller:
    raw_token: str
    record: tokens.TokenRecord

    @property
    def user_id(self) -> str:
        return self.record.user_id

    @property
    def client_id(self) -> str:
        return self.record.client_id

    @property
    def is_credential_token(self) -> bool:
        return self.record.scope == "credential"

    def may_use(self, credential_id: str) -> bool:
        """Service tokens reach all the user's credentials; credential tokens only their own."""
        return not self.is_credential_token or self.record.credential_id == credential_id


def counts_as_revoked(record: tokens.TokenRecord) -> bool:
    """Revocation check shared by the header and the SAD path (one place for its defect)."""
    if record.revoked and record.scope == "credential":
        if defects.active("revoked-credential-token-signs"):
            return False
    return record.revoked


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer`` header value (None: no header)."""
    if header is None:
        raise invalid_token("Missing access token", error="invalid_token")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise invalid_request("Malformed authorization header")
    return token


def _unchecked_caller(raw: str, config: SandboxConfig) -> Caller:
    """What the ``service-token-not-checked`` defect lets through: the first user's session."""
    now = time.time()
    user = config.users[0].user_id if config.users else "unknown"
    client = config.clients[0].client_id if config.clients else "unknown"
    record = tokens.TokenRecord(
        tokens.hash_token(raw), "access", "service", client, user, "unchecked", "v2", None, None,
        None, None, 0, now, now + 60, False, None,
    )
    return Caller(raw, record)


def authenticate(config: SandboxConfig, *, allow_credential_token: bool) -> Caller:
    """The caller of this Flask request, or a 400/401 CscError."""
    return authenticate_header(
        config, request.headers.get("Authorization"), allow_credential_token=allow_credential_token
    )


def authenticate_header(
    config: SandboxConfig, header: str | None, *, allow_credential_token: bool
) -> Caller:
    """The caller for an ``Authorization`` header value (also used outside Flask's request
    machinery by the signHash shortcut), or a 400/401 CscError."""
    raw = bearer_token(header)
    record = tokens.lookup(raw)
    if record is None:
        if defects.active("service-token-not-checked"):
            return _unchecked_caller(raw, config)
        raise invalid_token("Invalid access token")
    if record.kind != "access":
        raise invalid_token("Invalid access token")
    if counts_as_revoked(record):
        raise invalid_token("The access token has been revoked")
    if record.is_expired():
        raise invalid_token("The access token is expired", error="expired_token")
    if record.scope == "credential" and not allow_credential_token:
        raise invalid_token("A credential token does not authorize this method")
    return Caller(raw, record)


def credential_header_allowed(config: SandboxConfig, version: str) -> bool:
    """v2 always accepts a credential token in the header; v1 only behind a knob."""
    return version == "v2" or config.service.v1_credential_token_in_header


def require_scope_for(caller: Caller, credential_id: str) -> None:
    """A credential token used for another credential is not authorized for it (401)."""
    if not caller.may_use(credential_id):
        raise CscError(401, "invalid_token", "The access token is not valid for this credential")


@dataclass(frozen=True)
class ServiceCall:
    """A CSC method call with a service token: the common start of such a route."""

    ctx: SandboxContext
    caller: Caller
    params: Params
    transaction_id: str | None  # clientTransactionId of the body's clientData


def service_call() -> ServiceCall:
    """Authenticate (service token only), then parse the body and its ``clientData``."""
    ctx: SandboxContext = current_app.extensions["cscsandbox"]
    caller = authenticate(ctx.config, allow_credential_token=False)
    params = json_body()
    transaction_id = audit.transaction_id_from_client_data(params.client_data())
    return ServiceCall(ctx, caller, params, transaction_id)
