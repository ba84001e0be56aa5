"""Flask application factory: blueprints of both parts and JSON error handling."""

from __future__ import annotations

import importlib
import importlib.util
import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from cscsandbox import db, defects
from cscsandbox.context import SandboxContext
from cscsandbox.errors import CscError

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000

_HTTP_ERRORS = {
    404: ("invalid_request", "Unknown endpoint"),
    405: ("invalid_request", "HTTP method not allowed for this endpoint"),
    413: ("invalid_request", "Request body too large"),
    501: ("not_implemented", "Method not implemented"),
}


def error_response(exc: CscError) -> Response:
    """Render a CSC error body ``{"error", "error_description"}`` [CSC1 §10.1]."""
    body: dict[str, str] = {"error": exc.error, "error_description": exc.description}
    if defects.active("error-without-error-field"):
        del body["error"]
    response = jsonify(body)
    response.status_code = exc.status
    response.headers.update(exc.headers)
    return response


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    error, description = _HTTP_ERRORS.get(status, ("invalid_request", exc.name))
    if status >= 500 and status not in _HTTP_ERRORS:
        error = "server_error"
    return error_response(CscError(status, error, description))


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.error("unexpected error: %s", type(exc).__name__, exc_info=exc)
    return error_response(CscError(500, "server_error", "Internal server error"))


def _register_optional(app: Flask, ctx: SandboxContext) -> None:
    """The authorization server (when the personality uses OAuth), and the automation endpoints
    unless switched off."""
    from cscsandbox import oauth, offer

    if offer.uses_oauth(ctx.config):
        oauth.register(app, ctx)
    if ctx.test_endpoints and importlib.util.find_spec("cscsandbox.testing_endpoints"):
        importlib.import_module("cscsandbox.testing_endpoints").register(app, ctx)


def create_app(ctx: SandboxContext) -> Flask:
    """Build the sandbox application for ``ctx`` (activates ``ctx.defects`` process-wide)."""
    from cscsandbox.csc import register as register_csc
    from cscsandbox.pki.routes import blueprint as pki_blueprint
    from cscsandbox.pki.tsa_routes import blueprint as tsa_blueprint

    defects.activate(ctx.defects)
    db.set_default_path(ctx.db_path)
    db.connect(ctx.db_path)
    app = Flask("cscsandbox", static_folder="static", static_url_path="/static")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["cscsandbox"] = ctx
    app.register_error_handler(CscError, error_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    register_csc(app)
    app.register_blueprint(pki_blueprint)
    app.register_blueprint(tsa_blueprint)
    _register_optional(app, ctx)
    return app
