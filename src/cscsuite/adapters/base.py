"""One interface for the steps, whatever the CSC API version.

Steps and checks speak neutral names (``credential_id``, ``hashes``, ``hash_algorithm``,
``sign_algorithm``, ``sad`` ...). A version adapter turns them into the v1 or v2 wire format
(field names, base64 vs base64url, token types) and turns answers back into neutral objects.
Steps never branch on the version; only adapters know it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from cscsuite.checks.base import ConformanceError

if TYPE_CHECKING:
    from cscsuite.profile_types import Client

ApiVersion = Literal["v1", "v2"]
ClientAuth = Literal["client_secret_basic", "client_secret_post", "none"]

#: Neutral request field -> wire field name, per version. Adapters and bad-input overrides use it.
FIELD_NAMES: dict[ApiVersion, dict[str, str]] = {
    "v1": {
        "credential_id": "credentialID",
        "hashes": "hash",
        "hash_algorithm": "hashAlgo",
        "sign_algorithm": "signAlgo",
        "sign_algorithm_params": "signAlgoParams",
        "sad": "SAD",
        "num_signatures": "numSignatures",
        "client_data": "clientData",
        "certificates": "certificates",
        "cert_info": "certInfo",
        "auth_info": "authInfo",
        "max_results": "maxResults",
        "page_token": "pageToken",
        "user_id": "userID",
        "pin": "PIN",
        "otp": "OTP",
        "description": "description",
        "lang": "lang",
    },
    "v2": {
        "credential_id": "credentialID",
        "hashes": "hashes",
        "hash_algorithm": "hashAlgorithmOID",
        "sign_algorithm": "signAlgo",
        "sign_algorithm_params": "signAlgoParams",
        "sad": "SAD",
        "num_signatures": "numSignatures",
        "client_data": "clientData",
        "certificates": "certificates",
        "cert_info": "certInfo",
        "auth_info": "authInfo",
        "credential_info": "credentialInfo",
        "only_valid": "onlyValid",
        "user_id": "userID",
        "operation_mode": "operationMode",
        "signature_qualifier": "signatureQualifier",
        "auth_data": "authData",
        "description": "description",
        "lang": "lang",
        "validity_period": "validity_period",
        "response_uri": "response_uri",
    },
}

T = TypeVar("T")
A = TypeVar("A")

#: What each parser of the service's answers reads: (requirement, expected). The clause is the
#: version's (see ``answer`` in v1.py / v2.py).
ANSWER_FORMATS: dict[str, tuple[str, str]] = {
    "parse_signatures": ("signHash answers the signature values as an array of standard base64 "
                         "strings", "signatures: an array of standard base64 strings"),
    "parse_credential_info": ("credentials/info answers the certificates as an array of standard "
                              "base64 DER values", "cert.certificates: an array of standard "
                              "base64 strings"),
}

#: Marker for "leave this field out of the request" in overrides.
OMIT: Any = object()


class UnsupportedInVersion(ValueError):
    """A neutral request field or option that the chosen API version does not have."""


class HttpClient(Protocol):
    """The part of ``cscsuite.http.ApiClient`` the adapters use (a fake in unit tests)."""

    def post_json(self, url: str, body: Any, *, token: str | None = None,
                  token_type: str = "Bearer", headers: dict[str, str] | None = None,
                  raw_body: bytes | None = None) -> ApiResponse: ...

    def post_form(self, url: str, data: dict[str, str], *,
                  basic_auth: tuple[str, str] | None = None,
                  headers: dict[str, str] | None = None) -> ApiResponse: ...

    def get(self, url: str, *, params: dict[str, str] | None = None,
            headers: dict[str, str] | None = None) -> ApiResponse: ...


@dataclass
class ApiResponse:
    """An HTTP answer, as the steps see it. ``exchange_id`` points into the evidence."""

    status: int
    headers: dict[str, str]
    body: Any  # parsed JSON, or None when the body was not JSON
    text: str
    url: str
    exchange_id: int | None = None

    @property
    def error(self) -> str | None:
        return self.body.get("error") if isinstance(self.body, dict) else None

    def field(self, name: str, default: Any = None) -> Any:
        return self.body.get(name, default) if isinstance(self.body, dict) else default


@dataclass(frozen=True)
class CredentialInfo:
    """The neutral view of credentials/info (or a v2 credentialInfos item)."""

    credential_id: str
    key_status: str | None
    key_algos: tuple[str, ...]
    key_len: int | None
    key_curve: str | None
    cert_status: str | None
    certificates: tuple[bytes, ...]  # DER, in the order the service returned them
    cert_info: dict[str, str]  # issuerDN, serialNumber, subjectDN, validFrom, validTo (when asked)
    auth_mode: str | None  # implicit | explicit | oauth2code
    scal: str | None
    multisign: int | None
    signature_qualifier: str | None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class AuthorizationRequest:
    """Everything an OAuth authorization request may carry, in neutral form."""

    scope: Literal["service", "credential"]
    redirect_uri: str
    state: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    credential_id: str | None = None
    signature_qualifier: str | None = None
    num_signatures: int | None = None
    hashes: list[bytes] | None = None  # raw digests; the adapter encodes them
    hash_algorithm: str | None = None
    authorization_details: list[dict[str, Any]] | None = None
    account_token: str | None = None
    client_data: str | None = None
    response_type: str = "code"
    lang: str | None = None
    description: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # raw extra query/form parameters


@dataclass
class SignRequest:
    """A signHash call in neutral form. ``overrides`` injects bad input by neutral name."""

    credential_id: str
    hashes: list[bytes]
    sign_algorithm: str
    hash_algorithm: str | None = None
    sign_algorithm_params: bytes | None = None
    sad: str | None = None
    sad_in_header: bool = False  # v2: credential token in the Authorization header instead of SAD
    client_data: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)


class CscApi(Protocol):
    """What the steps can ask of a CSC service, version-neutral."""

    version: ApiVersion
    credential_token_type: str  # what the token endpoint must answer for scope=credential

    def info(self, lang: str | None = None) -> ApiResponse: ...

    def call(self, method: str, body: dict[str, Any], token: str | None) -> ApiResponse:
        """A CSC method by name, body as given (methods without a typed wrapper)."""
        ...

    def list_credentials(self, token: str | None, **options: Any) -> ApiResponse: ...

    def credential_info(self, token: str | None, credential_id: str,
                        **options: Any) -> ApiResponse: ...

    def parse_credential_info(self, credential_id: str, body: dict[str, Any]) -> CredentialInfo: ...

    def authorize_url(self, authorize_endpoint: str, client: Client,
                      request: AuthorizationRequest) -> str: ...

    def push_authorization(self, par_endpoint: str, client: Client, request: AuthorizationRequest,
                           client_auth: ClientAuth) -> ApiResponse: ...

    def exchange_code(self, token_endpoint: str, client: Client, code: str, redirect_uri: str,
                      code_verifier: str | None, client_auth: ClientAuth,
                      **extra: str) -> ApiResponse: ...

    def refresh(self, token_endpoint: str, client: Client, refresh_token: str,
                client_auth: ClientAuth) -> ApiResponse: ...

    def revoke(self, revoke_endpoint: str, client: Client, token: str, hint: str | None,
               client_auth: ClientAuth) -> ApiResponse: ...

    def authorize_credential(self, token: str | None, credential_id: str, num_signatures: int,
                             hashes: list[bytes] | None, hash_algorithm: str | None,
                             pin: str | None = None, otp: str | None = None,
                             **overrides: Any) -> ApiResponse: ...

    def sign_hashes(self, token: str | None, request: SignRequest) -> ApiResponse: ...

    def parse_signatures(self, response: ApiResponse) -> list[bytes]: ...



def answers_cite(**refs: str) -> Callable[[type[A]], type[A]]:
    """Class decorator of a version adapter: each named answer parser (``parse_signatures=
    "CSC1-11.9"``) reports a malformed answer as the service's deviation, a ConformanceError
    citing the version's clause with the parser's requirement (ANSWER_FORMATS), what it found
    and the exchange."""

    def decorate(cls: type[A]) -> type[A]:
        for name, ref in refs.items():
            setattr(cls, name, _citing(getattr(cls, name), ref))
        return cls

    return decorate


def _citing(parse: Callable[..., T], ref: str) -> Callable[..., T]:
    requirement, expected = ANSWER_FORMATS[parse.__name__]

    @functools.wraps(parse)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> T:
        try:
            return parse(self, *args, **kwargs)
        except UnsupportedInVersion:
            raise
        except ValueError as exc:
            given = [*args, *kwargs.values()]
            response = next((a for a in given if isinstance(a, ApiResponse)), None)
            evidence = getattr(getattr(self, "http", None), "evidence", None)
            where = evidence.ref(response.exchange_id if response else None) if evidence else None
            raise ConformanceError(ref, requirement, expected, str(exc), where) from None

    return wrapper
