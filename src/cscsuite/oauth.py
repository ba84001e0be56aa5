"""OAuth 2.0 client pieces the CSC flows need, independent of the CSC API version.

PKCE (RFC 7636), state/nonce, authorize and PAR URLs (RFC 6749 §4.1.1, RFC 9126 §4), RAR
``authorization_details`` (RFC 9396), callback parsing (RFC 6749 §4.1.2, RFC 9207 ``iss``) and the
token, refresh, client-credentials, revoke and PAR requests with client authentication
(RFC 6749 §2.3.1). Version adapters decide the parameter *names*; this module does the rest.

Every request goes out as a form body (never secrets in a query string), so the evidence recorder
can redact it by field name and the request stays reproducible without its secrets.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qs, quote_plus, urlencode, urlsplit, urlunsplit

from cscsuite.adapters.base import ApiResponse, ClientAuth, HttpClient
from cscsuite.profile_types import Client
from cscsuite.world import Secret

PkceMethod = Literal["S256", "plain"]

#: RFC 7636 §4.1: code_verifier = 43*128unreserved (ALPHA / DIGIT / "-" / "." / "_" / "~")
VERIFIER_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


# --- encodings -----------------------------------------------------------------------------------

def b64(data: bytes) -> str:
    """Standard base64 with padding (CSC JSON bodies, RAR documentDigests)."""
    return base64.b64encode(data).decode("ascii")


def b64url(data: bytes) -> str:
    """base64url without padding (RFC 4648 §5; CSC authorize URL hash lists, PKCE, JWT)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_list(hashes: Iterable[bytes]) -> str:
    """The comma-separated base64url list CSC uses for ``hash`` / ``hashes`` in authorize URLs."""
    return ",".join(b64url(h) for h in hashes)


# --- PKCE, state, nonce --------------------------------------------------------------------------

@dataclass(frozen=True)
class Pkce:
    """A PKCE pair; the verifier is a ``Secret`` so it never shows in a repr."""

    verifier: Secret
    challenge: str
    method: PkceMethod


def is_valid_verifier(verifier: str) -> bool:
    return bool(VERIFIER_RE.match(verifier))


def code_challenge(verifier: str, method: PkceMethod = "S256") -> str:
    """RFC 7636 §4.2: S256 = BASE64URL(SHA256(ASCII(verifier))); plain = the verifier itself."""
    if method == "plain":
        return verifier
    if method == "S256":
        return b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    raise ValueError(f"unknown PKCE method {method!r}")


def make_pkce(method: PkceMethod = "S256", length: int = 64) -> Pkce:
    """A fresh verifier of ``length`` unreserved characters (43..128) and its challenge."""
    if not 43 <= length <= 128:
        raise ValueError("RFC 7636 §4.1: the code_verifier must be 43 to 128 characters long")
    verifier = secrets.token_urlsafe(length)[:length]  # token_urlsafe only uses [A-Za-z0-9_-]
    return Pkce(Secret(verifier), code_challenge(verifier, method), method)


def new_state() -> str:
    """An unguessable ``state`` (RFC 6749 §10.12), well under CSC's 255-byte limit."""
    return secrets.token_urlsafe(24)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


# --- authorize URLs ------------------------------------------------------------------------------

def credential_authorization_details(
    *, hashes: Iterable[bytes], hash_algorithm: str, credential_id: str | None = None,
    signature_qualifier: str | None = None, labels: Iterable[str] | None = None,
    num_signatures: int | None = None,
) -> list[dict[str, Any]]:
    """One RAR object of type ``credential`` (CSC2 §8.4.2; spec-notes §3.12).

    ``documentDigests[].hash`` is standard base64, as in every published sample.
    """
    hash_list = list(hashes)
    label_list = list(labels) if labels is not None else [f"document {i + 1}"
                                                         for i in range(len(hash_list))]
    detail: dict[str, Any] = {"type": "credential"}
    if credential_id is not None:
        detail["credentialID"] = credential_id
    if signature_qualifier is not None:
        detail["signatureQualifier"] = signature_qualifier
    detail["documentDigests"] = [{"hash": b64(h), "label": lbl}
                                 for h, lbl in zip(hash_list, label_list, strict=True)]
    detail["hashAlgorithmOID"] = hash_algorithm
    if num_signatures is not None:
        detail["numSignatures"] = num_signatures
    return [detail]


def authorization_details_param(details: list[dict[str, Any]]) -> str:
    """The compact JSON text of ``authorization_details``; URL-encoding happens in build_url."""
    return json.dumps(details, separators=(",", ":"), ensure_ascii=False)


def build_url(endpoint: str, params: Mapping[str, str]) -> str:
    """``endpoint`` with ``params`` appended to its query (form-urlencoded, order kept)."""
    parts = urlsplit(endpoint)
    query = urlencode(list(params.items()), quote_via=quote_plus)
    joined = f"{parts.query}&{query}" if parts.query and query else (parts.query or query)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, joined, ""))


def par_authorize_url(authorize_endpoint: str, client_id: str, request_uri: str) -> str:
    """RFC 9126 §4: after a push, the authorize request carries only client_id and request_uri."""
    return build_url(authorize_endpoint, {"client_id": client_id, "request_uri": request_uri})


# --- callback ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Callback:
    """What came back on the redirect URI (RFC 6749 §4.1.2 / §4.1.2.1, RFC 9207)."""

    url: str = field(repr=False)
    code: Secret | None = field(default=None, repr=False)
    state: str | None = None
    error: str | None = None
    error_description: str | None = None
    error_uri: str | None = None
    iss: str | None = None


def parse_callback(url: str) -> Callback:
    """Parse the query and the fragment of a redirect URI: an AS answers a response_type=token
    request in the fragment (RFC 6749 §4.2.2.1), and a redirect URI may carry its own query."""
    parts = urlsplit(url)
    values = {k: v[0] for raw in (parts.fragment, parts.query)
              for k, v in parse_qs(raw, keep_blank_values=True).items()}
    code = values.get("code")
    return Callback(url=url, code=Secret(code) if code is not None else None,
                    state=values.get("state"), error=values.get("error"),
                    error_description=values.get("error_description"),
                    error_uri=values.get("error_uri"), iss=values.get("iss"))


# --- client authentication and token-endpoint requests -------------------------------------------

def basic_auth_header(client_id: str, secret: str) -> str:
    """RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding."""
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def client_auth(client: Client, method: ClientAuth) -> tuple[dict[str, str], dict[str, str]]:
    """(extra form fields, extra headers) that authenticate ``client`` with ``method``.

    ``client_id`` is always in the form: CSC lists it as REQUIRED on token and revoke requests.
    """
    form = {"client_id": client.client_id}
    if method == "none":
        return form, {}
    if client.secret is None:
        raise ValueError(f"client {client.name!r} has no secret; {method} is impossible")
    if method == "client_secret_basic":
        return form, {"Authorization": basic_auth_header(client.client_id, client.secret)}
    if method == "client_secret_post":
        return {**form, "client_secret": str(client.secret)}, {}
    raise ValueError(f"unknown client authentication method {method!r}")


def post_authenticated(http: HttpClient, url: str, client: Client, form: Mapping[str, str],
                       method: ClientAuth) -> ApiResponse:
    """POST a form to an AS endpoint with client authentication (token, revoke, PAR)."""
    auth_form, headers = client_auth(client, method)
    return http.post_form(url, {**auth_form, **form}, headers=headers or None)


def _drop_none(form: Mapping[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in form.items() if v is not None}


def exchange_code(http: HttpClient, token_endpoint: str, client: Client, code: str,
                  redirect_uri: str, code_verifier: str | None, method: ClientAuth,
                  **extra: str) -> ApiResponse:
    """RFC 6749 §4.1.3 (+ RFC 7636 §4.5 ``code_verifier``)."""
    form = _drop_none({"grant_type": "authorization_code", "code": code,
                       "redirect_uri": redirect_uri, "code_verifier": code_verifier})
    return post_authenticated(http, token_endpoint, client, {**form, **extra}, method)


def refresh(http: HttpClient, token_endpoint: str, client: Client, refresh_token: str,
            method: ClientAuth, **extra: str) -> ApiResponse:
    """RFC 6749 §6."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return post_authenticated(http, token_endpoint, client, {**form, **extra}, method)


def client_credentials(http: HttpClient, token_endpoint: str, client: Client,
                       method: ClientAuth, scope: str | None = "service",
                       **extra: str) -> ApiResponse:
    """RFC 6749 §4.4 (CSC ``oauth2client`` service authorization)."""
    form = _drop_none({"grant_type": "client_credentials", "scope": scope})
    return post_authenticated(http, token_endpoint, client, {**form, **extra}, method)


def revoke(http: HttpClient, revoke_endpoint: str, client: Client, token: str,
           hint: str | None, method: ClientAuth, **extra: str) -> ApiResponse:
    """RFC 7009 §2.1 / CSC1 §8.3.4."""
    form = _drop_none({"token": token, "token_type_hint": hint})
    return post_authenticated(http, revoke_endpoint, client, {**form, **extra}, method)


def push_authorization(http: HttpClient, par_endpoint: str, client: Client,
                       params: Mapping[str, str], method: ClientAuth) -> ApiResponse:
    """RFC 9126 §2.1: the authorize parameters, form-encoded, with client authentication."""
    return post_authenticated(http, par_endpoint, client, params, method)
