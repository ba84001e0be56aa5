"""RFC 7009 revocation on Authlib's endpoint, with the CSC cascade rules [CSC1 §8.3.4].

Revoking a refresh token revokes every token of its grant; revoking an access token leaves the
refresh token alone. Success answers 200 (RFC 7009 §2.2) or 204 (CSC) per ``[oauth]``; an unknown
token is a success (RFC) or ``invalid_request`` (CSC) per ``revoke_unknown_token``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Request
from authlib.oauth2.rfc7009 import RevocationEndpoint
from flask import request as flask_request

from cscsandbox import audit, defects, tokens


@dataclass(frozen=True)
class RevocableToken:
    raw: str
    record: tokens.TokenRecord

    def check_client(self, client: Any) -> bool:
        if defects.active("revocation-not-bound-to-client"):
            return True
        return bool(self.record.client_id == client.get_client_id())


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post", "none"]

    def check_params(self, request: OAuth2Request, client: Any) -> None:
        """``token`` is required; an unknown ``token_type_hint`` is ignored [RFC 7009 §2.2]."""
        if not request.form.get("token"):
            raise InvalidRequestError("Missing parameter token")

    def query_token(self, token_string: str, token_type_hint: str | None) -> RevocableToken | None:
        record = tokens.lookup(token_string)
        if record is None:
            if self.server.settings.revoke_unknown_token == "error":
                raise InvalidRequestError("Invalid string parameter token")
            return None
        return RevocableToken(token_string, record)

    def revoke_token(self, token: RevocableToken, request: OAuth2Request) -> None:
        record = token.record
        tokens.revoke(token.raw)
        cascaded = 0
        if record.kind == "refresh" and not defects.active("refresh-revocation-not-cascading"):
            cascaded = tokens.revoke_grant(record.grant_id)
        transaction_id = audit.transaction_id_from_client_data(
            flask_request.form.get("clientData")) or record.transaction_id
        audit.record(
            "token_revoked", transaction_id=transaction_id, client_id=record.client_id,
            user_id=record.user_id,
            detail={"kind": record.kind, "scope": record.scope, "cascaded": cascaded},
        )

    def create_endpoint_response(self, request: OAuth2Request) -> tuple[int, Any, list[Any]]:
        status, body, headers = super().create_endpoint_response(request)
        if self.server.settings.revoke_success_status == 204:
            return 204, "", [("Cache-Control", "no-store")]
        return status, body, headers
