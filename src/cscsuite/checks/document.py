"""Checks on real signed documents (spec-notes §10 item 104).

A hash signed by the service is only useful if the PAdES signature built around it validates in
an independent validator, the way PrimeSign's guide sends people to the EU DSS validator and the
RTR checker. Inputs are the validator's verdicts (``cscsuite.pdf.PdfVerdict``), so the checks only
grade; the cryptography lives in ``cscsuite.pdf`` and ``cscsuite.crypto``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cscsuite.checks.base import clause, expect

if TYPE_CHECKING:
    from cscsuite.pdf import PdfVerdict


def _shown(verdict: PdfVerdict) -> str:
    return f"{verdict.summary}, coverage {verdict.coverage}"


@clause("ETSI319142-1-5.1", "A PAdES signature covers the whole document, its signed byte "
        "ranges hash to the signed message digest and its value verifies with the signer's key")
def check_document_intact(verdict: PdfVerdict, *, evidence: str | None = None) -> None:
    ok = verdict.intact and verdict.valid and verdict.coverage == "ENTIRE_FILE"
    expect(ok, "intact and valid, covering the entire file", _shown(verdict), evidence)


@clause("RFC5280-6.1", "The document's signing certificate chains to a trust anchor of the target")
def check_document_trusted(verdict: PdfVerdict, *, evidence: str | None = None) -> None:
    expect(verdict.trusted, "a valid path to a trust anchor",
           verdict.trust_problem or _shown(verdict), evidence)


@clause("RFC5280-6.3", "The document's signing certificate is not revoked according to its "
        "issuer's CRL and OCSP responder")
def check_document_not_revoked(verdict: PdfVerdict, *, evidence: str | None = None) -> None:
    expect(not verdict.revoked, "not revoked",
           f"revoked ({verdict.trust_problem or verdict.summary})", evidence)


@clause("ETSI319412-2-4.3.2", "The certificate of a signature by a natural person has the "
        "nonRepudiation (contentCommitment) key usage")
def check_document_non_repudiation(verdict: PdfVerdict, *, evidence: str | None = None) -> None:
    expect(verdict.key_usage_ok, "key usage nonRepudiation",
           f"no nonRepudiation for {verdict.signer_subject}", evidence)


@clause("ETSI319142-1-5.1", "A document changed after signing fails validation")
def check_alteration_detected(verdict: PdfVerdict, *, evidence: str | None = None) -> None:
    expect(not (verdict.intact and verdict.valid), "not intact", _shown(verdict), evidence)


@clause("RFC5280-6.3", "A revoked certificate never yields a document that validates: the service "
        "refuses to sign with it, or the validator reports it revoked")
def check_revoked_never_validates(refusal: str | None, verdict: PdfVerdict | None,
                                  chain_problem: str | None, *,
                                  evidence: str | None = None) -> None:
    """``refusal``: why signing failed (None when a document came out); ``chain_problem``: the
    reason the credential's chain failed validation with revocation checking (None = passed)."""
    if verdict is not None:
        expect(verdict.revoked and not verdict.ok, "the validator reports the certificate revoked",
               _shown(verdict), evidence)
        return
    expect(chain_problem == "revoked", "a refusal for a certificate its CRL/OCSP report revoked",
           f"refused ({refusal}) while the certificate's chain "
           f"{'validated' if chain_problem is None else 'failed: ' + chain_problem}", evidence)
