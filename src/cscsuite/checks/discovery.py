"""Checks on ``info`` and the authorization server metadata (CSC1 §11.1, CSC2 §11.1, RFC 8414).

Inputs are the parsed ``info`` body (a dict), the API version and plain values, so each check can
be tested without a service.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from asn1crypto import algos as asn1_algos

from cscsuite.checks.base import clause, expect, fail, should
from cscsuite.crypto import oids

REQUIRED: dict[str, tuple[str, ...]] = {
    "v1": ("specs", "name", "logo", "region", "lang", "description", "authType", "methods"),
    "v2": ("specs", "name", "logo", "region", "lang", "description", "authType", "methods",
           "signAlgorithms", "signature_formats", "conformance_levels"),
}
AUTH_TYPES = frozenset({"external", "TLS", "basic", "digest", "oauth2code", "oauth2client"})
OID_RE = re.compile(r"^[0-2](\.(0|[1-9]\d*))+$")
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@clause("CSC1-11.1", "info carries every required output field (spec-notes §10 item 2)")
def check_required_fields(body: Mapping[str, Any], version: str, *,
                          evidence: str | None = None) -> None:
    missing = [f for f in REQUIRED[version] if f not in body]
    expect(not missing, list(REQUIRED[version]), f"missing {missing}", evidence)


@clause("CSC1-11.1", "The specs major version equals the API version of the path")
def check_specs_major(specs: Any, version: str, *, evidence: str | None = None) -> None:
    major = version.removeprefix("v")
    ok = isinstance(specs, str) and re.fullmatch(rf"{major}\.\d+\.\d+\.\d+", specs) is not None
    expect(ok, f"'{major}.x.y.z'", repr(specs), evidence)


@clause("CSC1-11.1", "name and description are at most 255 characters")
def check_text_lengths(body: Mapping[str, Any], *, evidence: str | None = None) -> None:
    for name in ("name", "description"):
        value = body.get(name)
        expect(isinstance(value, str) and 0 < len(value) <= 255, "1..255 characters",
               f"{type(value).__name__} of length {len(value) if isinstance(value, str) else '-'}",
               evidence, requirement=f"{name} is a string of 1 to 255 characters")


@clause("CSC1-11.1", "region is an ISO 3166-1 alpha-2 code")
def check_region(region: Any, *, evidence: str | None = None) -> None:
    ok = isinstance(region, str) and re.fullmatch(r"[A-Z]{2}", region) is not None
    expect(ok, "two capital letters", repr(region), evidence)


@clause("CSC1-11.1", "Every authType is one of the defined values (spec-notes §10 item 5)")
def check_auth_types(auth_types: Any, *, evidence: str | None = None) -> None:
    ok = isinstance(auth_types, list) and bool(auth_types)
    expect(ok, "a non-empty array", repr(auth_types), evidence,
           requirement="authType is a non-empty array")
    unknown = [a for a in auth_types if a not in AUTH_TYPES]
    expect(not unknown, sorted(AUTH_TYPES), f"unknown {unknown}", evidence)


def _is_service_uri(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    if parts.scheme == "https":
        return bool(parts.netloc)
    return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK


@clause("CSC1-11.1", "With an OAuth authType, info names the authorization server by an https "
        "URI (http allowed on loopback only) (spec-notes §10 item 6)")
def check_oauth_server_named(body: Mapping[str, Any], version: str, *,
                             evidence: str | None = None) -> None:
    auth = body.get("authType") or []
    if not {"oauth2code", "oauth2client"} & set(auth if isinstance(auth, list) else []):
        return
    names = ["oauth2"] + (["oauth2Issuer"] if version == "v2" else [])
    given = {n: body[n] for n in names if n in body}
    expect(bool(given), " or ".join(names), "neither present", evidence,
           requirement="info names the authorization server")
    bad = {n: v for n, v in given.items() if not _is_service_uri(v)}
    expect(not bad, "an absolute https URI", bad, evidence,
           requirement="The authorization server URI is https")


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) of a PNG or JPEG, or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return "jpeg", width, height
            i += 2 + length
    return None


@clause("CSC1-11.1", "The logo is a published PNG or JPEG of at most 256x256 pixels "
        "(spec-notes §10 item 7)")
def check_logo(status: int, content_type: str, data: bytes, *,
               evidence: str | None = None) -> None:
    expect(status == 200, "HTTP 200", f"HTTP {status}", evidence,
           requirement="The logo is published")
    ctype = content_type.split(";")[0].strip().lower()
    expect(ctype in ("image/png", "image/jpeg"), "image/png or image/jpeg",
           ctype or "no Content-Type", evidence, requirement="The logo is PNG or JPEG")
    size = image_size(data)
    if size is None:
        fail("PNG or JPEG image data", f"{len(data)} bytes of something else", evidence,
             requirement="The logo is PNG or JPEG")
        return
    _fmt, width, height = size
    expect(width <= 256 and height <= 256, "at most 256x256", f"{width}x{height}", evidence,
           requirement="The logo is at most 256x256 pixels")


@clause("CSC1-11.1", "An unsupported lang is answered in the service's own language "
        "(spec-notes §10 item 8)")
def check_lang_fallback(body: Mapping[str, Any], requested: str, own_lang: Any, *,
                        evidence: str | None = None) -> None:
    lang = body.get("lang")
    expect(lang == own_lang and lang != requested, f"lang {own_lang!r}", f"lang {lang!r}", evidence)


@clause("CSC2-11.1", "signAlgorithms.algos are dotted OIDs; algoParams line up with algos "
        "(spec-notes §10 item 10)")
def check_sign_algorithms(body: Mapping[str, Any], *, evidence: str | None = None) -> None:
    algos_obj = body.get("signAlgorithms")
    algos = algos_obj.get("algos") if isinstance(algos_obj, dict) else None
    expect(isinstance(algos, list) and bool(algos), "a non-empty array", repr(algos_obj), evidence,
           requirement="signAlgorithms.algos is a non-empty array")
    algos = algos if isinstance(algos, list) else []
    bad = [a for a in algos if not (isinstance(a, str) and OID_RE.match(a))]
    expect(not bad, "dotted numeric OIDs", bad, evidence,
           requirement="Every signature algorithm is a dotted OID")
    params = algos_obj.get("algoParams") if isinstance(algos_obj, dict) else None
    if params is not None:
        _check_algo_params(params, len(algos), evidence=evidence)


@should  # inferred (spec-notes §10 item 10): a SHOULD at most
@clause("CSC2-11.1", "algoParams has one entry per algorithm (inferred; spec-notes §10 item 10)")
def _check_algo_params(params: Any, count: int, *, evidence: str | None = None) -> None:
    expect(isinstance(params, list) and len(params) == count, f"{count} entries",
           f"{len(params) if isinstance(params, list) else repr(params)} entries", evidence)


#: base64 of DER NULL, the parameters of the PKCS#1 v1.5 signature OIDs (RFC 8017 §A.2.4).
DER_NULL_B64 = "BQA="


def _params_fit(oid: str, value: str) -> bool:
    """An algoParams entry fits its algorithm: RSASSA-PSS-params for RSASSA-PSS, nothing (or
    DER NULL) for the algorithms the suite knows to take none; unknown algorithms pass."""
    if value in ("", None) or oid not in oids.SIGN_ALGORITHMS:
        return True
    if oid != oids.RSASSA_PSS:
        return value == DER_NULL_B64 and oids.SIGN_ALGORITHMS[oid].family == "rsa"
    try:
        parsed = asn1_algos.RSASSAPSSParams.load(base64.b64decode(value, validate=True)).native
    except (ValueError, TypeError, binascii.Error):
        return False
    return isinstance(parsed, dict)


@clause("CSC2-11.1", "algoParams[i] are the parameters of algos[i]: RSASSA-PSS-params only for "
        "RSASSA-PSS; none for ECDSA (RFC 5758 §3.2), at most NULL for PKCS#1 v1.5 (RFC 8017 "
        "§A.2.4)")
def check_algo_params_fit(body: Mapping[str, Any], *, evidence: str | None = None) -> None:
    algos_obj = body.get("signAlgorithms")
    algos = algos_obj.get("algos") if isinstance(algos_obj, dict) else None
    params = algos_obj.get("algoParams") if isinstance(algos_obj, dict) else None
    if not isinstance(algos, list) or not isinstance(params, list):
        return
    wrong = {a: p for a, p in zip(algos, params, strict=False)
             if isinstance(a, str) and not (isinstance(p, str) and _params_fit(a, p))}
    expect(not wrong, "each algorithm's own parameters (or none)", f"misfits {wrong}", evidence)


@clause("CSC1-11", "Every advertised method answers (not 404/501) (spec-notes §10 item 11)")
def check_methods_exist(statuses: Mapping[str, int], *, evidence: str | None = None) -> None:
    missing = {m: s for m, s in statuses.items() if s in (404, 405, 501)}
    expect(not missing, "a status other than 404/405/501", missing, evidence)


@clause("CSC1-10", "A method that is not offered answers 404 or 501")
def check_method_absent(status: int, *, evidence: str | None = None) -> None:
    expect(status in (404, 501), "HTTP 404 or 501", f"HTTP {status}", evidence)


@should
@clause("RFC8414-3", "The metadata names issuer, authorization and token endpoints")
def check_metadata(meta: Mapping[str, Any], *, evidence: str | None = None) -> None:
    missing = [k for k in ("issuer", "authorization_endpoint", "token_endpoint")
               if not isinstance(meta.get(k), str)]
    expect(not missing, "issuer, authorization_endpoint, token_endpoint", f"missing {missing}",
           evidence)


@should
@clause("RFC8414-3.3", "The metadata issuer is the authorization server info names")
def check_issuer_matches(meta_issuer: Any, named: str | None, *,
                         evidence: str | None = None) -> None:
    norm = (named or "").rstrip("/")
    expect(isinstance(meta_issuer, str) and meta_issuer.rstrip("/") == norm, norm,
           repr(meta_issuer), evidence)


@clause("PS-live", "The PrimeSign test host keeps its published info values (regression pin)")
def check_pinned(body: Mapping[str, Any], pins: Mapping[str, Any], *,
                 evidence: str | None = None) -> None:
    differ = {k: body.get(k) for k, v in pins.items() if body.get(k) != v}
    expect(not differ, dict(pins), differ, evidence,
           requirement="The test host keeps its published info values")


def advertised_methods(body: Mapping[str, Any]) -> Sequence[str]:
    methods = body.get("methods")
    return [m for m in methods if isinstance(m, str)] if isinstance(methods, list) else []
