"""What the fuzzer sends: schemathesis cases from the OpenAPI description, raw bodies, and a
"realistic" pass that plants valid tokens and known identifiers so generated requests also reach
the code behind authentication (signing, token exchange) instead of stopping at the first 401."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

import cscsandbox

SCHEMA_PATH = Path(cscsandbox.__file__).resolve().parent / "openapi.yaml"
SCHEMA = schemathesis.openapi.from_path(SCHEMA_PATH)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()
              if isinstance(result, Ok)]
REQUEST_TIMEOUT_S = 10.0

CLIENT_ID = "sandbox-client"
CLIENT_SECRET = "sandbox-client-secret"  # the committed default config's test value
REDIRECT_URIS = ("https://client.example/callback", "http://127.0.0.1:9/callback")
CREDENTIALS = ("alice-rsa2048", "alice-rsa3072", "alice-p256", "alice-p384",
               "alice-rsa2048-scal2", "alice-rsa2048-multi", "alice-disabled", "alice-expired",
               "alice-revoked", "alice-explicit", "alice-implicit", "bob-rsa2048", "no-such-cred")
SIGN_ALGOS = ("1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.10",
              "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "0.4.0.127.0.7.1.1.4.1",
              "0.4.0.127.0.7.1.1.4.1.3", "1.2.3.4")
HASH_OIDS = ("2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3",
             "1.3.14.3.2.26")
RAW_CONTENT_TYPES = ("application/json", "text/plain", "application/x-www-form-urlencoded",
                     "application/json; charset=latin-1", "")

Draw = Callable[[st.SearchStrategy[Any]], Any]


class Minter(Protocol):
    """What make_realistic needs from the token minter."""

    def service_token(self, api_version: str, user: str = ...) -> str: ...
    def credential_token(self, api_version: str, credential_id: str, num: int,
                         user: str = ...) -> str: ...


@dataclass(frozen=True)
class Answer:
    """What came back (status -1: no answer at all, e.g. a timeout or a dropped connection)."""

    status: int
    content_type: str
    body: bytes
    failure: str = ""


@dataclass
class Request:
    """One generated request: a schemathesis case, or a raw body for a POST endpoint."""

    label: str
    case: Any = None  # schemathesis.Case
    raw_path: str = ""
    raw_body: bytes = b""
    raw_content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """What was sent (secrets masked), for a failure message that reproduces the problem."""
        if self.case is None:
            sent: Any = self.raw_body[:160]
            return f"{self.label} Content-Type={self.raw_content_type!r} body={sent!r}"
        body = self.case.body if isinstance(self.case.body, (dict, list, str, bytes)) else None
        return (f"{self.label} query={_masked(self.case.query)!r} "
                f"body={_masked(body)!r}"[:400])

    @property
    def path(self) -> str:
        return self.case.path if self.case is not None else self.raw_path

    def send(self, session: requests.Session, base_url: str) -> Answer:
        try:
            if self.case is not None:
                response = self.case.call(base_url=base_url, session=session, headers=self.headers,
                                          timeout=REQUEST_TIMEOUT_S, allow_redirects=False)
                return Answer(response.status_code, _first(response.headers, "content-type"),
                              response.content)
            headers = dict(self.headers)
            if self.raw_content_type:
                headers["Content-Type"] = self.raw_content_type
            raw = session.post(base_url + self.raw_path, data=self.raw_body, headers=headers,
                               timeout=REQUEST_TIMEOUT_S, allow_redirects=False)
            return Answer(raw.status_code, raw.headers.get("content-type", ""), raw.content)
        except requests.RequestException as exc:
            return Answer(-1, "", b"", f"{type(exc).__name__}: {exc}"[:200])


_SECRET_FIELDS = {"SAD", "client_secret", "refresh_token", "code", "account_token", "token"}


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "***" if k in _SECRET_FIELDS else v for k, v in value.items()}
    return value


def _first(headers: Any, name: str) -> str:
    value = headers.get(name) or headers.get(name.title()) or ""
    return value[0] if isinstance(value, list) else str(value)


def strategy_for(mode: str) -> st.SearchStrategy[Request]:
    """Requests of one kind, spread evenly over the operations."""
    if mode == "raw":
        return _raw_requests()
    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    per_operation = []
    for operation in OPERATIONS:
        if generation.is_negative and not _has_inputs(operation):
            continue  # nothing to violate (e.g. the metadata GET)
        per_operation.append(operation.as_strategy(generation_mode=generation))
    return st.one_of(per_operation).map(lambda case: Request(label=f"{case.method} {case.path}",
                                                             case=case))


def _has_inputs(operation: Any) -> bool:
    return bool(operation.body) or bool(operation.query)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                   max_size=4),
    max_leaves=12,
)


def _raw_bodies() -> st.SearchStrategy[bytes]:
    text_json = _JSON_VALUES.map(lambda v: json.dumps(v).encode())
    truncated = text_json.flatmap(lambda b: st.integers(0, max(len(b) - 1, 0)).map(lambda n: b[:n]))
    return st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        text_json,
        truncated,
        st.just(b'{"credentialID": "alice-rsa2048", "hash": ["\xff\xfe"]}'),
        st.just(b"\xef\xbb\xbf{}"),  # a BOM before JSON
    )


def _raw_requests() -> st.SearchStrategy[Request]:
    posts = [op for op in OPERATIONS if op.method.upper() == "POST"]
    return st.builds(
        lambda op, body, ctype: Request(label=f"RAW {op.path}", raw_path=op.path, raw_body=body,
                                        raw_content_type=ctype),
        st.sampled_from(posts), _raw_bodies(), st.sampled_from(RAW_CONTENT_TYPES),
    )


def make_realistic(req: Request, draw: Draw, minter: Minter) -> None:
    """Authenticate the request and, sometimes, plant known identifiers in it."""
    path = req.path
    if path.startswith("/csc/"):
        version = "v1" if path.startswith("/csc/v1/") else "v2"
        token = _bearer_for(path, version, req, draw, minter)
        req.headers["Authorization"] = f"Bearer {token}"
    elif path.endswith(("/token", "/pushed_authorize", "/revoke")):
        if draw(st.booleans()):
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            req.headers["Authorization"] = f"Basic {basic}"
        else:
            _plant(req, draw, {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    if path.endswith(("/authorize", "/pushed_authorize")) and "/oauth2/" in path:
        redirect_uri = draw(st.sampled_from(REDIRECT_URIS))
        _plant(req, draw, {"client_id": CLIENT_ID, "redirect_uri": redirect_uri})


def _bearer_for(path: str, version: str, req: Request, draw: Draw, minter: Minter) -> str:
    body = req.case.body if req.case is not None else None
    if not (path.endswith("signHash") and isinstance(body, dict) and draw(st.booleans())):
        return minter.service_token(version)
    credential = draw(st.sampled_from(CREDENTIALS))
    hashes = draw(st.lists(st.sampled_from((32, 48, 64)).map(os.urandom), min_size=1, max_size=3))
    sad = minter.credential_token(version, credential, num=draw(st.integers(1, 3)))
    body["credentialID"] = credential
    body["hash" if version == "v1" else "hashes"] = [base64.b64encode(h).decode() for h in hashes]
    body["signAlgo"] = draw(st.sampled_from(SIGN_ALGOS))
    if draw(st.booleans()):
        hash_field = "hashAlgo" if version == "v1" else "hashAlgorithmOID"
        body[hash_field] = draw(st.sampled_from(HASH_OIDS))
    if version == "v2" and draw(st.booleans()):
        body.pop("SAD", None)
        return sad  # v2: the credential token in the header replaces SAD [CSC2 §11.10]
    body["SAD"] = sad
    return minter.service_token(version)


def _plant(req: Request, draw: Draw, values: dict[str, str]) -> None:
    """Overwrite some parameters with known-good values (form body or query)."""
    if req.case is None or not draw(st.booleans()):
        return
    target = req.case.body if isinstance(req.case.body, dict) else req.case.query
    if isinstance(target, dict):
        target.update(values)
