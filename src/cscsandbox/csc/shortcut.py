"""A WSGI shortcut for successful signHash requests, around the Flask application.

Why: the performance target is single-hash signHash throughput relative to bare RSA signing
(0.63 ms), and Flask's per-request machinery (request and response objects, routing, context
push/pop, the JSON response) cost about 0.25 ms per request, more than the route's own checks and
database work. The shortcut runs the very same route logic (``signhash.perform``) straight from
the WSGI environ.

It can only succeed or step aside, so answers never differ from the Flask route's: anything
unusual about the request (method, path, content type, length, body that is not a JSON object),
any Flask feature that would make skipping it observable (request hooks, signal receivers, host
checks, debug or non-compact JSON), and every error (any CscError, any exception) hands the
untouched request to Flask, which then produces its usual answer, error body and logging.
``perform`` writes nothing before its final transaction (SAD consumption + audit), so running
its checks a second time on that path is harmless.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.signals import request_finished, request_started

from cscsandbox import offer
from cscsandbox.csc import signhash
from cscsandbox.csc.auth import authenticate_header, credential_header_allowed
from cscsandbox.csc.params import Params

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: PATH_INFO -> API version: exactly the paths Flask's ``signatures/signHash`` rule matches.
ROUTES = {f"/csc/{v}/signatures/signHash": v for v in ("v1", "v2")}


class SignHashShortcut:
    """WSGI middleware (``app.wsgi_app = SignHashShortcut(app, app.wsgi_app)``)."""

    def __init__(self, app: Flask, wrapped: WsgiApp) -> None:
        self.app = app
        self.wrapped = wrapped
        config = app.extensions["cscsandbox"].config
        #: Only where the personality serves signHash (elsewhere Flask answers 404/501).
        self.routes = {path: v for path, v in ROUTES.items()
                       if "signatures/signHash" in offer.listed(config, v)}

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        version = self.routes.get(environ.get("PATH_INFO", ""))
        if version is None or environ.get("REQUEST_METHOD") != "POST" or not self._skippable():
            return self.wrapped(environ, start_response)
        raw = self._body(environ)
        if raw is None:
            return self.wrapped(environ, start_response)
        answer = self._answer(version, environ, raw)
        if answer is None:
            environ["wsgi.input"] = io.BytesIO(raw)  # Flask reads the same bytes again
            return self.wrapped(environ, start_response)
        provider: DefaultJSONProvider = self.app.json  # type: ignore[assignment]
        start_response(
            "200 OK", [("Content-Type", provider.mimetype), ("Content-Length", str(len(answer)))]
        )
        return [answer]

    def _skippable(self) -> bool:
        """Skipping Flask is unobservable: no request hooks or signal receivers, no host-based
        routing, and Flask's answer would be compact JSON (the only form built here)."""
        app, provider = self.app, self.app.json
        hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
                 app.url_value_preprocessors)
        return (
            type(provider) is DefaultJSONProvider
            and provider.compact is None
            and not app.debug
            and app.config.get("SERVER_NAME") is None
            and app.config.get("TRUSTED_HOSTS") is None
            and not any(funcs for hook in hooks for funcs in hook.values())
            and not (request_started.receivers or request_finished.receivers)
        )

    def _body(self, environ: dict[str, Any]) -> bytes | None:
        """The JSON body, when Flask would read exactly ``Content-Length`` bytes of it."""
        mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
        declared = environ.get("CONTENT_LENGTH", "")
        if mimetype != "application/json" or "HTTP_TRANSFER_ENCODING" in environ:
            return None
        if not (declared.isascii() and declared.isdigit()):
            return None
        length, limit = int(declared), self.app.config.get("MAX_CONTENT_LENGTH")
        if length == 0 or (limit is not None and length > limit):
            return None
        raw: bytes = environ["wsgi.input"].read(length)
        return raw

    def _answer(self, version: str, environ: dict[str, Any], raw: bytes) -> bytes | None:
        """The 200 body, or None when Flask must answer (nothing was written then)."""
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict):
            return None
        ctx = self.app.extensions["cscsandbox"]
        allow = credential_header_allowed(ctx.config, version)
        with self.app.app_context():  # db.current() resolves this app's database
            try:
                caller = authenticate_header(
                    ctx.config, environ.get("HTTP_AUTHORIZATION"), allow_credential_token=allow
                )
                signatures = signhash.perform(ctx, version, caller, Params(data))
            except Exception:  # every error answer is Flask's
                return None
        text = self.app.json.dumps({"signatures": signatures}, separators=(",", ":"))
        return f"{text}\n".encode()
