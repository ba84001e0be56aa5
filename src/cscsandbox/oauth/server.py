"""Authlib's authorization-server core, wired to the shared token table.

Authlib does the RFC 6749 code grant, client authentication (``client_secret_basic``/``_post``),
PKCE (RFC 7636) and the RFC 7009 endpoint skeleton; this module supplies storage, the CSC token
shapes (v1 credential tokens are ``SAD``) and the sandbox's defects.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, ClassVar

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Request
from authlib.oauth2.base import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidScopeError, OAuth2Request, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import request as flask_request

from cscsandbox import audit, defects, tokens
from cscsandbox.oauth import store
from cscsandbox.oauth.clients import SCOPES, Client, ClientRegistry
from cscsandbox.oauth.revocation import Revocation
from cscsandbox.oauth.settings import OAuthSettings

AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
#: CSC error bodies carry an ``error_description`` [CSC1 §10.1]; Authlib sometimes has none.
_DESCRIPTIONS = {
    "invalid_grant": "The authorization code or refresh token is invalid or expired",
    "invalid_client": "Client authentication failed",
    "unsupported_grant_type": "Invalid parameter grant_type",
    "unsupported_token_type": "The token type cannot be revoked",
    "access_denied": "The signer denied the authorization",
}


def describe(error: OAuth2Error) -> OAuth2Error:
    """Give ``error`` a description when Authlib left it empty."""
    if not error.description:
        error.description = _DESCRIPTIONS.get(error.error, "The request was refused")
    return error


@dataclass(frozen=True)
class Subject:
    """Who and what a token is issued for (from a code or a refresh token)."""

    user_id: str
    grant_id: str
    api_version: str
    grant: dict[str, Any]


class SandboxServer(AuthorizationServer):
    """Authlib's Flask server, also accepting prepared requests (PAR, login pages)."""

    def __init__(self, registry: ClientRegistry, settings: OAuthSettings,
                 client_credentials: bool = False) -> None:
        super().__init__()
        self.registry = registry
        self.settings = settings
        self._query_client = registry.get
        self.scopes_supported = list(SCOPES)
        self.register_token_generator("default", self.generate_tokens)
        self.register_grant(CodeGrant, [PkceChallenge(required=True)])
        self.register_grant(RefreshGrant)
        if client_credentials:
            self.register_grant(ClientCredentialsGrant)
        self.register_endpoint(Revocation(self))

    def query_client(self, client_id: str) -> Client | None:
        return self.registry.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Tokens are stored by ``generate_tokens`` already (they are issued there)."""

    def handle_error_response(self, request: Any, error: OAuth2Error) -> Any:
        return super().handle_error_response(request, describe(error))

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        return FlaskOAuth2Request(flask_request)

    def generate_tokens(
        self, grant_type: str, client: Client, user: Subject, scope: str | None = None,
        expires_in: int | None = None, include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        """Issue through ``tokens.issue`` and shape the response per CSC [CSC1 §8.3.3]."""
        grant = user.grant
        credential = scope == "credential"
        lifetime = self.settings.credential_token_lifetime if credential else (
            self.settings.access_token_lifetime)
        transaction_id = audit.transaction_id_from_client_data(
            flask_request.form.get("clientData")) or grant.get("transaction_id")
        common: dict[str, Any] = {
            "scope": scope or "service", "client_id": client.get_client_id(),
            "user_id": user.user_id, "grant_id": user.grant_id, "api_version": user.api_version,
            "transaction_id": transaction_id,
        }
        access = tokens.issue(kind="access", lifetime_s=lifetime, **common, **_binding(grant))
        body: dict[str, Any] = {"access_token": access, "token_type": _token_type(user, credential),
                                "expires_in": lifetime}
        if not credential and grant_type == "authorization_code":
            body["refresh_token"] = tokens.issue(
                kind="refresh", lifetime_s=self.settings.refresh_token_lifetime, **common)
        if credential and user.api_version == "v2" and grant.get("chosen_credential"):
            body["credentialID"] = grant["credential_id"]
        if grant.get("authorization_details") is not None:
            body["authorization_details"] = [grant["authorization_details"]]
        audit.record(
            "token_issued", transaction_id=transaction_id, client_id=client.get_client_id(),
            user_id=user.user_id, detail={"grant_type": grant_type, "scope": scope,
                                          "api_version": user.api_version,
                                          "credential_id": grant.get("credential_id")},
        )
        return body


def _binding(grant: dict[str, Any]) -> dict[str, Any]:
    """The credential binding of a credential token (what signHash enforces)."""
    hashes = grant.get("hashes")
    return {
        "credential_id": grant.get("credential_id"),
        "num_signatures": grant.get("num_signatures"),
        "hashes": tuple(bytes.fromhex(h) for h in hashes) if hashes is not None else None,
        "hash_algo_oid": grant.get("hash_algo_oid"),
    }


def _token_type(user: Subject, credential: bool) -> str:
    """v1 credential tokens are the SAD (``token_type: SAD``); everything else Bearer."""
    if credential and user.api_version == "v1" and not defects.active("v1-token-type-bearer"):
        return "SAD"
    return "Bearer"


class PkceChallenge(CodeChallenge):
    """Authlib's PKCE check, with the ``pkce-verifier-ignored`` defect."""

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        if defects.active("pkce-verifier-ignored"):
            return
        super().validate_code_verifier(grant, result)


class CodeGrant(grants.AuthorizationCodeGrant):
    """Code grant with codes in SQLite; a code carries the credential binding."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = AUTH_METHODS

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        pending = request.pending
        data = request.payload.data
        record = store.AuthorizationCode(
            client_id=request.client.get_client_id(),
            redirect_uri=data.get("redirect_uri"),
            scope=pending["scope"],
            user_id=request.user,
            grant_id=uuid.uuid4().hex,
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
            grant=pending,
        )
        store.save_code(code, record, self.server.settings.code_lifetime)

    def query_authorization_code(self, code: str, client: Client) -> store.AuthorizationCode | None:
        single_use = not defects.active("auth-code-reusable")
        owner = None if defects.active("code-not-bound-to-client") else client.get_client_id()
        return store.consume_code(code, owner, single_use=single_use)

    def delete_authorization_code(self, authorization_code: store.AuthorizationCode) -> None:
        """Already consumed atomically by ``query_authorization_code``."""

    def authenticate_user(self, authorization_code: store.AuthorizationCode) -> Subject:
        return Subject(
            authorization_code.user_id, authorization_code.grant_id,
            authorization_code.grant["api_version"], authorization_code.grant,
        )


@dataclass(frozen=True)
class RefreshCredential:
    """A live service refresh token, as Authlib's RefreshTokenGrant expects it."""

    record: tokens.TokenRecord

    def check_client(self, client: Client) -> bool:
        if defects.active("refresh-not-bound-to-client"):
            return True
        return self.record.client_id == client.get_client_id()

    def get_scope(self) -> str:
        return self.record.scope


class RefreshGrant(grants.RefreshTokenGrant):
    """Refresh tokens exist for ``scope=service`` only [CSC1 §8.3.3]."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = AUTH_METHODS

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshCredential | None:
        record = tokens.lookup(refresh_token)
        if record and record.kind == "refresh" and record.scope == "service" and record.is_live():
            return RefreshCredential(record)
        return None

    def authenticate_user(self, credential: RefreshCredential) -> Subject:
        rec = credential.record
        grant = {"transaction_id": rec.transaction_id, "api_version": rec.api_version}
        return Subject(rec.user_id, rec.grant_id, rec.api_version, grant)

    def revoke_old_credential(self, refresh_token: RefreshCredential) -> None:
        """The refresh token stays valid until it expires or is revoked (no rotation)."""


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    """``oauth2client`` service authorization [RFC 6749 §4.4; CSC1 §8.1]: a service token for
    the client's configured ``service_user`` (CSC maps a client-credentials token to an account;
    the sandbox maps it to one user per client). No refresh token [RFC 6749 §4.4.3]."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic",
                                                        "client_secret_post"]

    def validate_token_request(self) -> None:
        super().validate_token_request()
        if self.request.payload.scope not in (None, "", "service"):
            raise InvalidScopeError("client_credentials gives service-scope tokens only")

    def generate_token(self, user: Any = None, scope: str | None = None,
                       grant_type: str | None = None, expires_in: int | None = None,
                       include_refresh_token: bool = False) -> dict[str, Any]:
        conf = self.request.client.conf
        subject = Subject(conf.service_user, uuid.uuid4().hex, "v2", {"api_version": "v2"})
        return super().generate_token(user=subject, scope="service", grant_type=grant_type,
                                      expires_in=expires_in, include_refresh_token=False)
