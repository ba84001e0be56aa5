"""Steps for time-stamps and long-term PAdES (document.feature, issue 17).

The time-stamping authority is the profile's ``tsa_url`` when given (RFC 3161 over HTTP), else
the target's ``signatures/timestamp``. Every token obtained is kept in ``notes["timestamps"]``
(``cscsuite.timestamps.Stamped``) so the checks grade what the TSA answered, also when pyHanko
refused to build a document with it. The level and AdES verdict of each document go to the
evidence and to the test's ``user_properties`` (``fact.PAdES level``, ``fact.AdES validation``),
which the reports show with the scenario.
"""

from __future__ import annotations

import hashlib
import secrets

import pytest
from pytest_bdd import parsers, then, when

from cscsuite.checks import timestamp as ts_checks
from cscsuite.crypto.errors import ChainError
from cscsuite.pdf_csc import PdfSigningError
from cscsuite.pdf_ltv import LongTerm, validate_ades
from cscsuite.profile import expand
from cscsuite.timestamps import (
    CscTimeStamper,
    HttpTimeStamper,
    Recorder,
    ask_csc,
    new_nonce,
    verify_token,
)
from steps.document_steps import _anchors, _sign


def _time_stamper(flow, recorder: Recorder):
    """The profile's RFC 3161 URL if it names one, else the CSC method (capability timestamp)."""
    url = flow.world.profile.tsa_url
    if url:
        return HttpTimeStamper(expand(url, base_url=flow.target.base_url), recorder,
                               timeout=flow.world.profile.timeouts.request_s)
    return CscTimeStamper(flow.world.api, flow.world.service_token, recorder)


def _stamped(flow):
    stamped = flow.world.notes.get("timestamps")
    assert stamped, "no time-stamp token was obtained"
    return stamped


@when(parsers.parse("the signer signs a PDF document as PAdES {level} with the credential"))
def sign_long_term(flow, level):
    recorder = Recorder()
    flow.world.notes["timestamps"] = recorder.stamped
    long_term = LongTerm(level, _time_stamper(flow, recorder), _anchors(flow))
    try:
        _sign(flow, long_term=long_term)
    except ChainError as exc:  # B-LT/B-LTA collect revocation data while signing
        pytest.skip(f"revocation checking would leave this machine: {exc}")
    except PdfSigningError:
        for stamped in recorder.stamped:  # a bad token is the TSA's fault: grade it as such
            ts_checks.check_token_imprint(stamped, evidence=flow.ev())
            ts_checks.check_token_nonce(stamped, evidence=flow.ev())
        raise


@then(parsers.parse("the document validates offline at level PAdES {level}"))
def document_validates_at(flow, request, level):
    data = flow.world.notes["document"]
    try:
        verdict = validate_ades(data, _anchors(flow), timeout=flow.world.profile.timeouts.test_s)
    except ChainError as exc:
        pytest.skip(f"revocation checking would leave this machine: {exc}")
    flow.world.evidence.note(f"AdES validation: {verdict.shown}")
    flow.world.evidence.attach("ades-verdict.txt", f"{verdict.shown}\n"
                               f"best signature time: {verdict.best_signature_time}\n")
    request.node.user_properties.append(("fact.PAdES level", verdict.level))
    request.node.user_properties.append(("fact.AdES validation",
                                         f"{verdict.indication}/{verdict.subindication}"))
    ts_checks.check_pades_level(verdict, level, evidence=flow.ev())
    ts_checks.check_ades_passed(verdict, evidence=flow.ev())


@when("the signing application asks the service to time-stamp a hash with a nonce")
def ask_time_stamp(flow):
    digest = hashlib.sha256(secrets.token_bytes(32)).digest()
    resp, stamped = ask_csc(flow.world.api, flow.world.service_token, digest, "sha256",
                            new_nonce())
    flow.world.response = resp
    flow.world.notes["timestamps"] = [stamped] if stamped else []
    ts_checks.check_token_returned(resp.status, resp.error, stamped, evidence=flow.ev(resp))
    if stamped is not None:
        flow.world.evidence.attach("timestamp.tst", stamped.token)


@then("every time-stamp token covers exactly the hash it was asked for")
def tokens_cover_hash(flow):
    for stamped in _stamped(flow):
        ts_checks.check_token_imprint(stamped, evidence=flow.ev())


@then("every time-stamp token echoes the nonce of its request")
def tokens_echo_nonce(flow):
    for stamped in _stamped(flow):
        ts_checks.check_token_nonce(stamped, evidence=flow.ev())


@then("the time-stamping authority's certificate is fit for time-stamping and trusted")
def tsa_certificate_fit(flow):
    stamped = _stamped(flow)[-1]
    ts_checks.check_tsa_certificate_purpose(stamped, evidence=flow.ev())
    try:
        verdict = verify_token(stamped.token, stamped.digest, _anchors(flow), "hard",
                               timeout=flow.world.profile.timeouts.test_s)
    except ChainError as exc:
        pytest.skip(f"revocation checking would leave this machine: {exc}")
    ts_checks.check_token_trusted(verdict, evidence=flow.ev())
