"""Test keys, certificates and CRLs for the verifier's tests, made here with cryptography.

Deliberately independent of the sandbox's PKI (two readings of the spec must stay two).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
from cryptography.x509.oid import NameOID
from pyhanko.sign.ades import qualified_asn1

NOW = datetime.now(UTC).replace(microsecond=0)
QCP_N_QSCD = "0.4.0.194112.1.2"
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@functools.cache
def rsa_key(bits: int = 2048, n: int = 0) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, bits)


@functools.cache
def ec_key(curve: str = "P-256", n: int = 0) -> ec.EllipticCurvePrivateKey:
    curves = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
    return ec.generate_private_key(curves[curve])


def name(cn: str, org: str = "Test Org") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "AT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def qc_statements_der(esign: bool = True) -> bytes:
    statements = [{"statement_id": "qc_compliance"}, {"statement_id": "qc_sscd"}]
    if esign:
        statements.append({"statement_id": "qc_type",
                           "statement_info": qualified_asn1.QcCertificateType(["qct_esign"])})
    return qualified_asn1.QcStatements(statements).dump()


def make_cert(subject: x509.Name, key: PrivateKey, issuer: x509.Name | None = None,
              issuer_key: PrivateKey | None = None, *, ca: bool = False,
              non_repudiation: bool = True, qc: bool = True, policy: str | None = QCP_N_QSCD,
              not_before: datetime | None = None, not_after: datetime | None = None,
              crl_url: str | None = None, serial: int | None = None,
              ca_issuers_url: str | None = None) -> bytes:
    """A DER certificate; an end entity by default with QC statements and a QCP-n-qscd policy."""
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer or subject)
         .public_key(key.public_key())
         .serial_number(serial or x509.random_serial_number())
         .not_valid_before(not_before or NOW - timedelta(days=1))
         .not_valid_after(not_after or NOW + timedelta(days=365))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    b = b.add_extension(x509.KeyUsage(
        digital_signature=not ca, content_commitment=non_repudiation and not ca,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
    if not ca and qc:
        b = b.add_extension(x509.UnrecognizedExtension(
            x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3"), qc_statements_der()), critical=False)
    if not ca and policy:
        b = b.add_extension(x509.CertificatePolicies(
            [x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]), critical=False)
    if crl_url:
        b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            [x509.UniformResourceIdentifier(crl_url)], None, None, None)]), critical=False)
    if ca_issuers_url:
        b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
            x509.UniformResourceIdentifier(ca_issuers_url))]), critical=False)
    cert = b.sign(issuer_key or key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class Pki:
    """root -> intermediate -> end entity; keys kept for signing CRLs and values."""

    root: bytes
    inter: bytes
    ee: bytes
    inter_key: PrivateKey
    ee_key: PrivateKey


def make_pki(ee_key: PrivateKey | None = None, crl_url: str | None = None, **ee_opts) -> Pki:
    root_key, inter_key = ec_key("P-384", 1), ec_key("P-384", 2)
    ee_key = ee_key or rsa_key()
    root = make_cert(name("Test Root CA"), root_key, ca=True)
    inter = make_cert(name("Test Issuing CA"), inter_key, name("Test Root CA"), root_key, ca=True)
    ee = make_cert(name("Alice Signer"), ee_key, name("Test Issuing CA"), inter_key,
                   crl_url=crl_url, **ee_opts)
    return Pki(root, inter, ee, inter_key, ee_key)


def make_crl(issuer_der: bytes, issuer_key: PrivateKey, revoked_serials: list[int]) -> bytes:
    issuer = x509.load_der_x509_certificate(issuer_der)
    b = (x509.CertificateRevocationListBuilder().issuer_name(issuer.subject)
         .last_update(NOW - timedelta(minutes=5)).next_update(NOW + timedelta(days=1))
         .add_extension(x509.CRLNumber(1), critical=False))
    for serial in revoked_serials:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                      .revocation_date(NOW - timedelta(minutes=10)).build())
    return b.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def serial_of(der: bytes) -> int:
    return x509.load_der_x509_certificate(der).serial_number


def digest(data: bytes = b"document", algo: str = "sha256") -> bytes:
    return hashlib.new(algo, data).digest()


_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512,
           "sha1": hashes.SHA1}


def sign_rsa(key: rsa.RSAPrivateKey, dgst: bytes, algo: str = "sha256", *,
             pss_salt: int | None = None, mgf_algo: str | None = None) -> bytes:
    h = _HASHES[algo]()
    pad: padding.AsymmetricPadding = padding.PKCS1v15() if pss_salt is None else padding.PSS(
        padding.MGF1(_HASHES[mgf_algo or algo]()), pss_salt)
    return key.sign(dgst, pad, Prehashed(h))


def sign_ecdsa(key: ec.EllipticCurvePrivateKey, dgst: bytes, algo: str = "sha256",
               plain: bool = False) -> bytes:
    der = key.sign(dgst, ec.ECDSA(Prehashed(_HASHES[algo]())))
    if not plain:
        return der
    n = (key.curve.key_size + 7) // 8
    r, s = decode_dss_signature(der)
    return r.to_bytes(n, "big") + s.to_bytes(n, "big")
