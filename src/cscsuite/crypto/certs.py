"""Certificate parsing for the verifier: one summary object per certificate.

asn1crypto parses the structure (extensions included); importing pyHanko's ``qualified_asn1``
registers the QC statements extension (1.3.6.1.5.5.7.1.3, ETSI EN 319 412-5) with asn1crypto, so
its statements parse instead of staying opaque. cryptography gives RFC 4514 DNs and public keys.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from cscsuite.crypto.errors import VerificationError
from cscsuite.crypto.oids import CURVE_BY_SECG_NAME

QC_STATEMENTS_EXT = "1.3.6.1.5.5.7.1.3"
QC_COMPLIANCE = "0.4.0.1862.1.1"
QC_SSCD = "0.4.0.1862.1.4"
QC_TYPE = "0.4.0.1862.1.6"
QC_TYPE_ESIGN = "0.4.0.1862.1.6.1"

#: ETSI EN 319 411-2 qualified certificate policies: QCP-n, QCP-l, QCP-n-qscd, QCP-l-qscd, QCP-w.
QUALIFIED_POLICIES: frozenset[str] = frozenset(
    f"0.4.0.194112.1.{n}" for n in range(5)
)


class CertificateParseError(VerificationError):
    """The bytes are not a parseable X.509 certificate."""

    reason = "bad_certificate"


@dataclass(frozen=True)
class CertSummary:
    """The facts the checks compare; DNs in RFC 4514 form, times timezone-aware UTC."""

    der: bytes
    subject_dn: str
    issuer_dn: str
    serial: int
    not_before: datetime
    not_after: datetime
    key_usage: frozenset[str]
    policies: tuple[str, ...]
    qc_statements: tuple[str, ...]
    qc_types: tuple[str, ...]
    key_family: str  # "rsa" | "ec" | other asn1crypto algorithm name
    key_bits: int
    curve_oid: str | None
    is_ca: bool


def to_der(data: bytes | str) -> bytes:
    """DER bytes from DER, PEM, or a base64 string (as in ``cert.certificates``)."""
    if isinstance(data, str):
        if "-----BEGIN" not in data:
            try:
                return base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise CertificateParseError(f"certificate is not base64: {exc}") from None
        data = data.encode("ascii")
    raw: bytes = data
    if pem.detect(raw):
        _, _, raw = pem.unarmor(raw)
    return raw


def _qualified_asn1() -> ModuleType:
    """pyHanko's QC statements module; importing it registers the extension with asn1crypto.

    Imported on first use rather than at collection: it costs most of a second of start-up.
    """
    from pyhanko.sign.ades import qualified_asn1

    return qualified_asn1


def load_asn1(data: bytes | str) -> asn1_x509.Certificate:
    """An asn1crypto certificate, fully parsed (so garbage fails here, not later)."""
    _qualified_asn1()  # before the parse, so the QC statements extension parses too
    der = to_der(data)
    try:
        cert = asn1_x509.Certificate.load(der)
        cert.native  # noqa: B018 - force a full parse
    except (ValueError, TypeError) as exc:
        raise CertificateParseError(f"not an X.509 certificate: {exc}") from None
    return cert


def load_x509(data: bytes | str) -> x509.Certificate:
    """A cryptography certificate (for public keys, RFC 4514 names, issuance checks)."""
    try:
        return x509.load_der_x509_certificate(to_der(data))
    except ValueError as exc:
        raise CertificateParseError(f"not an X.509 certificate: {exc}") from None


def public_key(data: bytes | str) -> CertificatePublicKeyTypes:
    return load_x509(data).public_key()


def qc_statements(cert: asn1_x509.Certificate) -> list[tuple[str, object]]:
    """(statement OID, parsed statement info or None) for each QC statement."""
    out: list[tuple[str, object]] = []
    for st in _qualified_asn1().get_qc_statements(cert):
        info = st["statement_info"]
        out.append((st["statement_id"].dotted, None if info.native is None else info))
    return out


def _qc_types(statements: list[tuple[str, object]]) -> tuple[str, ...]:
    types: list[str] = []
    for oid, info in statements:
        if oid == QC_TYPE and info is not None:
            types.extend(t.dotted for t in info)  # type: ignore[attr-defined]
    return tuple(types)


def summarize(data: bytes | str) -> CertSummary:
    """Parse once and collect everything the verification checks need."""
    cert = load_asn1(data)
    crypto_cert = load_x509(cert.dump())
    tbs = cert["tbs_certificate"]
    pk = cert.public_key
    curve_oid = None
    if pk.algorithm == "ec":
        kind, name = pk.curve
        curve_oid = CURVE_BY_SECG_NAME.get(name, name) if kind == "named" else None
    ku = cert.key_usage_value
    policies = cert.certificate_policies_value
    bc = cert.basic_constraints_value
    statements = qc_statements(cert)
    return CertSummary(
        der=cert.dump(),
        subject_dn=crypto_cert.subject.rfc4514_string(),
        issuer_dn=crypto_cert.issuer.rfc4514_string(),
        serial=tbs["serial_number"].native,
        not_before=tbs["validity"]["not_before"].native,
        not_after=tbs["validity"]["not_after"].native,
        key_usage=frozenset(ku.native) if ku is not None else frozenset(),
        policies=tuple(p["policy_identifier"].dotted for p in policies) if policies else (),
        qc_statements=tuple(oid for oid, _ in statements),
        qc_types=_qc_types(statements),
        key_family=pk.algorithm,
        # cryptography's key_size is the curve's field size (521 for P-521); asn1crypto's
        # bit_size rounds an EC point to whole bytes (528).
        key_bits=getattr(crypto_cert.public_key(), "key_size", pk.bit_size),
        curve_oid=curve_oid,
        is_ca=bool(bc is not None and bc["ca"].native),
    )


def extension_criticality(data: bytes | str) -> dict[str, bool]:
    """Each extension of the certificate (asn1crypto's name, e.g. ``key_usage``, or its OID) and
    whether it is marked critical: the certificate profiles fix criticality per extension."""
    extensions = load_asn1(data)["tbs_certificate"]["extensions"]
    return {ext["extn_id"].native: bool(ext["critical"].native) for ext in extensions}


def revocation_urls(data: bytes | str) -> list[str]:
    """CRL distribution point and OCSP responder URLs named by the certificate."""
    cert = load_asn1(data)
    urls = [dp.url for dp in cert.crl_distribution_points if dp.url]
    return urls + list(cert.ocsp_urls)


def directly_issued(child: bytes | str, issuer: bytes | str) -> bool:
    """True when ``issuer``'s subject is ``child``'s issuer and its key verifies the signature."""
    try:
        load_x509(child).verify_directly_issued_by(load_x509(issuer))
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True
