"""Steps of document.feature: sign a real PDF through the service and validate it.

The API version picks the client inside ``cscsuite.pdf_csc`` (pyHanko's CSC signer for v1, the
suite's adapter for v2); the signer's authorization for exactly the signed hash runs through the
shared ``Flow``, so a browser login happens on this thread while pyHanko waits in its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_bdd import given, then, when

from cscsuite.checks import document
from cscsuite.crypto import ChainError, validate_chain
from cscsuite.crypto.chain import check_loopback_only
from cscsuite.driver_signing import SigningDriver
from cscsuite.pdf import PdfVerdict, validate_pdf
from cscsuite.pdf_csc import (
    PdfSigningError,
    ServiceCredential,
    sample_pdf,
    sign_pdf_through_service,
    tampered,
)


def _authorizer(flow: SigningDriver, attempt: bool) -> Callable[[bytes, str], str]:
    """``authorize(digest, hash_oid)`` for pdf_csc: the credential's own mode, bound to it."""
    def authorize(digest: bytes, hash_oid: str) -> str:
        flow.world.hashes, flow.world.hash_algorithm = [digest], hash_oid
        auth = flow.authorize_signing(attempt=attempt)
        if not flow.world.sad:
            raise PdfSigningError(f"the signer's authorization was refused: {auth.error}")
        return str(flow.world.sad)
    return authorize


def _sign(flow: SigningDriver, attempt: bool = False, long_term: Any = None) -> None:
    """Sign the sample PDF (PAdES B-B, or ``long_term``'s level, see timestamp_steps)."""
    w = flow.world
    service = ServiceCredential(w.api, flow.target.base_url, w.service_token, flow.credential(),
                                w.evidence)
    w.notes["document_refusal"] = w.notes["document"] = None
    try:
        signed = sign_pdf_through_service(sample_pdf(), service, _authorizer(flow, attempt),
                                          long_term=long_term,
                                          timeout=w.profile.timeouts.test_s)
    except PdfSigningError as exc:
        if not attempt:
            raise
        w.notes["document_refusal"] = str(exc)
        return
    w.notes["document"] = signed.data
    w.evidence.attach("signed.pdf", signed.data)
    level = "B-B" if long_term is None else long_term.level
    w.evidence.note(f"signed.pdf: PAdES {level} via {signed.client}, "
                    f"signAlgo {signed.sign_algo_oid}")


def _anchors(flow: SigningDriver) -> Sequence[Any]:
    if not flow.target.trust_anchors:
        pytest.skip("the profile lists no trust anchors")
    return flow.target.trust_anchors


def _offline(flow: SigningDriver, certs: Sequence[bytes]) -> None:
    """Revocation is fetched from loopback only (offline run); anything else is skipped."""
    try:
        check_loopback_only(certs)
    except ChainError as exc:
        pytest.skip(f"revocation checking would leave this machine: {exc}")


def _verdict(flow: SigningDriver, key: str = "document") -> PdfVerdict:
    """The validator's verdict on the document in ``notes[key]`` (validated once)."""
    cached = flow.world.notes.get(f"{key}_verdict")
    if cached is None:
        data = flow.world.notes[key]
        assert data, "no signed document"
        _offline(flow, flow.credential().certificates)
        [cached] = validate_pdf(data, _anchors(flow), revocation="hard")
        flow.world.notes[f"{key}_verdict"] = cached
        flow.world.evidence.note(f"validation of {key}: {cached.summary}")
    return cached


def _chain_problem(flow: SigningDriver) -> str | None:
    """Why the credential's chain fails validation with revocation checking (None: it passes)."""
    certs = flow.credential().certificates
    _offline(flow, certs)
    try:
        validate_chain(certs, _anchors(flow), datetime.now(UTC), "hard")
    except ChainError as exc:
        return exc.reason
    return None


@given("the signer has signed a PDF document with the credential")
@when("the signer signs a PDF document with the credential")
def sign_document(flow: SigningDriver) -> None:
    _sign(flow)


@when("the signer tries to sign a PDF document with the credential")
def try_sign_document(flow: SigningDriver) -> None:
    _sign(flow, attempt=True)


@when("someone changes one character of the signed document's text")
def change_document(flow: SigningDriver) -> None:
    flow.world.notes["changed"] = tampered(flow.world.notes["document"])
    flow.world.evidence.attach("changed.pdf", flow.world.notes["changed"])


@then("the signed document is intact")
def document_intact(flow: SigningDriver) -> None:
    document.check_document_intact(_verdict(flow), evidence=flow.ev())


@then("the document's signing certificate is trusted and not revoked")
def document_trusted(flow: SigningDriver) -> None:
    verdict = _verdict(flow)
    document.check_document_not_revoked(verdict, evidence=flow.ev())
    document.check_document_trusted(verdict, evidence=flow.ev())


@then("the document's signing certificate allows non-repudiation signatures")
def document_non_repudiation(flow: SigningDriver) -> None:
    document.check_document_non_repudiation(_verdict(flow), evidence=flow.ev())


@then("the validator reports the changed document as altered")
def document_altered(flow: SigningDriver) -> None:
    document.check_alteration_detected(_verdict(flow, "changed"), evidence=flow.ev())


@then("the service refuses to sign, or the validator reports the certificate as revoked")
def refused_or_revoked(flow: SigningDriver) -> None:
    signed = flow.world.notes["document"]
    document.check_revoked_never_validates(
        flow.world.notes["document_refusal"], _verdict(flow) if signed else None,
        _chain_problem(flow), evidence=flow.ev())
