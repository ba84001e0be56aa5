"""Compare the ``certInfo`` fields of credentials/info with the certificate itself (CSC1 §11.5).

DNs are compared as multisets of (attribute OID, value): RDN order (Java prints them reversed),
spaces around separators, attribute-name spelling (``SN`` / ``SURNAME`` / ``2.5.4.4``) and
letter case (X.520 caseIgnoreMatch) do not matter; a different value does. Serials compare as
integers from hex; dates as ``YYYYMMDDHHMMSSZ`` against the certificate's validity.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cscsuite.crypto.certs import load_x509, summarize

#: RFC 4514 / X.520 attribute names (upper case) -> OID; what services print in the wild.
ATTRIBUTE_OIDS: dict[str, str] = {
    "CN": "2.5.4.3", "COMMONNAME": "2.5.4.3", "SN": "2.5.4.4", "SURNAME": "2.5.4.4",
    "SERIALNUMBER": "2.5.4.5", "C": "2.5.4.6", "L": "2.5.4.7", "ST": "2.5.4.8",
    "S": "2.5.4.8", "STREET": "2.5.4.9", "O": "2.5.4.10", "OU": "2.5.4.11", "T": "2.5.4.12",
    "TITLE": "2.5.4.12", "GIVENNAME": "2.5.4.42", "GN": "2.5.4.42", "G": "2.5.4.42",
    "INITIALS": "2.5.4.43", "PSEUDONYM": "2.5.4.65", "ORGANIZATIONIDENTIFIER": "2.5.4.97",
    "DC": "0.9.2342.19200300.100.1.25", "UID": "0.9.2342.19200300.100.1.1",
    "E": "1.2.840.113549.1.9.1", "EMAILADDRESS": "1.2.840.113549.1.9.1",
}
DATE_RE = re.compile(r"^\d{14}Z$")
FIELDS = ("issuerDN", "serialNumber", "subjectDN", "validFrom", "validTo")

Attribute = tuple[str, str]


@dataclass(frozen=True)
class Mismatch:
    """One certInfo field that does not agree with the certificate."""

    field: str
    expected: str  # from the certificate
    actual: Any  # as the service sent it
    why: str


def _split(text: str, seps: str) -> list[str]:
    """Split on unescaped separator characters (RFC 4514 backslash escapes kept)."""
    parts, buf, escaped = [], [], False
    for ch in text:
        if escaped:
            buf.append(ch)
            escaped = False
        elif ch == "\\":
            buf.append(ch)
            escaped = True
        elif ch in seps:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _unescape(value: str) -> str:
    """Undo RFC 4514 escapes: ``\\,`` style and ``\\C3\\BC`` UTF-8 hex pairs."""
    out = bytearray()
    i = 0
    while i < len(value):
        if value[i] == "\\" and re.fullmatch(r"[0-9A-Fa-f]{2}", value[i + 1:i + 3]):
            out.append(int(value[i + 1:i + 3], 16))
            i += 3
            continue
        if value[i] == "\\" and i + 1 < len(value):
            i += 1
        out.extend(value[i].encode())
        i += 1
    return out.decode("utf-8", errors="replace")


def _norm_value(value: str) -> str:
    return " ".join(value.split()).casefold()


def parse_dn(dn: str) -> list[Attribute]:
    """(OID, normalised value) pairs of an RFC 4514-ish DN string; ValueError when unparseable."""
    attrs: list[Attribute] = []
    for rdn in _split(dn.strip(), ",;"):
        for ava in _split(rdn, "+"):
            name, sep, value = ava.partition("=")
            if not sep:
                raise ValueError(f"no '=' in DN component {ava!r}")
            key = name.strip().upper().removeprefix("OID.")
            oid = ATTRIBUTE_OIDS.get(key, key if re.fullmatch(r"\d+(\.\d+)+", key) else "")
            if not oid:
                raise ValueError(f"unknown DN attribute {name.strip()!r}")
            attrs.append((oid, _norm_value(_unescape(value.strip()))))
    return attrs


def _cert_dn(der: bytes, which: str) -> list[Attribute]:
    name = getattr(load_x509(der), which)
    return [(a.oid.dotted_string, _norm_value(str(a.value))) for a in name]


def dn_equal(dn: str, der: bytes, which: str = "subject") -> bool:
    """True when ``dn`` names the certificate's subject (or issuer) up to order and spacing."""
    try:
        return sorted(parse_dn(dn)) == sorted(_cert_dn(der, which))
    except ValueError:
        return False


def serial_equal(serial_hex: Any, serial: int) -> bool:
    """Hex serial (any case, optional 0x / colons / leading zeros) equals the integer serial."""
    if not isinstance(serial_hex, str):
        return False
    text = serial_hex.strip().replace(":", "").removeprefix("0x").removeprefix("0X")
    return bool(re.fullmatch(r"[0-9A-Fa-f]+", text)) and int(text, 16) == serial


def format_time(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%SZ")


def compare_cert_info(cert_info: Mapping[str, Any], cert_der: bytes) -> list[Mismatch]:
    """Every disagreement between the five certInfo fields and the certificate (empty: match)."""
    s = summarize(cert_der)
    out: list[Mismatch] = []
    for field, expected, which in (("issuerDN", s.issuer_dn, "issuer"),
                                   ("subjectDN", s.subject_dn, "subject")):
        got = cert_info.get(field)
        if not isinstance(got, str) or not dn_equal(got, s.der, which):
            out.append(Mismatch(field, expected, got, "missing" if got is None else
                                "names a different DN"))
    got = cert_info.get("serialNumber")
    if not serial_equal(got, s.serial):
        out.append(Mismatch("serialNumber", format(s.serial, "X"), got,
                            "missing" if got is None else "not the certificate's serial (hex)"))
    for field, moment in (("validFrom", s.not_before), ("validTo", s.not_after)):
        got = cert_info.get(field)
        if not isinstance(got, str) or not DATE_RE.match(got):
            out.append(Mismatch(field, format_time(moment), got,
                                "missing" if got is None else "not YYYYMMDDHHMMSSZ"))
        elif got != format_time(moment):
            out.append(Mismatch(field, format_time(moment), got, "differs from the certificate"))
    return out
