"""Certificates of the time-stamping authority: its issuing CA and the TSA unit (RFC 3161 §2.3).

The TSA has its own issuing CA under the test root, as time-stamping units of real trust service
providers do, so its CRL is separate from the qualified CA's. The unit's certificate carries the
only extended key usage ``timeStamping``, critical (RFC 3161 §2.3), and publishes the RFC 3161
HTTP endpoint in its subject information access (``id-ad-timeStamping``, RFC 5280 §4.2.2.2).
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier

from cscsandbox.pki import certs
from cscsandbox.pki.keys import PrivateKey

#: id-ad-timeStamping (RFC 5280 §4.2.2.2).
AD_TIME_STAMPING = ObjectIdentifier("1.3.6.1.5.5.7.48.3")

CA_NAME = "cscsandbox Time-Stamping CA"
UNIT_NAME = "cscsandbox Time-Stamping Unit"


def tsa_ca(key: PrivateKey, root_key: PrivateKey, root: x509.Certificate,
           urls: certs.Urls) -> x509.Certificate:
    """The issuing CA of the time-stamping unit, under the test root."""
    now = certs._now()
    builder = certs._base(certs._name(CA_NAME), root.subject, key, root_key,
                          now - dt.timedelta(days=3000), now + dt.timedelta(days=5000))
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    builder = builder.add_extension(certs._ca_usage(), True)
    return certs._revocation_info(builder, urls).sign(root_key, hashes.SHA384())


def tsa_unit(key: PrivateKey, ca_key: PrivateKey, ca: x509.Certificate, urls: certs.Urls,
             tsa_url: str, *, eku_critical: bool = True) -> x509.Certificate:
    """The TSA unit's certificate; ``eku_critical=False`` only for the defect switch."""
    now = certs._now()
    builder = certs._base(certs._name(UNIT_NAME), ca.subject, key, ca_key,
                          now - dt.timedelta(days=1), now + dt.timedelta(days=1825))
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
    builder = builder.add_extension(x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False), True)
    builder = builder.add_extension(
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), eku_critical)
    builder = builder.add_extension(x509.SubjectInformationAccess(
        [x509.AccessDescription(AD_TIME_STAMPING, x509.UniformResourceIdentifier(tsa_url))]),
        False)
    return certs._revocation_info(builder, urls).sign(ca_key, hashes.SHA384())
