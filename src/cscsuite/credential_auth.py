"""How a credential is authorized, decided by the credential's own ``authMode`` [CSC1 §8.2,
§11.5, §11.6; CSC2 §11.5].

``oauth2code`` credentials are authorized by the driver's OAuth login (scope ``credential``,
RAR, PAR). ``implicit`` and ``explicit`` ones by ``credentials/authorize``: implicit without
factors (v2: explicit with no auth objects), explicit with the factors the credential asks for:
the PIN, and the OTP, which is the signer's fixed code when offline, and for an online OTP the code
``credentials/sendOTP`` has just sent, read where the profile says (``identities.<id>.otp``).
A factor the suite cannot supply is the suite's failure (``HarnessError``), so a refusal is only
ever judged on a request that carried every right factor but the one under test.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from cscsuite.adapters.base import ApiResponse, CredentialInfo
from cscsuite.driver import Driver
from cscsuite.outcomes import HarnessError
from cscsuite.profile import expand
from cscsuite.profile_types import Identity

_TRUE = ("true", True)


@dataclass(frozen=True)
class Factors:
    """What ``credentials/authorize`` must carry for one credential."""

    pin: bool = False
    otp: bool = False
    online: bool = False  # the OTP is sent by credentials/sendOTP first
    known: bool = True  # False: credentials/info did not describe the factors

    @property
    def none(self) -> bool:
        return not (self.pin or self.otp)


def mechanism(cred: CredentialInfo | None) -> str:
    """``oauth`` for oauth2code (and an unknown mode: OAuth is what the profile's login does),
    ``direct`` for implicit and explicit credentials."""
    return "direct" if cred is not None and cred.auth_mode in ("implicit", "explicit") \
        else "oauth"


def required_factors(version: str, cred: CredentialInfo,
                     online_ids: frozenset[str] = frozenset()) -> Factors:
    """The factors ``cred`` asks for, from its credentials/info answer. v1 says it in the
    ``PIN``/``OTP`` groups (``OTP/type`` online or offline); v2 in ``auth.objects``, which has no
    online marker, so an OTP of a credential in ``online_ids`` (profile role ``online_otp``)
    counts as online."""
    if cred.auth_mode == "implicit":
        return Factors()
    raw = cred.raw
    if version == "v1":
        pin_group, otp_group = _group(raw, "PIN"), _group(raw, "OTP")
        if not pin_group and not otp_group:
            return Factors(known=False)
        return Factors(pin=pin_group.get("presence") in _TRUE,
                       otp=otp_group.get("presence") in _TRUE,
                       online=otp_group.get("type") == "online")
    auth = raw.get("auth")
    objects = auth.get("objects") if isinstance(auth, Mapping) else None
    if not isinstance(objects, list):
        return Factors(known=False)
    ids = {str(o.get("id", "")).upper() for o in objects if isinstance(o, Mapping)}
    types = {str(o.get("type", "")).upper() for o in objects if isinstance(o, Mapping)}
    otp = "OTP" in ids or "OTP" in types
    return Factors(pin="PIN" in ids or bool(ids - {"OTP"}), otp=otp,
                   online=otp and cred.credential_id in online_ids)


def _group(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = raw.get(name)
    return value if isinstance(value, Mapping) else {}


def authorize(flow: Driver, cred: CredentialInfo, count: int,
              hashes: list[bytes] | None, overrides: Mapping[str, Any]) -> ApiResponse:
    """``credentials/authorize`` with the right factors for ``cred`` except those in
    ``overrides`` (the one under test), and the scenario's client data [CSC1 §11.6]."""
    need = factors_of(flow, cred)
    with otp_turn(flow, cred, need):
        factors = {**right_factors(flow, cred, need), **overrides} \
            if cred.auth_mode == "explicit" else dict(overrides)
        if flow.world.notes.get("client_data") and "client_data" not in factors:
            factors["client_data"] = flow.world.notes["client_data"]
        return flow.api.authorize_credential(flow.world.service_token, cred.credential_id,
                                             count, hashes, flow.world.hash_algorithm, **factors)


def owner(flow: Driver) -> Identity:
    """The identity whose credential the scenario uses (its factors authorize it): the signer,
    unless the scenario chose another identity's credential."""
    return flow.identity(str(flow.world.notes.get("credential_owner", "signer")))


def factors_of(flow: Driver, cred: CredentialInfo) -> Factors:
    ident = owner(flow)
    online_ids = frozenset(v for k, v in ident.credentials.items() if k == "online_otp")
    return required_factors(flow.api.version, cred, online_ids)


#: One lock object per lock file: a FileLock object is reentrant, two objects on one file in one
#: process are not (the inner one would wait for the outer until it timed out).
_OTP_LOCKS: dict[str, FileLock] = {}


@contextmanager
def otp_turn(flow: Driver, cred: CredentialInfo, need: Factors | None = None) -> Iterator[None]:
    """One online OTP at a time per credential across this run's workers: the service honours
    only the last code it sent (CSC1 §11.8), so no worker may send a code while another has
    one on its way to ``credentials/authorize``. Reentrant within a process."""
    if not (need or factors_of(flow, cred)).online:
        yield
        return
    key = hashlib.sha256(f"{flow.target.base_url} {cred.credential_id}".encode()).hexdigest()
    path = str(Path(tempfile.gettempdir()) / f"cscsuite-otp-{key[:16]}.lock")
    lock = _OTP_LOCKS.setdefault(path, FileLock(path))
    with lock.acquire(timeout=flow.world.profile.timeouts.request_s * 4):
        yield


def right_factors(flow: Driver, cred: CredentialInfo,
                  need: Factors | None = None) -> dict[str, Any]:
    """The right PIN and OTP for ``cred`` (sending the online OTP first)."""
    ident = owner(flow)
    need = need or factors_of(flow, cred)
    if not need.known:  # the service did not say: send what the profile has
        return {"pin": ident.values.get("pin"), "otp": ident.values.get("credential_otp")}
    factors: dict[str, Any] = {}
    if need.pin:
        factors["pin"] = _value(ident, "pin", cred)
    if need.otp:
        factors["otp"] = online_otp(flow, cred) if need.online \
            else _value(ident, "credential_otp", cred)
    return factors


def _value(ident: Identity, key: str, cred: CredentialInfo) -> str:
    """A factor from the profile. Without it the credential's own mechanism cannot be tried:
    the target may be fine (a discovered explicit credential of a profile written without PINs),
    so the scenario skips with the reason instead of blaming the service or the suite."""
    value = ident.values.get(key)
    if not value:
        pytest.skip(f"target lacks capability 'explicit_credential' as far as this profile goes: "
                    f"credential {cred.credential_id} asks for a {key.replace('_', ' ')} and the "
                    f"profile gives none (identities.{ident.name}.values.{key})")
    return str(value)


def send_otp(flow: Driver, credential_id: str) -> ApiResponse:
    """``credentials/sendOTP`` [CSC1 §11.8]; the answer is not judged here."""
    resp = flow.api.call("credentials/sendOTP",
                         {"credentialID": credential_id}, flow.world.service_token)
    flow.world.response, flow.world.outcome = resp, None
    return resp


def online_otp(flow: Driver, cred: CredentialInfo) -> str:
    """Send the credential's OTP and read it where the profile says it arrives (set-up)."""
    resp = send_otp(flow, cred.credential_id)
    if not 200 <= resp.status < 300:
        raise HarnessError(f"credentials/sendOTP for {cred.credential_id} failed: HTTP "
                           f"{resp.status} {resp.error or ''}".rstrip(), flow.ev(resp))
    return read_otp(flow, owner(flow))


def read_otp(flow: Driver, ident: Identity) -> str:
    """The code the service just sent to ``ident`` (profile ``otp`` source)."""
    src = ident.otp
    if src is None or src.kind == "none":
        raise HarnessError(f"the credential sends its OTP online and the profile says nowhere "
                           f"where it arrives (identities.{ident.name}.otp)")
    if src.kind in ("env", "static"):
        return str(src.value or "")
    url = expand(src.url or "", base_url=flow.target.base_url,
                 username=str(ident.values.get("username", "")))
    resp = flow.api.http.get(url)
    code = resp.field(src.field or "code")
    if resp.status != 200 or not isinstance(code, str) or not code:
        raise HarnessError(f"no one-time code arrived at the profile's OTP source (HTTP "
                           f"{resp.status})", flow.ev(resp))
    return code


def check_authorized(flow: Driver, resp: ApiResponse) -> None:
    """Set-up (a positive control): the right factors authorized the credential, else the
    scenario errors: a refusal judged later then answers the one factor under test."""
    if resp.status != 200 or not flow.world.sad:
        raise HarnessError(f"the right factors did not authorize the credential: HTTP "
                           f"{resp.status} {resp.error or ''}".rstrip(), flow.ev(resp))


def ec_key(cred: CredentialInfo) -> bool:
    """Whether the credential's ``key/algo`` names an EC key and no RSA algorithm."""
    return ec_algorithms(cred.key_algos)


def ec_algorithms(key_algos: Sequence[str]) -> bool:
    """Whether a ``key/algo`` list names an EC key and no RSA algorithm."""
    return any(a.startswith("1.2.840.10045.") for a in key_algos) and not any(
        a.startswith("1.2.840.113549.1.1.") for a in key_algos)


def signing_algorithm(cred: CredentialInfo, hash_oid: str | None) -> str:
    """A signature algorithm of the credential's key for hashes of ``hash_oid`` (vocabulary
    name): RSA with a separate hash algorithm, or ECDSA with the hash."""
    return key_algorithm(cred.key_algos, hash_oid)


def key_algorithm(key_algos: Sequence[str], hash_oid: str | None) -> str:
    """``signing_algorithm`` for a ``key/algo`` list (e.g. one discovery read)."""
    if ec_algorithms(key_algos):
        return _ECDSA_BY_HASH.get(hash_oid or "", "ECDSA with SHA-256")
    return "RSA with a separate hash algorithm"


_ECDSA_BY_HASH = {"2.16.840.1.101.3.4.2.1": "ECDSA with SHA-256",
                  "2.16.840.1.101.3.4.2.2": "ECDSA with SHA-384"}
