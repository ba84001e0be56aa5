"""Steps of document.feature: sign a real PDF through the service and validate it.

The work is ``cscsuite.documents.DocumentDriver``'s (fixture ``documents``): signing through the
version's client, the signer's authorization per signed hash, offline validation.
"""

from __future__ import annotations

import pytest
from pytest_bdd import given, then, when

from cscsuite.checks import document
from cscsuite.documents import DocumentDriver
from cscsuite.driver_signing import SigningDriver
from cscsuite.pdf_csc import tampered


@pytest.fixture
def documents(flow: SigningDriver) -> DocumentDriver:
    """The scenario's document signer and validator."""
    return DocumentDriver(flow)


@given("the signer has signed a PDF document with the credential")
@when("the signer signs a PDF document with the credential")
def sign_document(documents: DocumentDriver) -> None:
    documents.sign()


@when("the signer tries to sign a PDF document with the credential")
def try_sign_document(documents: DocumentDriver) -> None:
    documents.sign(attempt=True)


@when("someone changes one character of the signed document's text")
def change_document(flow: SigningDriver) -> None:
    flow.world.notes["changed"] = tampered(flow.world.notes["document"])
    flow.world.evidence.attach("changed.pdf", flow.world.notes["changed"])


@then("the signed document is intact")
def document_intact(flow: SigningDriver, documents: DocumentDriver) -> None:
    document.check_document_intact(documents.verdict(), evidence=flow.ev())


@then("the document's signing certificate is trusted and not revoked")
def document_trusted(flow: SigningDriver, documents: DocumentDriver) -> None:
    verdict = documents.verdict()
    document.check_document_not_revoked(verdict, evidence=flow.ev())
    document.check_document_trusted(verdict, evidence=flow.ev())


@then("the document's signing certificate allows non-repudiation signatures")
def document_non_repudiation(flow: SigningDriver, documents: DocumentDriver) -> None:
    document.check_document_non_repudiation(documents.verdict(), evidence=flow.ev())


@then("the validator reports the changed document as altered")
def document_altered(flow: SigningDriver, documents: DocumentDriver) -> None:
    document.check_alteration_detected(documents.verdict("changed"), evidence=flow.ev())


@then("the service refuses to sign, or the validator reports the certificate as revoked")
def refused_or_revoked(flow: SigningDriver, documents: DocumentDriver) -> None:
    notes = flow.world.notes
    document.check_revoked_never_validates(
        notes["document_refusal"], documents.verdict() if notes["document"] else None,
        documents.chain_problem(), evidence=flow.ev())
