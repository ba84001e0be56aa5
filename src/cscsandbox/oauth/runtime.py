"""The authorization server's per-app state (server, settings, sandbox context)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from cscsandbox.config import SandboxConfig
from cscsandbox.context import SandboxContext
from cscsandbox.oauth.server import SandboxServer
from cscsandbox.oauth.settings import OAuthSettings

EXTENSION_KEY = "cscsandbox_oauth"


@dataclass(frozen=True)
class OAuthRuntime:
    ctx: SandboxContext
    settings: OAuthSettings
    server: SandboxServer

    @property
    def config(self) -> SandboxConfig:
        return self.ctx.config

    @property
    def issuer(self) -> str:
        """Read per request: the base URL is known only after the socket is bound."""
        return self.ctx.issuer

    @property
    def authorize_url(self) -> str:
        return self.issuer + "/oauth2/authorize"


def runtime() -> OAuthRuntime:
    rt: OAuthRuntime = current_app.extensions[EXTENSION_KEY]
    return rt
