"""The login pages (labels are a contract: docs/architecture.md, "Login pages").

Password -> SMS one-time code -> consent (credential scope) -> redirect with code; or eID test
identity -> consent. Wrong input re-renders the page with a ``role="alert"`` message until the
attempt limit, which ends in ``access_denied``; Cancel and Deny do so at once.
"""

from __future__ import annotations

import hmac
from typing import Any

from authlib.oauth2.base import OAuth2Error
from flask import Blueprint, redirect, render_template, request, url_for

from cscsandbox import audit, defects
from cscsandbox.login import flow, sessions, sms
from cscsandbox.oauth import authorize
from cscsandbox.oauth.runtime import OAuthRuntime, runtime

#: Registered at ``<issuer path>/login`` (``oauth.register``).
blueprint = Blueprint("login", __name__)


def _session(stage: str | None = None) -> sessions.LoginSession | None:
    session = sessions.load(request.cookies.get(sessions.COOKIE))
    if session is None or (stage is not None and session.stage != stage):
        return None
    return session


def _page(name: str, **values: Any) -> str:
    """A login page in the configured look (``[oauth] login_theme``; same fields and flow)."""
    return render_template(themed(name), **values)


def themed(name: str) -> str:
    """The template ``name`` of the configured login theme."""
    theme = runtime().settings.login_theme
    return name if theme == "sandbox" else f"{theme}/{name}"


def _no_session() -> tuple[str, int]:
    html = _page("error.html", error="invalid_request",
                 description="The login session is missing or has expired.")
    return html, 400


def _record(session: sessions.LoginSession, event: str, user_id: str | None, **detail: Any) -> None:
    pending = session.pending
    audit.record(event, transaction_id=pending["transaction_id"], client_id=pending["client_id"],
                 user_id=user_id, detail=detail)


def _authenticated(rt: OAuthRuntime, session: sessions.LoginSession, user_id: str,
                   method: str) -> Any:
    """The signer is known: consent if needed, else the code."""
    _record(session, "user_authenticated", user_id, method=method)
    if not flow.needs_consent(rt, session.pending):
        return flow.succeed(rt, session, user_id)
    sessions.advance(session.sid, "consent", user_id)
    return redirect(url_for("login.consent"))


@blueprint.route("/password", methods=["GET", "POST"])
def password() -> Any:
    session = _session("login")
    if session is None:
        return _no_session()
    if request.method == "GET":
        return _page("password.html", error=None, username="")
    rt = runtime()
    username = request.form.get("username", "")
    user = rt.config.user_by_username(username)
    given = request.form.get("password", "").encode()
    if user is None or not hmac.compare_digest(user.password.encode(), given):
        failures = sessions.count_failure(session.sid, "password_attempts")
        if failures >= rt.settings.password_max_attempts:
            return flow.refuse(rt, session, "Too many failed logins")
        return _page("password.html", error="Invalid username or password.",
                     username=username)
    code = rt.settings.sms_test_code or sms.new_code()
    sms.send(user.username, code, outbox=rt.settings.sms_outbox, login_sid=session.sid)
    sessions.advance(session.sid, "otp", user.user_id, otp=code)
    _record(session, "otp_sent", user.user_id)
    return redirect(url_for("login.otp"))


@blueprint.route("/otp", methods=["GET", "POST"])
def otp() -> Any:
    session = _session("otp")
    if session is None or session.user_id is None:
        return _no_session()
    rt = runtime()
    phone = _masked_phone(rt, session.user_id)
    if request.method == "GET":
        return _page("otp.html", error=None, phone=phone)
    if request.form.get("action") == "cancel":
        return flow.refuse(rt, session, "The signer cancelled")
    code = request.form.get("code", "").strip()
    if defects.active("wrong-otp-accepted") or session.otp_matches(code):
        return _authenticated(rt, session, session.user_id, "password+sms")
    failures = sessions.count_failure(session.sid, "otp_attempts")
    if failures >= rt.settings.otp_max_attempts:
        return flow.refuse(rt, session, "Too many wrong one-time codes")
    return _page("otp.html", error="Invalid one-time code.", phone=phone)


def _masked_phone(rt: OAuthRuntime, user_id: str) -> str:
    user = rt.config.user(user_id)
    digits = user.phone if user else ""
    return ("*" * max(len(digits) - 2, 0)) + digits[-2:]


@blueprint.route("/eid", methods=["GET", "POST"])
def eid() -> Any:
    session = _session("login")
    if session is None:
        return _no_session()
    rt = runtime()
    identities = rt.config.eid_identities
    if request.method == "GET":
        return _page("eid.html", identities=identities, error=None)
    if request.form.get("action") == "cancel":
        return flow.refuse(rt, session, "The signer cancelled")
    chosen = next((i for i in identities if i.id == request.form.get("identity")), None)
    if chosen is None:
        return _page("eid.html", identities=identities, error="Choose a test identity.")
    return _authenticated(rt, session, chosen.user_id, f"eid:{chosen.source}")


@blueprint.route("/consent", methods=["GET", "POST"])
def consent() -> Any:
    session = _session("consent")
    if session is None or session.user_id is None:
        return _no_session()
    rt = runtime()
    if request.method == "POST":
        if request.form.get("action") == "approve":
            return flow.succeed(rt, session, session.user_id)
        return flow.refuse(rt, session, "The signer denied the authorization")
    pending = session.pending
    credential_id = None
    if pending["credential"]:
        try:
            credential_id = authorize.choose_credential(pending, session.user_id, rt.config)
        except OAuth2Error as error:  # the signer has no fitting credential
            return flow.refuse(rt, session, error.description or "access denied")
    return _page(
        "consent.html", client_id=pending["client_id"], scope=pending["scope"],
        credential_id=credential_id, credential=pending["credential"],
        description=pending["params"].get("description", "")[:500],
    )
