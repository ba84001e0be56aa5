"""OAuth2 authorization server of the reference service (issuer ``{base}{issuer_path}``,
``/realms/sandbox`` by default).

Authlib's core does the RFC 6749/7636/7009/8414 parts; PAR (RFC 9126), RAR (RFC 9396),
``account_token`` and ``clientData`` are written on top (see the modules of this package).
"""

from __future__ import annotations

import logging
from typing import Any


def register(app: Any, ctx: Any) -> None:
    """Register the authorization server and its login pages on ``app``."""
    from cscsandbox.login.views import blueprint as login_blueprint
    from cscsandbox.oauth import endpoints, settings
    from cscsandbox.oauth.clients import ClientRegistry
    from cscsandbox.oauth.runtime import EXTENSION_KEY, OAuthRuntime
    from cscsandbox.oauth.server import SandboxServer

    # Authlib logs issued tokens at DEBUG ("Issue token ..."): never let them reach a log.
    logging.getLogger("authlib").setLevel(max(logging.INFO, logging.getLogger().level))
    oauth_settings = settings.from_config(ctx.config)
    server = SandboxServer(ClientRegistry(ctx.config), oauth_settings,
                           client_credentials="oauth2client" in ctx.config.service.auth_types)
    app.extensions[EXTENSION_KEY] = OAuthRuntime(ctx, oauth_settings, server)
    prefix = ctx.config.service.issuer_path
    app.register_blueprint(endpoints.blueprint, url_prefix=prefix)
    app.register_blueprint(endpoints.well_known,
                           url_prefix="/.well-known/oauth-authorization-server" + prefix)
    app.register_blueprint(login_blueprint, url_prefix=prefix + "/login")
