"""CSC endpoints v1 and v2: info, auth/*, credentials/*, signatures/signHash.

Only what the personality lists is reachable (``cscsandbox.offer``): every other CSC method
answers 501 [CSC1 §10 Table 2] and an API version it does not offer is 404. The 501 and 404
rules name the version literally, so they take precedence over the ``<any(v1, v2)>`` routes.
"""

from __future__ import annotations

from functools import partial

from flask import Flask, abort

from cscsandbox import offer
from cscsandbox.context import SandboxContext
from cscsandbox.csc.params import not_implemented


def _unimplemented(method: str, **_: str) -> dict[str, str]:
    raise not_implemented(method)


def _no_such_version(**_: str) -> dict[str, str]:
    abort(404)


def _register_gates(app: Flask, ctx: SandboxContext) -> None:
    for version in offer.API_VERSIONS:
        if version not in ctx.config.service.api_versions:
            app.add_url_rule(f"/csc/{version}/<path:rest>", f"csc_{version}_not_offered",
                             _no_such_version, methods=["GET", "POST"])
            continue
        served = offer.listed(ctx.config, version)
        for method in offer.CSC_METHODS:
            if method not in served:
                app.add_url_rule(
                    f"/csc/{version}/{method}", f"csc_unimplemented_{version}_{method}",
                    partial(_unimplemented, method=method), methods=["GET", "POST"],
                )


def register(app: Flask) -> None:
    """Mount every CSC blueprint on ``app``."""
    from cscsandbox.csc import authorize, credentials, info, otp, service_auth, signhash, timestamp
    from cscsandbox.csc.shortcut import SignHashShortcut

    ctx: SandboxContext = app.extensions["cscsandbox"]
    for module in (info, credentials, authorize, signhash, service_auth, otp, timestamp):
        app.register_blueprint(module.blueprint)
    app.wsgi_app = SignHashShortcut(app, app.wsgi_app)  # type: ignore[method-assign]
    _register_gates(app, ctx)
