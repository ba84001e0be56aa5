"""CSC endpoints v1 and v2: info, credentials/list|info|authorize, signatures/signHash."""

from __future__ import annotations

from functools import partial

from flask import Flask

from cscsandbox.csc.params import not_implemented

#: CSC methods this service does not offer: 501 rather than 404 (CSC1 §10 Table 2).
UNIMPLEMENTED = (
    "auth/login", "auth/revoke", "credentials/extendTransaction", "credentials/sendOTP",
    "credentials/authorizeCheck", "credentials/getChallenge", "signatures/signDoc",
    "signatures/signPolling",
)


def _unimplemented(version: str, method: str) -> dict[str, str]:
    raise not_implemented(method)


def register(app: Flask) -> None:
    """Mount every CSC blueprint on ``app``."""
    from cscsandbox.csc import authorize, credentials, info, signhash, timestamp
    from cscsandbox.csc.shortcut import SignHashShortcut

    for module in (info, credentials, authorize, signhash, timestamp):
        app.register_blueprint(module.blueprint)
    app.wsgi_app = SignHashShortcut(app, app.wsgi_app)  # type: ignore[method-assign]
    for method in UNIMPLEMENTED:
        app.add_url_rule(
            f"/csc/<any(v1, v2):version>/{method}", f"csc_unimplemented_{method}",
            partial(_unimplemented, method=method), methods=["GET", "POST"],
        )
