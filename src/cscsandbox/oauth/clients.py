"""Registered OAuth clients as Authlib models (from the ``[[clients]]`` config tables)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import flask
from authlib.oauth2.rfc6749 import ClientMixin

from cscsandbox import defects
from cscsandbox.config import ClientConfig, SandboxConfig

#: The only two scopes of CSC; they are used separately, never combined [CSC1 §8.3.2].
SCOPES = ("service", "credential")


@dataclass(frozen=True)
class Client(ClientMixin):
    """One configured client; Authlib asks it about redirect URIs, secrets and grants."""

    conf: ClientConfig

    def get_client_id(self) -> str:
        return self.conf.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.conf.redirect_uris[0] if self.conf.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """``service`` when omitted (CSC default); one known scope otherwise, else None."""
        if not scope:
            return "service"
        return scope if scope in SCOPES else None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact string match against the registered URIs [RFC 6749 §3.1.2.3]."""
        if defects.active("redirect-uri-prefix-match"):
            return any(redirect_uri.startswith(uri) for uri in self.conf.redirect_uris)
        return redirect_uri in self.conf.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if not self.conf.secret:
            return False
        if defects.active("client-secret-post-unchecked") and not flask.request.authorization:
            return True  # the secret came in form fields (client_secret_post)
        return hmac.compare_digest(self.conf.secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if method == "none":
            return not self.conf.secret
        return method in self.conf.auth_methods

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        if grant_type == "client_credentials":  # only a client mapped to a user [RFC 6749 §4.4]
            return bool(self.conf.service_user)
        return grant_type in ("authorization_code", "refresh_token")


class ClientRegistry:
    """Looks clients up by id in the shared sandbox config."""

    def __init__(self, config: SandboxConfig) -> None:
        self._config = config

    def get(self, client_id: str | None) -> Client | None:
        conf = self._config.client(client_id) if client_id else None
        return Client(conf) if conf else None
