"""Checks on the certificate profile: which extensions the chain marks critical, and where a
qualified certificate says its issuer's certificate is.

A relying party rejects a certificate with a critical extension it does not understand (RFC 5280
§4.2), and the profiles fix criticality per extension, so a wrong flag is a real interoperability
fault. Inputs are the DER (or PEM/base64) certificates the service returned, end entity first.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7

from cscsuite import revocation_sources
from cscsuite.checks.base import clause, expect, should
from cscsuite.crypto.certs import extension_criticality, summarize, to_der

Cert = bytes | str

#: asn1crypto's names of the key identifier extensions.
KEY_IDENTIFIERS = ("key_identifier", "authority_key_identifier")


def _label(index: int, cert: Cert) -> str:
    return f"certificate {index} ({summarize(cert).subject_dn})"


@clause("RFC5280-4.2.1.2", "Conforming CAs MUST mark the subject (and authority, §4.2.1.1) key "
        "identifier extension non-critical")
def check_key_identifiers_non_critical(certs: Sequence[Cert], *,
                                       evidence: str | None = None) -> None:
    critical = [f"{_label(i, c)}: {name}" for i, c in enumerate(certs)
                for name, flag in extension_criticality(c).items()
                if flag and name in KEY_IDENTIFIERS]
    expect(not critical, "key identifiers non-critical", f"critical: {critical}", evidence)


@clause("EN319412-2-4.3.2", "The key usage extension of a certificate issued to a natural person "
        "shall be present and marked critical")
def check_signer_key_usage_critical(cert: Cert, *, evidence: str | None = None) -> None:
    flag = extension_criticality(cert).get("key_usage")
    expect(flag is True, "keyUsage present and critical",
           "keyUsage absent" if flag is None else "keyUsage non-critical", evidence)


@should
@clause("RFC5280-4.2.1.3", "A CA certificate carries keyUsage (keyCertSign), which conforming CAs "
        "SHOULD mark critical")
def check_ca_key_usage_critical(certs: Sequence[Cert], *, evidence: str | None = None) -> None:
    cas = [(i, c) for i, c in enumerate(certs) if summarize(c).is_ca]
    expect(bool(cas), "at least one CA certificate in the chain", "none", evidence,
           requirement="The chain holds its CA certificates")
    lax = [_label(i, c) for i, c in cas if extension_criticality(c).get("key_usage") is not True]
    expect(not lax, "keyUsage critical in every CA certificate", f"not critical in {lax}",
           evidence)


@clause("EN319412-2-4.4.1", "A qualified certificate's authority information access names where "
        "its issuer's certificate is (id-ad-caIssuers), and that location serves it")
def check_ca_issuers(cert: Cert, issuer: Cert, *, evidence: str | None = None) -> None:
    urls = revocation_sources.ca_issuer_urls(to_der(cert))
    expect(bool(urls), "an id-ad-caIssuers location over HTTP(S)",
           "none in the authority information access", evidence)
    wanted = x509.load_der_x509_certificate(to_der(issuer))
    for url in urls:
        answer = revocation_sources.fetch_published(url)
        expect(answer.body is not None, f"HTTP 200 from {url}", answer.error, evidence)
        served = _certificates(answer.body or b"")
        expect(any(c.subject == wanted.subject and c.public_key() == wanted.public_key()
                   for c in served),
               f"the issuer's certificate ({wanted.subject.rfc4514_string()})",
               f"{len(served)} other certificate(s) from {url}" if served
               else f"no certificate (DER, or PKCS#7 certs-only) from {url}", evidence)


def _certificates(body: bytes) -> list[x509.Certificate]:
    """The certificates a caIssuers location serves: one DER certificate or a PKCS#7 bundle
    (RFC 5280 §4.2.2.1 allows both)."""
    try:
        return [x509.load_der_x509_certificate(body)]
    except ValueError:
        pass
    try:
        return list(pkcs7.load_der_pkcs7_certificates(body))
    except ValueError:
        return []
