"""Credentials discovered, not configured: what an identity owns, classified, and the roles filled.

The Gherkin speaks of "the signer's SCAL 2 credential" or "the signer's expired credential". A
profile may pin a role to a credential ID; every role it leaves open is filled from what the
target itself says: ``credentials/list`` (all pages) and ``credentials/info`` of each credential
(chain, ``certInfo`` where supported, ``authInfo``), classified by key, SCAL, ``multisign``,
status, validity and ``authMode``. A role nothing fills is skipped with a reason naming the role
and what was found, unless the target refused a page of a listing it offers: that is its
deviation, and the scenario fails with it (``CredentialsDriver.refusal_fails``). Discovery runs
once per identity and API version in each process (``CredentialDirectory``), with the service
token the scenarios use anyway.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from asn1crypto import x509

from cscsuite.adapters.base import ApiResponse, CredentialInfo

_RSA_KEY = "1.2.840.113549.1.1."
_EC_KEY = ("1.2.840.10045.", "0.4.0.127.0.7.1.1.4.1")
_CURVES = {"1.2.840.10045.3.1.7": "P-256", "1.3.132.0.34": "P-384", "1.3.132.0.35": "P-521",
           "secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521",
           "P-256": "P-256", "P-384": "P-384", "P-521": "P-521"}


class CredentialApi(Protocol):
    """What discovery needs of a version adapter."""

    def list_all_credential_ids(self, token: str | None, page_size: int | None = None,
                                max_pages: int = 100) -> tuple[list[str], list[ApiResponse]]: ...

    def credential_info(self, token: str | None, credential_id: str,
                        **options: Any) -> ApiResponse: ...

    def parse_credential_info(self, credential_id: str,
                              body: dict[str, Any]) -> CredentialInfo: ...


@dataclass(frozen=True)
class CredentialFacts:
    """One credential as classified from its ``credentials/info`` answer."""

    credential_id: str
    key_type: str | None = None  # "rsa" | "ec"
    key_size: int | None = None  # RSA modulus bits / EC field bits
    curve: str | None = None  # "P-256", "P-384", ...
    key_status: str | None = None  # enabled | disabled
    cert_status: str | None = None  # valid | expired | revoked | suspended
    not_after: datetime | None = None
    scal: str | None = None
    multisign: int = 1
    auth_mode: str | None = None
    sign_algorithms: tuple[str, ...] = ()  # key/algo
    note: str = ""  # what could not be read (e.g. certInfo not supported)

    @property
    def expired(self) -> bool:
        return self.cert_status == "expired" or bool(
            self.not_after and self.not_after < datetime.now(UTC))

    @property
    def usable(self) -> bool:
        """Enabled key and a valid certificate: a credential that can sign."""
        return (self.key_status in (None, "enabled") and self.cert_status in (None, "valid")
                and not self.expired)

    def key(self) -> str:
        if self.key_type == "ec":
            return f"ECDSA {self.curve or self.key_size or '?'}"
        if self.key_type == "rsa":
            return f"RSA {self.key_size or '?'}"
        return "unknown key"

    def status(self) -> str:
        cert = "expired" if self.expired and self.cert_status != "expired" else self.cert_status
        return f"{self.key_status or '?'}/{cert or '?'}"

    def describe(self) -> str:
        return (f"{short(self.credential_id)} ({self.key()}, SCAL {self.scal or '?'}, "
                f"multisign {self.multisign}, {self.status()}, {self.auth_mode or '?'})"
                + (f" [{self.note}]" if self.note else ""))


@dataclass(frozen=True)
class RoleRule:
    meaning: str
    fits: Callable[[CredentialFacts], bool]


def _usable_with(pred: Callable[[CredentialFacts], bool]) -> Callable[[CredentialFacts], bool]:
    return lambda f: f.usable and pred(f)


#: Every role of the vocabulary with what fills it (``vocabulary.ROLES`` maps phrases here).
ROLE_RULES: dict[str, RoleRule] = {
    "signing": RoleRule("an enabled credential with a valid certificate", _usable_with(
        lambda f: True)),
    "rsa2048": RoleRule("a usable RSA 2048 credential", _usable_with(
        lambda f: f.key_type == "rsa" and f.key_size == 2048)),
    "rsa3072": RoleRule("a usable RSA 3072 credential", _usable_with(
        lambda f: f.key_type == "rsa" and f.key_size == 3072)),
    "p256": RoleRule("a usable ECDSA P-256 credential", _usable_with(
        lambda f: f.key_type == "ec" and f.curve == "P-256")),
    "p384": RoleRule("a usable ECDSA P-384 credential", _usable_with(
        lambda f: f.key_type == "ec" and f.curve == "P-384")),
    "scal2": RoleRule("a usable SCAL 2 credential", _usable_with(lambda f: f.scal == "2")),
    "multisign": RoleRule("a usable credential with multisign > 1", _usable_with(
        lambda f: f.multisign > 1)),
    "explicit": RoleRule("a usable credential with authMode explicit", _usable_with(
        lambda f: f.auth_mode == "explicit")),
    "direct_scal1": RoleRule("a usable SCAL 1 credential authorized directly (authMode explicit "
                             "or implicit)", _usable_with(
        lambda f: f.auth_mode in ("explicit", "implicit") and f.scal == "1")),
    "direct_scal2": RoleRule("a usable SCAL 2 credential authorized directly (authMode explicit "
                             "or implicit)", _usable_with(
        lambda f: f.auth_mode in ("explicit", "implicit") and f.scal == "2")),
    "implicit": RoleRule("a usable credential with authMode implicit", _usable_with(
        lambda f: f.auth_mode == "implicit")),
    "disabled": RoleRule("a credential whose key is disabled",
                         lambda f: f.key_status == "disabled"),
    "expired": RoleRule("a credential whose certificate has expired",
                        lambda f: f.key_status != "disabled" and f.expired),
    "revoked": RoleRule("a credential whose certificate is revoked",
                        lambda f: f.key_status != "disabled" and f.cert_status == "revoked"),
}

#: How many credentials a skip reason describes (the report's Run section lists them all).
_SHOWN = 6

#: Pins that also fill a role (the profile's ``default`` is the signer's signing credential).
_PIN_ALIASES = {"signing": ("signing", "default")}


def plainness(f: CredentialFacts) -> tuple[bool, ...]:
    """Sort key: the plainest credential first (OAuth-authorized, RSA, SCAL 1, one signature),
    the kind the signing scenarios' algorithm words and authorization steps assume."""
    return (f.auth_mode not in (None, "oauth2code"), f.key_type != "rsa", f.scal == "2",
            f.multisign > 1)


@dataclass(frozen=True)
class Discovery:
    """What discovery found for one identity and API version (``problem`` when it could not)."""

    version: str
    identity: str
    facts: tuple[CredentialFacts, ...] = ()
    problem: str | None = None
    #: Where the target's refusal of a credentials/list page is recorded (evidence reference;
    #: "" when not recorded); None when no page was refused. A refusal is the target's deviation
    #: [CSC1 §11.4], unlike a problem of the suite's own (no token held yet).
    refusal: str | None = None

    def find(self, credential_id: str) -> CredentialFacts | None:
        return next((f for f in self.facts if f.credential_id == credential_id), None)

    def found(self) -> str:
        if self.problem:
            return f"discovery failed: {self.problem}"
        if not self.facts:
            return "the service lists no credentials"
        shown = "; ".join(f.describe() for f in self.facts[:_SHOWN])
        more = len(self.facts) - _SHOWN
        return (f"found {len(self.facts)}: {shown}"
                + (f"; and {more} more (the report's Credentials block)" if more > 0 else ""))


def pinned(role: str, pins: Mapping[str, str]) -> str | None:
    """The credential the profile pins to ``role`` (``signing`` also takes ``default``)."""
    return next((pins[k] for k in _PIN_ALIASES.get(role, (role,)) if pins.get(k)), None)


def resolve(role: str, pins: Mapping[str, str], discovery: Discovery | None) -> str | None:
    """The credential ID that fills ``role``: the pin, else the first fitting credential found
    (the profile's default first, then the plainest)."""
    pin = pinned(role, pins)
    if pin or discovery is None or role not in ROLE_RULES:
        return pin
    default = pinned("signing", pins)
    fits = [f for f in discovery.facts if ROLE_RULES[role].fits(f)]
    fits.sort(key=lambda f: (f.credential_id != default, plainness(f)))
    return fits[0].credential_id if fits else None


def unfilled_reason(role: str, discovery: Discovery | None, identity: str = "signer") -> str:
    """Why nothing fills ``role``: names the role, what fills it and what was found."""
    rule = ROLE_RULES.get(role)
    wanted = f" ({rule.meaning})" if rule else " (a role only a profile pin can fill)"
    found = discovery.found() if discovery is not None else "no discovery for this identity"
    return f"no credential of {identity} fills the role {role!r}{wanted}: {found}"


def roles_filled(pins: Mapping[str, str], discovery: Discovery) -> dict[str, list[str]]:
    """credential ID -> the roles it fills (for the report's Run section)."""
    filled: dict[str, list[str]] = {}
    for role in ROLE_RULES:
        cred = resolve(role, pins, discovery)
        if cred:
            filled.setdefault(cred, []).append(role)
    return filled


# --- reading the target --------------------------------------------------------------------------

def discover(api: CredentialApi, token: str | None, version: str, identity: str = "signer",
             cite: Callable[[ApiResponse], str | None] | None = None) -> Discovery:
    """List every credential (all pages) and classify each from its ``credentials/info``;
    ``cite`` names the evidence of a refused page."""
    ids, pages = api.list_all_credential_ids(token)
    last = pages[-1] if pages else None
    if last is None or last.status != 200:
        where = None if last is None else (cite(last) if cite else None) or ""
        return Discovery(version, identity, problem=f"credentials/list answered "
                         f"{answer(last) if last else 'nothing'}"
                         f"{f' on page {len(pages)}' if len(pages) > 1 else ''}",
                         refusal=where)
    unique = list(dict.fromkeys(i for i in ids if isinstance(i, str)))
    return Discovery(version, identity, tuple(read_one(api, token, cid) for cid in unique))


def read_one(api: CredentialApi, token: str | None, credential_id: str) -> CredentialFacts:
    """``credentials/info`` with chain, certInfo and authInfo; without certInfo when refused."""
    resp = api.credential_info(token, credential_id, certificates="chain", cert_info=True,
                               auth_info=True)
    note = ""
    if resp.status != 200:
        note = f"certInfo refused ({answer(resp)}); "
        resp = api.credential_info(token, credential_id, certificates="chain", auth_info=True)
    if resp.status != 200 or not isinstance(resp.body, dict):
        return CredentialFacts(credential_id, note=f"{note}credentials/info answered "
                                                    f"{answer(resp)}")
    try:
        info = api.parse_credential_info(credential_id, resp.body)
    except (ValueError, TypeError, AttributeError, KeyError) as exc:  # a malformed answer
        return CredentialFacts(credential_id, note=f"{note}unreadable answer: {exc}")
    return classify(info, note.rstrip("; "))


def answer(resp: ApiResponse) -> str:
    what = resp.error or resp.not_json() or ""
    return f"HTTP {resp.status} {what}".rstrip()


def classify(info: CredentialInfo, note: str = "") -> CredentialFacts:
    """The facts of one credential: from ``key`` first, from its certificate where key is silent."""
    cert = _certificate(info.certificates[0]) if info.certificates else None
    key_type, size, curve = _key(info)
    if cert is not None:
        pub = cert.public_key
        key_type = key_type or {"rsa": "rsa", "ec": "ec"}.get(pub.algorithm)
        size = size or pub.bit_size
        curve = curve or (_CURVES.get(pub.curve[1]) if pub.algorithm == "ec" else None)
    not_after = cert.not_valid_after if cert is not None else None
    return CredentialFacts(
        credential_id=info.credential_id, key_type=key_type, key_size=size, curve=curve,
        key_status=_str(info.key_status), cert_status=_str(info.cert_status), not_after=not_after,
        scal=_str(info.scal), multisign=info.multisign or 1, auth_mode=_str(info.auth_mode),
        sign_algorithms=tuple(a for a in info.key_algos if isinstance(a, str)), note=note)


def _key(info: CredentialInfo) -> tuple[str | None, int | None, str | None]:
    algos = [a for a in info.key_algos if isinstance(a, str)]
    key_type = ("ec" if any(a.startswith(_EC_KEY) for a in algos) or info.key_curve
                else "rsa" if any(a.startswith(_RSA_KEY) for a in algos) else None)
    curve = _CURVES.get(info.key_curve) if isinstance(info.key_curve, str) else None
    return key_type, info.key_len, curve


def _certificate(der: bytes) -> x509.Certificate | None:
    try:
        cert = x509.Certificate.load(der)
        cert.public_key.algorithm  # noqa: B018 - parse now, not at first use
        return cert
    except (ValueError, TypeError, KeyError):
        return None


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def short(credential_id: str, width: int = 24) -> str:
    """A credential ID short enough for a table cell (long opaque IDs keep head and tail)."""
    if len(credential_id) <= width:
        return credential_id
    return f"{credential_id[:12]}…{credential_id[-8:]}"


# --- once per process ----------------------------------------------------------------------------

@dataclass
class CredentialDirectory:
    """Discoveries per (base URL, version, identity), made once per process and reported once."""

    _found: dict[tuple[str, str, str], Discovery] = field(default_factory=dict)
    _unreported: list[tuple[Discovery, Mapping[str, str]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple[str, str, str], pins: Mapping[str, str],
            make: Callable[[], Discovery]) -> Discovery:
        with self._lock:
            if key in self._found:
                return self._found[key]
        made = make()
        with self._lock:
            if key not in self._found:
                self._found[key] = made
                self._unreported.append((made, pins))
            return self._found[key]

    def drain(self) -> list[tuple[str, str]]:
        """``run.<key>`` properties of the discoveries not reported yet."""
        with self._lock:
            pending, self._unreported = self._unreported, []
        return [report_property(d, pins) for d, pins in pending]


def report_property(discovery: Discovery, pins: Mapping[str, str]) -> tuple[str, str]:
    """(``credentials.<version>.<identity>``, JSON rows) for the report's Credentials block."""
    filled = roles_filled(pins, discovery)
    rows: list[dict[str, Any]] = [
        {"id": short(f.credential_id), "key": f.key(), "scal": f.scal or "?",
         "multisign": f.multisign, "status": f.status(), "auth_mode": f.auth_mode or "?",
         "roles": filled.get(f.credential_id, []), "note": f.note}
        for f in discovery.facts]
    listed = {f.credential_id for f in discovery.facts}
    rows += [{"id": short(cid), "key": "(pinned, not listed)", "scal": "", "multisign": "",
              "status": "", "auth_mode": "", "roles": roles, "note": ""}
             for cid, roles in filled.items() if cid not in listed]
    value: dict[str, Any] = {"rows": rows}
    if discovery.problem:
        value["problem"] = discovery.problem
    return f"credentials.{discovery.version}.{discovery.identity}", json.dumps(value)


def families(discoveries: Sequence[Discovery]) -> set[str]:
    """Every key/algo OID the credentials name (a version's own algorithm evidence)."""
    return {a for d in discoveries for f in d.facts if f.usable for a in f.sign_algorithms}
