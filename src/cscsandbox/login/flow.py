"""Steps shared by the login pages: start a login, finish it with a code or a refusal."""

from __future__ import annotations

from typing import Any

from flask import redirect, url_for
from werkzeug.wrappers import Response

from cscsandbox.login import sessions
from cscsandbox.oauth import authorize
from cscsandbox.oauth.runtime import OAuthRuntime


def start(rt: OAuthRuntime, pending: dict[str, Any]) -> Response:
    """Keep the validated request server-side and send the browser to the first page.

    ``clientData`` ``amr_hint=eid`` (or another eID-like hint listed in ``[oauth] amr_hints``)
    selects the eID page; everything else starts with username and password.
    """
    sid = sessions.create(pending, rt.settings.login_session_lifetime)
    page = "login.eid" if uses_eid(rt, pending.get("amr_hint")) else "login.password"
    response = redirect(url_for(page), code=302)
    response.set_cookie(sessions.COOKIE, sid, path=sessions.COOKIE_PATH, httponly=True,
                        samesite="Lax", max_age=rt.settings.login_session_lifetime)
    return response


def uses_eid(rt: OAuthRuntime, amr_hint: str | None) -> bool:
    return bool(amr_hint) and amr_hint in rt.settings.amr_hints and amr_hint != "password"


def needs_consent(rt: OAuthRuntime, pending: dict[str, Any]) -> bool:
    """Credential authorizations always show what will be signed; service ones per knob."""
    return pending["scope"] == "credential" or rt.settings.service_consent


def succeed(rt: OAuthRuntime, session: sessions.LoginSession, user_id: str) -> Response:
    """Issue the code (redirect to the client) and forget the login state."""
    sessions.finish(session.sid)
    response = authorize.complete(rt.server, rt.authorize_url, session.pending, user_id, rt.config)
    response.delete_cookie(sessions.COOKIE, path=sessions.COOKIE_PATH)
    return response


def refuse(rt: OAuthRuntime, session: sessions.LoginSession, reason: str) -> Response:
    """``access_denied`` back to the client (deny, cancel, too many attempts)."""
    sessions.finish(session.sid)
    response = authorize.deny(rt.server, session.pending, reason, user_id=session.user_id)
    response.delete_cookie(sessions.COOKIE, path=sessions.COOKIE_PATH)
    return response
