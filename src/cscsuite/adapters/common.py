"""What the v1 and v2 adapters share: wire encoding, overrides, OAuth calls, answer parsing.

Subclasses declare their version and build version-specific bodies; everything that is the same in
both versions (the OAuth token/revoke/PAR requests, base64 handling, the override mechanism that
injects bad input by neutral name) lives here once.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cscsuite import oauth
from cscsuite.adapters.base import (
    FIELD_NAMES,
    OMIT,
    ApiResponse,
    ApiVersion,
    AuthorizationRequest,
    ClientAuth,
    CredentialInfo,
    HttpClient,
    SignRequest,
    UnsupportedInVersion,
)

if TYPE_CHECKING:
    from cscsuite.profile_types import Client

CERT_INFO_FIELDS = ("issuerDN", "serialNumber", "subjectDN", "validFrom", "validTo")
_ALL_NEUTRAL = {name for table in FIELD_NAMES.values() for name in table}


class MissingActivationToken(ValueError):
    """A signHash request whose SAD went missing without the caller asking for that: sending it
    would let the service's "missing SAD" refusal pass for the refusal under test."""


def encode_value(value: Any) -> Any:
    """Raw bytes become standard base64 (CSC1 §5.2); lists are encoded element-wise."""
    if isinstance(value, bytes):
        return oauth.b64(value)
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    return value


def decode_b64(value: Any, what: str) -> bytes:
    """Strict standard base64 (no line breaks, no url-safe alphabet), with a clear error."""
    if not isinstance(value, str):
        raise ValueError(f"{what} is not a base64 string: {type(value).__name__}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{what} is not valid standard base64: {exc}") from None


def _object(body: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    return value if isinstance(value, dict) else {}


class AdapterBase:
    """Common behaviour; subclasses set ``version`` and ``credential_token_type``."""

    version: ApiVersion
    credential_token_type: str

    def __init__(self, http: HttpClient, csc_base_url: str) -> None:
        self.http = http
        self.base_url = csc_base_url.rstrip("/")

    # --- helpers ----------------------------------------------------------------------------------

    def url(self, method: str) -> str:
        return f"{self.base_url}/{method}"

    def wire(self, neutral: str) -> str:
        """The wire name of a neutral field; unknown names pass through verbatim (raw injection)."""
        table = FIELD_NAMES[self.version]
        if neutral in table:
            return table[neutral]
        if neutral in _ALL_NEUTRAL:
            raise UnsupportedInVersion(f"CSC {self.version} has no field for {neutral!r}")
        return neutral

    def apply(self, body: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Set (or, with ``OMIT``, drop) fields by neutral name; bytes are base64-encoded.

        A positional argument given as ``OMIT`` (e.g. ``credential_info(token, OMIT)``) drops
        its field too, so every field of a request can be left out or replaced.
        """
        out = {k: v for k, v in body.items() if v is not OMIT}
        for neutral, value in overrides.items():
            name = self.wire(neutral)
            if value is OMIT:
                out.pop(name, None)
            else:
                out[name] = encode_value(value)
        return out

    def call(self, method: str, body: dict[str, Any], token: str | None) -> ApiResponse:
        return self.http.post_json(self.url(method), body, token=token)

    # --- CSC methods shared by both versions ------------------------------------------------------

    def info(self, lang: str | None = None) -> ApiResponse:
        """CSC1 §11.1: no authentication; ``lang`` only when asked for."""
        return self.call("info", {} if lang is None else {"lang": lang}, None)

    def credential_info(self, token: str | None, credential_id: str,
                        **options: Any) -> ApiResponse:
        """CSC1 §11.5; ``options`` by neutral name (certificates, cert_info, auth_info, ...)."""
        return self.call("credentials/info",
                         self.apply({"credentialID": credential_id}, options), token)

    def parse_signatures(self, response: ApiResponse) -> list[bytes]:
        """CSC1 §11.9: ``signatures`` is an array of standard base64 values."""
        values = response.field("signatures")
        if not isinstance(values, list):
            raise ValueError(f"signatures is not an array: {type(values).__name__}")
        return [decode_b64(v, f"signatures[{i}]") for i, v in enumerate(values)]

    # --- OAuth (same wire format in both versions; only the authorize parameters differ) ----------

    def authorize_params(self, client: Client,
                         request: AuthorizationRequest) -> dict[str, str]:  # pragma: no cover
        raise NotImplementedError

    def common_authorize_params(self, client: Client,
                                request: AuthorizationRequest) -> dict[str, str]:
        """RFC 6749 §4.1.1 + RFC 7636 §4.3 + the CSC parameters both versions share."""
        params: dict[str, str | None] = {
            "response_type": request.response_type,
            "client_id": client.client_id,
            "redirect_uri": request.redirect_uri,
            "scope": request.scope,
            "state": request.state,
            "code_challenge": request.code_challenge,
            "code_challenge_method": request.code_challenge_method,
            "lang": request.lang,
            "credentialID": request.credential_id,
            "numSignatures": (None if request.num_signatures is None
                              else str(request.num_signatures)),
            "description": request.description,
            "account_token": request.account_token,
            "clientData": request.client_data,
        }
        return {k: v for k, v in params.items() if v is not None}

    def authorize_url(self, authorize_endpoint: str, client: Client,
                      request: AuthorizationRequest) -> str:
        return oauth.build_url(authorize_endpoint, self.authorize_params(client, request))

    def push_authorization(self, par_endpoint: str, client: Client,
                           request: AuthorizationRequest, client_auth: ClientAuth) -> ApiResponse:
        return oauth.push_authorization(self.http, par_endpoint, client,
                                        self.authorize_params(client, request), client_auth)

    def _oauth_extra(self, extra: Mapping[str, str]) -> dict[str, str]:
        return {self.wire(k): v for k, v in extra.items()}

    def exchange_code(self, token_endpoint: str, client: Client, code: str, redirect_uri: str,
                      code_verifier: str | None, client_auth: ClientAuth,
                      **extra: str) -> ApiResponse:
        return oauth.exchange_code(self.http, token_endpoint, client, code, redirect_uri,
                                   code_verifier, client_auth, **self._oauth_extra(extra))

    def refresh(self, token_endpoint: str, client: Client, refresh_token: str,
                client_auth: ClientAuth, **extra: str) -> ApiResponse:
        return oauth.refresh(self.http, token_endpoint, client, refresh_token, client_auth,
                             **self._oauth_extra(extra))

    def client_credentials(self, token_endpoint: str, client: Client, client_auth: ClientAuth,
                           scope: str | None = "service", **extra: str) -> ApiResponse:
        return oauth.client_credentials(self.http, token_endpoint, client, client_auth, scope,
                                        **self._oauth_extra(extra))

    def revoke(self, revoke_endpoint: str, client: Client, token: str, hint: str | None,
               client_auth: ClientAuth, **extra: str) -> ApiResponse:
        return oauth.revoke(self.http, revoke_endpoint, client, token, hint, client_auth,
                            **self._oauth_extra(extra))

    # --- signHash ---------------------------------------------------------------------------------

    def sign_body(self, request: SignRequest) -> dict[str, Any]:
        """The body fields both versions share, under this version's names."""
        n = FIELD_NAMES[self.version]
        body: dict[str, Any] = {n["credential_id"]: request.credential_id}
        if request.sad is None and "sad" not in request.overrides:
            raise MissingActivationToken(
                "signHash without an activation token: set overrides['sad'] (OMIT for none) when "
                "the request is meant to carry no SAD")
        if request.sad is not None and not request.sad_in_header:
            body[n["sad"]] = request.sad
        body[n["hashes"]] = encode_value(request.hashes)
        if request.hash_algorithm is not None:
            body[n["hash_algorithm"]] = request.hash_algorithm
        body[n["sign_algorithm"]] = request.sign_algorithm
        if request.sign_algorithm_params is not None:
            body[n["sign_algorithm_params"]] = oauth.b64(request.sign_algorithm_params)
        if request.client_data is not None:
            body[n["client_data"]] = request.client_data
        return self.apply(body, request.overrides)

    def sign_hashes(self, token: str | None, request: SignRequest) -> ApiResponse:
        """CSC1 §11.9 / CSC2 §11.10; v2 may carry the credential token in the header."""
        header_token = token
        if request.sad_in_header:
            if self.version == "v1":
                raise UnsupportedInVersion("CSC v1 has no credential token in the header")
            header_token = request.sad
        return self.call("signatures/signHash", self.sign_body(request), header_token)

    # --- credentials/info parsing -----------------------------------------------------------------

    def auth_mode(self, body: Mapping[str, Any]) -> str | None:  # pragma: no cover
        raise NotImplementedError

    def parse_credential_info(self, credential_id: str, body: dict[str, Any]) -> CredentialInfo:
        """The neutral view; certificates are decoded from base64 DER, order kept."""
        key = _object(body, "key")
        cert = _object(body, "cert")
        certs = cert.get("certificates") or []
        if not isinstance(certs, list):
            raise ValueError("cert.certificates is not an array")
        cert_info: dict[str, str] = {f: cert[f] for f in CERT_INFO_FIELDS if f in cert}
        multisign = body.get("multisign")
        return CredentialInfo(
            credential_id=str(body.get("credentialID", credential_id)),
            key_status=key.get("status"),
            key_algos=tuple(key.get("algo") or ()),
            key_len=key.get("len") if isinstance(key.get("len"), int) else None,
            key_curve=key.get("curve"),
            cert_status=cert.get("status"),
            certificates=tuple(decode_b64(c, f"cert.certificates[{i}]")
                               for i, c in enumerate(certs)),
            cert_info=cert_info,
            auth_mode=self.auth_mode(body),
            scal=body.get("SCAL"),
            multisign=multisign if isinstance(multisign, int) else None,
            signature_qualifier=body.get("signatureQualifier"),
            raw=body,
        )
