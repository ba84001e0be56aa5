"""Automation-only endpoints (``/_sandbox/*``), off with ``--no-test-endpoints``.

``/_sandbox/sms`` is the one deliberate place where a one-time code is shown; ``/_sandbox/token``
plays the outside issuer of ``external`` service tokens.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from cscsandbox import audit, external
from cscsandbox.config import ConfigError
from cscsandbox.errors import CscError
from cscsandbox.login import sessions, sms

blueprint = Blueprint("sandbox_testing", __name__, url_prefix="/_sandbox")


@blueprint.get("/sms")
def last_sms() -> Any:
    """``{"user", "code"}``: the code of the caller's login (its login cookie), else the last code
    sent to ``user`` (404 JSON error when none)."""
    user = request.args.get("user", "")
    if not user:
        raise CscError(400, "invalid_request", "Missing parameter user")
    login_sid = request.cookies.get(sessions.COOKIE)
    code = (sms.login_code(login_sid) if login_sid else None) or sms.last_code(user)
    if code is None:
        raise CscError(404, "not_found", "No SMS was sent to this user")
    return jsonify(user=user, code=code)


@blueprint.get("/audit")
def audit_events() -> Any:
    """``{"events": [...]}`` recorded for ``clientTransactionId``."""
    transaction_id = request.args.get("clientTransactionId", "")
    if not transaction_id:
        raise CscError(400, "invalid_request", "Missing parameter clientTransactionId")
    return jsonify(events=audit.query(transaction_id))


@blueprint.post("/token")
def external_token() -> Any:
    """``{"access_token", "token_type", "expires_in"}`` for form/query field ``user`` (and
    optional ``expires_in``): an ``external`` service token, as the provider's portal hands out."""
    ctx = current_app.extensions["cscsandbox"]
    user = request.values.get("user", "")
    lifetime = request.values.get("expires_in", str(external.DEFAULT_LIFETIME_S))
    if not user or not lifetime.isdigit() or len(lifetime) > 9:
        raise CscError(400, "invalid_request", "Missing or invalid parameter user or expires_in")
    try:
        token = external.issue_token(ctx.config, user, int(lifetime))
    except ConfigError as exc:
        raise CscError(400, "invalid_request", str(exc)) from None
    return jsonify(access_token=token, token_type="Bearer", expires_in=int(lifetime))


def register(app: Any, ctx: Any) -> None:
    app.register_blueprint(blueprint)
