"""Checks on what a certificate's revocation services say (RFC 5280 §5, RFC 6960 §2.2).

The reference for "revoked" is the service's own ``cert/status`` (CSC1 §11.5): its CRL and its
OCSP responder must agree with what credentials/info reports. Inputs are the cases
:mod:`cscsuite.revocation_sources` fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cryptography import x509
from cryptography.x509 import ocsp

from cscsuite.checks.base import ConformanceError, clause, expect, fail, should
from cscsuite.checks.errors import is_internal_error
from cscsuite.revocation_sources import Case, Fetched, Unissued
from cscsuite.server_errors import InternalServerError

T = TypeVar("T")


def _status(case: Case) -> str:
    return "revoked" if case.revoked else "valid"


def _parsed(answer: Fetched, load: Callable[[bytes], T], what: str, evidence: str | None) -> T:
    """A source's answer parsed by ``load``, or a failure naming ``what`` was expected (part of
    the check that calls it, under its clause)."""
    body = check_answered(answer, evidence=evidence)
    try:
        return load(body)
    except ValueError as err:
        fail(what, f"{answer.url}: {err}", evidence)


@clause("RFC5280-4.2.1.13", "A revocation service the certificate names (CRL distribution point, "
        "OCSP responder in the AIA) answers")
def check_answered(answer: Fetched, *, evidence: str | None = None) -> bytes:
    expect(answer.body is not None, "HTTP 200 with a body", f"{answer.url}: {answer.error}",
           evidence)
    return answer.body or b""


@clause("RFC5280-5.1.2.6", "The CRL is signed by the certificate's issuer and lists the "
        "certificate exactly when the service reports it revoked")
def check_crl_lists(case: Case, *, evidence: str | None = None) -> None:
    crl = _parsed(case.answer, x509.load_der_x509_crl, "a DER CertificateList", evidence)
    issuer = x509.load_der_x509_certificate(case.issuer)
    expect(crl.is_signature_valid(issuer.public_key()),  # type: ignore[arg-type]
           "signed by the certificate's issuer",
           f"{case.answer.url}: signature does not verify", evidence,
           requirement="The CRL is signed by the issuer of the certificate it covers")
    serial = x509.load_der_x509_certificate(case.cert).serial_number
    listed = crl.get_revoked_certificate_by_serial_number(serial) is not None
    expect(listed == case.revoked,
           f"{'listed' if case.revoked else 'not listed'} ({_status(case)} certificate)",
           f"{'listed' if listed else 'not listed'} in {case.answer.url}", evidence)


@clause("RFC5280-5.2.3", "Conforming CRL issuers MUST include the CRL number and MUST mark it "
        "non-critical")
def check_crl_number(case: Case, *, evidence: str | None = None) -> None:
    crl = _parsed(case.answer, x509.load_der_x509_crl, "a DER CertificateList", evidence)
    try:
        ext = crl.extensions.get_extension_for_class(x509.CRLNumber)
    except x509.ExtensionNotFound:
        fail("a CRL number extension", f"none in {case.answer.url}", evidence)
    expect(not ext.critical, "CRL number non-critical", f"critical in {case.answer.url}",
           evidence)


@clause("RFC6960-2.2", "The OCSP responder answers 'good' for a valid certificate and 'revoked' "
        "for a revoked one, about the certificate asked for")
def check_ocsp_status(case: Case, *, evidence: str | None = None) -> None:
    resp = _parsed(case.answer, ocsp.load_der_ocsp_response, "a DER OCSPResponse", evidence)
    expect(resp.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL, "successful",
           f"{resp.response_status.name} from {case.answer.url}", evidence,
           requirement="The responder answers a well-formed request successfully")
    serial = x509.load_der_x509_certificate(case.cert).serial_number
    expect(resp.serial_number == serial, f"serial {serial:x}", f"serial {resp.serial_number:x}",
           evidence, requirement="The answer is about the certificate asked for")
    wanted = ocsp.OCSPCertStatus.REVOKED if case.revoked else ocsp.OCSPCertStatus.GOOD
    expect(resp.certificate_status == wanted, f"{wanted.name} ({_status(case)} certificate)",
           f"{resp.certificate_status.name} from {case.answer.url}", evidence)


@clause("RFC6960-A.1", "An OCSP responder answers over HTTP with an OCSPResponse, never with an "
        "internal server error")
def check_ocsp_not_crashed(answer: Fetched, *, evidence: str | None = None) -> None:
    """A crash is a failure even where the rest of the answer is only a recommendation."""
    crashed = answer.status is not None and is_internal_error(answer.status)
    try:
        expect(not crashed, "an OCSPResponse (or a refusal of the method)",
               f"HTTP {answer.status} from {answer.url}", evidence)
    except ConformanceError as err:
        raise InternalServerError.of(err) from None


@should
@clause("RFC5019-5", "The OCSP responder answers a request sent with GET (RFC 6960 §A.1.1), the "
        "form lightweight clients must use for short requests, as it answers one sent with POST")
def check_ocsp_get(case: Case, *, evidence: str | None = None) -> None:
    try:
        check_ocsp_status(case, evidence=evidence)
    except ConformanceError as err:  # cited as this rule: over POST the same check holds
        fail(f"over GET: {err.expected}", err.actual, evidence)


@clause("RFC6960-2.3", "Asked about a serial number its issuer never used, the OCSP responder "
        "answers with a signed status for that serial, or says it is not authoritative")
def check_ocsp_unissued(probe: Unissued, *, evidence: str | None = None) -> ocsp.OCSPResponse:
    answer = probe.answer
    resp = _parsed(answer, ocsp.load_der_ocsp_response, "a DER OCSPResponse", evidence)
    known = (ocsp.OCSPResponseStatus.SUCCESSFUL, ocsp.OCSPResponseStatus.UNAUTHORIZED)
    expect(resp.response_status in known, "successful, or unauthorized (RFC 6960 §2.3)",
           f"{resp.response_status.name} from {answer.url}", evidence)
    if resp.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL:
        expect(resp.serial_number == probe.serial, f"serial {probe.serial:x}",
               f"serial {resp.serial_number:x}", evidence,
               requirement="The answer is about the serial number asked for")
    return resp


@should
@clause("RFC6960-2.2", "A responder that knows its issuer never issued a serial number answers "
        "'unknown' or 'revoked' for it, not 'good' (the CA/Browser Forum's rule; RFC 6960 "
        "§2.2 allows 'revoked' for exactly this)")
def check_ocsp_unissued_not_good(resp: ocsp.OCSPResponse, url: str, *,
                                 evidence: str | None = None) -> None:
    if resp.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL:
        expect(resp.certificate_status != ocsp.OCSPCertStatus.GOOD, "unknown or revoked",
               f"good from {url}", evidence)
