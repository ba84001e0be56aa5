"""What a certificate's own revocation services say about it: the CRL its distribution point
names (RFC 5280 §4.2.1.13) and the OCSP responder its authority information access names
(RFC 5280 §4.2.2.1, RFC 6960).

The chain checks hand revocation to certvalidator, which stops at the first source that answers
(OCSP first), so a CRL listing the wrong certificates or a responder that crashes would go
unnoticed; here each source is asked directly, with plain HTTP (the embedded service's URLs are
loopback). Fetching lives here; :mod:`cscsuite.checks.revocation_info` grades what came back.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from cscsuite.adapters.base import CredentialInfo
from cscsuite.crypto.certs import load_asn1
from cscsuite.http import fetch_client

#: RFC 6960 §A.1 media types.
OCSP_REQUEST = "application/ocsp-request"


@dataclass(frozen=True)
class Fetched:
    """One source's answer: ``body`` when it answered 200, else ``error`` says what happened."""

    url: str
    body: bytes | None = None
    error: str | None = None
    status: int | None = None


def crl_urls(cert: bytes) -> list[str]:
    """The HTTP(S) CRL distribution points the certificate names."""
    return [dp.url for dp in load_asn1(cert).crl_distribution_points
            if dp.url and dp.url.startswith(("http://", "https://"))]


def ocsp_urls(cert: bytes) -> list[str]:
    """The OCSP responders the certificate's authority information access names."""
    return [u for u in load_asn1(cert).ocsp_urls if u.startswith(("http://", "https://"))]


def ca_issuer_urls(cert: bytes) -> list[str]:
    """Where the certificate's authority information access says its issuer's certificate is
    (id-ad-caIssuers, RFC 5280 §4.2.2.1), over HTTP(S)."""
    aia = load_asn1(cert).authority_information_access_value
    return [d["access_location"].native for d in (aia or ())
            if d["access_method"].native == "ca_issuers"
            and str(d["access_location"].native).startswith(("http://", "https://"))]


def _fetch(method: str, url: str, timeout: float, **request: Any) -> Fetched:
    """One HTTP request to a revocation source: its body on 200, else what went wrong."""
    try:
        resp = fetch_client().request(method, url, timeout=timeout, **request)
    except httpx.HTTPError as err:
        return Fetched(url, error=f"{type(err).__name__}: {err}")
    if resp.status_code != 200:
        return Fetched(url, error=f"HTTP {resp.status_code}", status=resp.status_code)
    return Fetched(url, body=resp.content, status=200)


def fetch_published(url: str, timeout: float = 10.0) -> Fetched:
    """GET what a certificate says is published at ``url``: a CRL or a CA certificate."""
    return _fetch("GET", url, timeout, follow_redirects=True)


def ocsp_request(cert: bytes, issuer: bytes) -> bytes:
    """A DER OCSP request for ``cert`` (SHA-1 CertID, as RFC 5019 §2.1.1 profiles it)."""
    builder = ocsp.OCSPRequestBuilder().add_certificate(
        x509.load_der_x509_certificate(cert), x509.load_der_x509_certificate(issuer),
        hashes.SHA1())  # the CertID hash RFC 5019 requires responders to accept
    return builder.build().public_bytes(serialization.Encoding.DER)


def unissued_request(cert: bytes, issuer: bytes) -> tuple[int, bytes]:
    """A random serial under ``cert``'s issuer and a DER OCSP request about it: a certificate
    that issuer (almost surely) never issued."""
    template = ocsp.load_der_ocsp_request(ocsp_request(cert, issuer))
    serial = secrets.randbits(120) | (1 << 119)
    request = ocsp.OCSPRequestBuilder().add_certificate_by_hash(
        template.issuer_name_hash, template.issuer_key_hash, serial, hashes.SHA1()).build()
    return serial, request.public_bytes(serialization.Encoding.DER)


def post_ocsp(url: str, der: bytes, timeout: float = 10.0) -> Fetched:
    """POST a DER OCSP request (RFC 6960 §A.1.1)."""
    return _fetch("POST", url, timeout, content=der, headers={"Content-Type": OCSP_REQUEST})


def query_ocsp(url: str, cert: bytes, issuer: bytes, timeout: float = 10.0) -> Fetched:
    """POST an OCSP request for ``cert`` (RFC 6960 §A.1)."""
    return post_ocsp(url, ocsp_request(cert, issuer), timeout)


def query_ocsp_get(url: str, cert: bytes, issuer: bytes, timeout: float = 10.0) -> Fetched:
    """GET an OCSP request for ``cert``: the URL-encoded base64 of its DER after the responder's
    URL (RFC 6960 §A.1.1), the form RFC 5019 §5 has clients use for short requests."""
    encoded = quote(base64.b64encode(ocsp_request(cert, issuer)).decode("ascii"), safe="")
    return _fetch("GET", f"{url.rstrip('/')}/{encoded}", timeout)


@dataclass(frozen=True)
class Case:
    """A certificate whose status the service reports (valid or revoked), its issuer, and what
    one of its revocation services answered about it."""

    credential_id: str
    cert: bytes
    issuer: bytes
    revoked: bool
    answer: Fetched


def _judgeable(infos: Sequence[CredentialInfo]) -> list[tuple[CredentialInfo, bool]]:
    """Credentials whose certificate status says valid or revoked, with an issuer in the chain
    (an expired certificate may leave the CRL, RFC 5280 §3.3, so it is left out)."""
    return [(i, i.cert_status == "revoked") for i in infos
            if i.cert_status in ("valid", "revoked") and len(i.certificates) >= 2]


def crl_cases(infos: Sequence[CredentialInfo]) -> list[Case]:
    """Each judgeable certificate with each CRL it names (every CRL fetched once)."""
    crls: dict[str, Fetched] = {}
    return [Case(i.credential_id, i.certificates[0], i.certificates[1], revoked,
                 crls[url] if url in crls else crls.setdefault(url, fetch_published(url)))
            for i, revoked in _judgeable(infos) for url in crl_urls(i.certificates[0])]


def ocsp_cases(infos: Sequence[CredentialInfo], *, get: bool = False) -> list[Case]:
    """Each judgeable certificate with the answer of each OCSP responder it names (asked with
    POST, or with GET when ``get``)."""
    query = query_ocsp_get if get else query_ocsp
    return [Case(i.credential_id, i.certificates[0], i.certificates[1], revoked,
                 query(url, i.certificates[0], i.certificates[1]))
            for i, revoked in _judgeable(infos) for url in ocsp_urls(i.certificates[0])]


@dataclass(frozen=True)
class Unissued:
    """What a responder answered about a serial number its issuer never used."""

    serial: int
    answer: Fetched


def unissued_cases(infos: Sequence[CredentialInfo]) -> list[Unissued]:
    """Each responder the certificates name (once per responder and issuer), asked about a
    random serial number under that issuer."""
    seen: dict[tuple[str, bytes], Unissued] = {}
    for info, _ in _judgeable(infos):
        cert, issuer = info.certificates[0], info.certificates[1]
        for url in ocsp_urls(cert):
            if (url, issuer) not in seen:
                serial, der = unissued_request(cert, issuer)
                seen[(url, issuer)] = Unissued(serial, post_ocsp(url, der))
    return list(seen.values())
