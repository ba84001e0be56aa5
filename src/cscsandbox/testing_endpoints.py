"""Automation-only endpoints (``/_sandbox/*``), off with ``--no-test-endpoints``.

``/_sandbox/sms`` is the one deliberate place where a one-time code is shown.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from cscsandbox import audit
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


def register(app: Any, ctx: Any) -> None:
    app.register_blueprint(blueprint)
