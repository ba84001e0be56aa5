"""Steps for time-stamps and long-term PAdES (document.feature, issue 17).

The work is ``cscsuite.documents.DocumentDriver``'s; the level and AdES verdict of each document
go to the evidence and, as facts, to every report (``fact.PAdES level``, ``fact.AdES validation``).
"""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, then, when

from cscsuite.checks import timestamp as ts_checks
from cscsuite.documents import DocumentDriver, record_fact
from cscsuite.driver_signing import SigningDriver


@when(parsers.parse("the signer signs a PDF document as PAdES {level} with the credential"))
def sign_long_term(documents: DocumentDriver, level: str) -> None:
    documents.sign_long_term(level)


@then(parsers.parse("the document validates offline at level PAdES {level}"))
def document_validates_at(flow: SigningDriver, documents: DocumentDriver,
                          request: pytest.FixtureRequest, level: str) -> None:
    verdict = documents.ades_verdict()
    record_fact(request.node, "PAdES level", verdict.level)
    record_fact(request.node, "AdES validation", f"{verdict.indication}/{verdict.subindication}")
    ts_checks.check_pades_level(verdict, level, evidence=flow.ev())
    ts_checks.check_ades_passed(verdict, evidence=flow.ev())


@when("the signing application asks the service to time-stamp a hash with a nonce")
def ask_time_stamp(documents: DocumentDriver) -> None:
    documents.ask_time_stamp()


@then("every time-stamp token covers exactly the hash it was asked for")
def tokens_cover_hash(flow: SigningDriver, documents: DocumentDriver) -> None:
    for stamped in documents.stamped():
        ts_checks.check_token_imprint(stamped, evidence=flow.ev())


@then("every time-stamp token echoes the nonce of its request")
def tokens_echo_nonce(flow: SigningDriver, documents: DocumentDriver) -> None:
    for stamped in documents.stamped():
        ts_checks.check_token_nonce(stamped, evidence=flow.ev())


@then("the time-stamping authority's certificate is fit for time-stamping and trusted")
def tsa_certificate_fit(flow: SigningDriver, documents: DocumentDriver) -> None:
    stamped = documents.stamped()[-1]
    ts_checks.check_tsa_certificate_purpose(stamped, evidence=flow.ev())
    ts_checks.check_token_trusted(documents.token_trust(stamped), evidence=flow.ev())


@when("the signing application sends a time-stamp query over HTTP to the time-stamping authority")
def ask_time_stamp_http(documents: DocumentDriver) -> None:
    documents.ask_time_stamp_http()


@when(parsers.parse("the signing application sends the time-stamping authority a SHA-256 hash "
                    "one byte {misfit}"))
def ask_misfit(documents: DocumentDriver, misfit: str) -> None:
    documents.ask_time_stamp_http_misfit({"short": -1, "long": 1}[misfit])


@then("the time-stamping authority refuses to time-stamp it")
def misfit_refused(flow: SigningDriver) -> None:
    reply, stamped = flow.world.notes["tsa_misfit"]
    ts_checks.check_misfit_refused(reply, stamped, evidence=reply.url)
