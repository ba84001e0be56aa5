"""Certificate builders: root CA, qualified issuing CA, qualified end-entity certificates.

End-entity certificates look like qualified e-signature certificates (ETSI EN 319 412-5 QC
statements QcCompliance, QcSSCD, QcType esign; policy QCP-n-qscd; keyUsage nonRepudiation) and
point at the sandbox's own CRL and OCSP responder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asn1crypto import core
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID, ObjectIdentifier

from cscsandbox.pki.keys import PrivateKey

QC_STATEMENTS_OID = ObjectIdentifier("1.3.6.1.5.5.7.1.3")
QC_COMPLIANCE = "0.4.0.1862.1.1"
QC_SSCD = "0.4.0.1862.1.4"
QC_TYPE = "0.4.0.1862.1.6"
QC_TYPE_ESIGN = "0.4.0.1862.1.6.1"
POLICY_QCP_N_QSCD = ObjectIdentifier("0.4.0.194112.1.2")


class _QcTypes(core.SequenceOf):
    _child_spec = core.ObjectIdentifier


class _QcStatement(core.Sequence):
    _fields = [  # noqa: RUF012 - asn1crypto's declaration style
        ("statement_id", core.ObjectIdentifier),
        ("statement_info", core.Any, {"optional": True}),
    ]


class _QcStatements(core.SequenceOf):
    _child_spec = _QcStatement


def qc_statements_der() -> bytes:
    """QCStatements: QcCompliance, QcSSCD, QcType = esign."""
    return _QcStatements(
        [
            {"statement_id": QC_COMPLIANCE},
            {"statement_id": QC_SSCD},
            {"statement_id": QC_TYPE, "statement_info": _QcTypes([QC_TYPE_ESIGN])},
        ]
    ).dump()


@dataclass(frozen=True)
class Urls:
    """Where relying parties fetch revocation data for one issuer."""

    crl: str
    ocsp: str | None
    ca_issuers: str | None


def _name(common_name: str, organization: str = "cscsandbox Test PKI") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "AT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _base(
    subject: x509.Name, issuer: x509.Name, key: PrivateKey, issuer_key: PrivateKey,
    not_before: dt.datetime, not_after: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    )


def _revocation_info(builder: x509.CertificateBuilder, urls: Urls) -> x509.CertificateBuilder:
    point = x509.DistributionPoint([x509.UniformResourceIdentifier(urls.crl)], None, None, None)
    builder = builder.add_extension(x509.CRLDistributionPoints([point]), False)
    access = []
    if urls.ocsp:
        access.append(
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(urls.ocsp)
            )
        )
    if urls.ca_issuers:
        access.append(
            x509.AccessDescription(
                AuthorityInformationAccessOID.CA_ISSUERS,
                x509.UniformResourceIdentifier(urls.ca_issuers),
            )
        )
    if not access:
        return builder
    return builder.add_extension(x509.AuthorityInformationAccess(access), False)


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
        encipher_only=False, decipher_only=False,
    )


def root_ca(key: PrivateKey) -> x509.Certificate:
    name = _name("cscsandbox Test Root CA")
    now = _now()
    not_before, not_after = now - dt.timedelta(days=3650), now + dt.timedelta(days=7300)
    builder = _base(name, name, key, key, not_before, not_after)
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=1), True)
    builder = builder.add_extension(_ca_usage(), True)
    return builder.sign(key, hashes.SHA384())


def issuing_ca(
    key: PrivateKey, root_key: PrivateKey, root: x509.Certificate, urls: Urls
) -> x509.Certificate:
    now = _now()
    builder = _base(
        _name("cscsandbox Qualified Signature CA"), root.subject, key, root_key,
        now - dt.timedelta(days=3000), now + dt.timedelta(days=5000),
    )
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    builder = builder.add_extension(_ca_usage(), True)
    builder = builder.add_extension(
        x509.CertificatePolicies([x509.PolicyInformation(POLICY_QCP_N_QSCD, None)]), False
    )
    return _revocation_info(builder, urls).sign(root_key, hashes.SHA384())


@dataclass(frozen=True)
class Subject:
    """The certificate holder of one credential."""

    given_name: str
    family_name: str
    serial: str


def end_entity(
    key: PrivateKey, ca_key: PrivateKey, ca: x509.Certificate, holder: Subject, urls: Urls,
    *, expired: bool,
) -> x509.Certificate:
    """A qualified signature certificate; ``expired`` puts validity entirely in the past."""
    now = _now()
    if expired:
        not_before, not_after = now - dt.timedelta(days=400), now - dt.timedelta(days=35)
    else:
        not_before, not_after = now - dt.timedelta(days=1), now + dt.timedelta(days=730)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "AT"),
            x509.NameAttribute(NameOID.GIVEN_NAME, holder.given_name),
            x509.NameAttribute(NameOID.SURNAME, holder.family_name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, holder.serial),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{holder.given_name} {holder.family_name}"),
        ]
    )
    builder = _base(subject, ca.subject, key, ca_key, not_before, not_after)
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=False, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False,
        ),
        True,
    )
    builder = builder.add_extension(
        x509.CertificatePolicies([x509.PolicyInformation(POLICY_QCP_N_QSCD, None)]), False
    )
    builder = builder.add_extension(
        x509.UnrecognizedExtension(QC_STATEMENTS_OID, qc_statements_der()), False
    )
    return _revocation_info(builder, urls).sign(ca_key, hashes.SHA384())
