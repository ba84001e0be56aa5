"""Routes of the authorization server: authorize, PAR, token, revoke and RFC 8414 metadata.

Errors at the back-channel endpoints are JSON ``{"error", "error_description"}`` (Authlib's
RFC 6749 §5.2 format, which is also the CSC error shape); the authorize endpoint redirects errors
to a trusted redirect URI or renders an error page.
"""

from __future__ import annotations

from typing import Any

from authlib.oauth2.base import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidClientError, InvalidRequestError
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from flask import Blueprint, Response, jsonify, render_template, request

from cscsandbox import audit, defects
from cscsandbox.config import SandboxConfig
from cscsandbox.login import flow
from cscsandbox.login.views import themed
from cscsandbox.oauth import authorize, store
from cscsandbox.oauth.clients import SCOPES, Client
from cscsandbox.oauth.runtime import OAuthRuntime, runtime
from cscsandbox.oauth.server import AUTH_METHODS, describe

#: Registered below the issuer path (``oauth.register``), which a personality may move.
blueprint = Blueprint("oauth", __name__)
#: Registered at ``/.well-known/oauth-authorization-server<issuer path>`` [RFC 8414 §3].
well_known = Blueprint("oauth_well_known", __name__)


def json_error(error: OAuth2Error) -> Response:
    """An OAuth error as a JSON body (never a redirect: back-channel endpoints)."""
    error.redirect_uri = None
    error.state = None
    status, body, headers = describe(error)()
    response = Response(body if isinstance(body, str) else jsonify(body).get_data(),
                        status=status, mimetype="application/json")
    for name, value in headers:
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def error_page(error: OAuth2Error) -> tuple[str, int]:
    """Errors that must not go to an untrusted redirect URI [RFC 6749 §4.1.2.1]."""
    html = render_template(themed("error.html"), error=error.error,
                           description=error.description)
    return html, 400


@blueprint.get("/oauth2/authorize")
def authorize_endpoint() -> Any:
    rt = runtime()
    params = request.args.to_dict(flat=False)
    pushed = "request_uri" in params
    try:
        if pushed:
            params = _resolve_pushed(params)
        pending = authorize.validate(rt.server, rt.config, rt.authorize_url, params,
                                     pushed=pushed, token_checked=pushed)
    except OAuth2Error as error:
        if error.redirect_uri:
            return rt.server.handle_error_response(None, _implicit_refusal(rt, params, error))
        return error_page(error)
    audit.record(
        "authorization_requested", transaction_id=pending["transaction_id"],
        client_id=pending["client_id"], user_id=None,
        detail={"scope": pending["scope"], "api_version": pending["api_version"],
                "pushed": pushed, "account": pending["account"]},
    )
    return flow.start(rt, pending)


def _implicit_refusal(rt: OAuthRuntime, params: dict[str, list[str]],
                      error: OAuth2Error) -> OAuth2Error:
    """A response_type=token request: the configured one of the allowed refusals, the default
    ``unsupported_response_type`` in the query or, as Keycloak without the implicit flow,
    ``unauthorized_client`` in the fragment [RFC 6749 §4.1.2.1, §4.2.2.1]."""
    if (error.error != "unsupported_response_type" or params.get("response_type") != ["token"]
            or rt.settings.implicit_refusal == "unsupported_response_type"):
        return error
    return OAuth2Error("Implicit flow is disabled for the client", state=error.state,
                       redirect_uri=error.redirect_uri, redirect_fragment=True,
                       error="unauthorized_client")


def _resolve_pushed(params: dict[str, list[str]]) -> dict[str, list[str]]:
    """The stored parameters of a pushed request: bound to its client, live, one use
    [RFC 9126 §4]."""
    request_uri = params["request_uri"][0]
    client_id = (params.get("client_id") or [""])[0]
    pushed = store.find_pushed(request_uri)
    if pushed is None:
        raise InvalidRequestError("Invalid parameter request_uri")
    if pushed.client_id != client_id:
        raise InvalidRequestError("request_uri was pushed by another client")
    if pushed.expired and not defects.active("par-expiry-ignored"):
        raise InvalidRequestError("request_uri has expired")
    if not defects.active("par-request-uri-reusable") and not store.mark_pushed_used(request_uri):
        raise InvalidRequestError("request_uri was already used")
    return {k: [v] for k, v in pushed.params.items()}


@blueprint.route("/oauth2/pushed_authorize", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def pushed_authorize() -> Any:
    rt = runtime()
    if request.method != "POST":
        response = jsonify(error="invalid_request", error_description="Use POST")
        response.status_code = rt.settings.par_wrong_method_status
        if response.status_code == 405:
            response.headers["Allow"] = "POST"
        return response
    try:
        client = _par_client(rt)
        params = _par_params(client, rt.settings.par_request_uri_error)
        pending = authorize.validate(rt.server, rt.config, rt.authorize_url, params, pushed=True)
    except OAuth2Error as error:
        return json_error(error)
    request_uri = store.push_request(
        client.get_client_id(), {k: v[0] for k, v in params.items() if k != "account_token"},
        rt.settings.par_expires_in)
    audit.record("authorization_pushed", transaction_id=pending["transaction_id"],
                 client_id=client.get_client_id(), user_id=None,
                 detail={"scope": pending["scope"], "expires_in": rt.settings.par_expires_in})
    response = jsonify(request_uri=request_uri, expires_in=rt.settings.par_expires_in)
    response.status_code = 201
    response.headers["Cache-Control"] = "no-cache, no-store"
    return response


def _par_client(rt: OAuthRuntime) -> Client:
    """Client authentication exactly as at the token endpoint [RFC 9126 §2]."""
    if defects.active("par-without-client-auth"):
        found = rt.server.query_client(request.form.get("client_id", ""))
        if found is None:
            raise InvalidClientError(description="Invalid parameter client_id")
        return found
    oauth_request = rt.server.create_oauth2_request(None)
    client: Client = rt.server.authenticate_client(oauth_request, AUTH_METHODS, "token")
    return client


def _par_params(client: Client, request_uri_error: str) -> dict[str, list[str]]:
    """Authorize parameters of the push: no ``request_uri`` [RFC 9126 §2.1; the configured one
    of invalid_request and request_uri_not_supported, RFC 9101 §7], client-auth fields removed."""
    form = request.form.to_dict(flat=False)
    if "request_uri" in form:
        raise OAuth2Error("It is not allowed to include request_uri to PAR.", status_code=400,
                          error=request_uri_error)
    body_client = (form.get("client_id") or [client.get_client_id()])[0]
    if body_client != client.get_client_id():
        raise InvalidRequestError("client_id does not match the authenticated client")
    form["client_id"] = [client.get_client_id()]
    for name in ("client_secret", "client_assertion", "client_assertion_type"):
        form.pop(name, None)
    return form


@blueprint.post("/oauth2/token")
def token_endpoint() -> Any:
    if not request.form.get("grant_type"):
        return json_error(InvalidRequestError("Missing parameter grant_type"))
    try:
        return runtime().server.create_token_response()
    except ValueError:  # an error description would echo forbidden characters
        return json_error(InvalidRequestError("Invalid characters in the request parameters"))


@blueprint.post("/oauth2/revoke")
def revoke_endpoint() -> Any:
    try:
        return runtime().server.create_endpoint_response("revocation")
    except ValueError:
        return json_error(InvalidRequestError("Invalid characters in the request parameters"))


def metadata() -> Response:
    """RFC 8414 metadata, validated with Authlib before it is served."""
    issuer = runtime().issuer
    data = AuthorizationServerMetadata({
        "issuer": issuer,
        "authorization_endpoint": issuer + "/oauth2/authorize",
        "token_endpoint": issuer + "/oauth2/token",
        "revocation_endpoint": issuer + "/oauth2/revoke",
        "pushed_authorization_request_endpoint": issuer + "/oauth2/pushed_authorize",
        "require_pushed_authorization_requests": False,
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "grant_types_supported": grant_types(runtime().config),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": [
            "client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": list(runtime().settings.pkce_methods),
        "authorization_details_types_supported": ["credential"],
    })
    data.validate()
    return jsonify(dict(data))


def grant_types(config: SandboxConfig) -> list[str]:
    """The grants the personality offers: the code grant (oauth2code service or credential
    scope), refresh tokens with oauth2code service tokens, client credentials for oauth2client."""
    styles = config.service.auth_types
    found = ["authorization_code"] if "oauth2code" in styles or any(
        c.auth_mode == "oauth2code" for c in config.credentials) else []
    if "oauth2code" in styles:
        found.append("refresh_token")
    if "oauth2client" in styles:
        found.append("client_credentials")
    return found


blueprint.add_url_rule("/.well-known/oauth-authorization-server", "metadata", metadata)
well_known.add_url_rule("", "metadata", metadata)
