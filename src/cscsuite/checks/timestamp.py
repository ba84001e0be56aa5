"""Checks on time-stamp tokens (RFC 3161) and long-term PAdES documents (ETSI EN 319 142-1).

A signature only outlives its certificate when a trusted time-stamp proves when it existed, and
the validation data travels with the document. The inputs are facts read elsewhere
(``cscsuite.timestamps``, ``cscsuite.pdf_ltv``); these functions only grade them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cscsuite.checks.base import clause, expect
from cscsuite.timestamps import REPLY_TYPE, TIME_STAMPING_EKU, read_token

if TYPE_CHECKING:
    from cscsuite.pdf_ltv import AdesVerdict
    from cscsuite.timestamps import HttpReply, Stamped, TokenVerdict


def _expect(ok: bool, check: Callable[..., Any], expected: str, actual: str,
            evidence: str | None) -> None:
    """``expect`` citing the clause that ``@clause`` attached to ``check``."""
    expect(ok, check.clause, check.requirement, expected, actual,  # type: ignore[attr-defined]
           evidence)


@clause("CSC2-11.13", "signatures/timestamp answers with a base64 RFC 3161 time-stamp token "
        "for the given hash")
def check_token_returned(status: int, error: str | None, stamped: Stamped | None, *,
                         evidence: str | None = None) -> None:
    _expect(status == 200 and stamped is not None, check_token_returned,
            "HTTP 200 with a time-stamp token",
            f"HTTP {status} {error or ''}".strip() if stamped is None or status != 200
            else "no readable token", evidence)


@clause("RFC3161-3.4", "A time-stamp query POSTed over HTTP as application/timestamp-query gets "
        "HTTP 200 and a TimeStampResp as application/timestamp-reply")
def check_http_reply(reply: HttpReply, *, evidence: str | None = None) -> None:
    media = reply.content_type.split(";")[0].strip().lower()
    actual = (reply.error or f"HTTP {reply.status}, {media or 'no content type'}, "
              f"{reply.outcome[0] if reply.body else 'empty body'}")
    _expect(reply.status == 200 and media == REPLY_TYPE, check_http_reply,
            f"HTTP 200, {REPLY_TYPE}", actual, evidence)


@clause("RFC3161-2.4.2", "A well-formed query (a SHA-256 imprint, a nonce, the TSA's certificate "
        "requested, no policy, no extension) is granted with a time-stamp token")
def check_query_granted(reply: HttpReply, stamped: Stamped | None, *,
                        evidence: str | None = None) -> None:
    _expect(stamped is not None, check_query_granted, "status granted, with a token",
            reply.error or f"status {reply.outcome[0]}", evidence)


@clause("RFC3161-2.4.1", "A query whose imprint is not as long as its hash algorithm's value "
        "(which RFC 3161 §2.4.1 says it MUST be) is rejected (§2.4.2: badDataFormat), not "
        "stamped: no document can ever match such a token")
def check_misfit_refused(reply: HttpReply, stamped: Stamped | None, *,
                         evidence: str | None = None) -> None:
    status = reply.status or 0
    refused = stamped is None and reply.error is None and status < 500
    _expect(refused, check_misfit_refused, "a rejection (PKIStatus rejection, or HTTP 4xx)",
            reply.error or f"HTTP {status}, status {reply.outcome[0]}", evidence)


@clause("RFC3161-2.4.2", "The token's messageImprint is the hash the requester sent, with the "
        "same hash algorithm")
def check_token_imprint(stamped: Stamped, *, evidence: str | None = None) -> None:
    facts = read_token(stamped.token)
    _expect(facts.imprint == stamped.digest and facts.imprint_hash == stamped.hash_name,
            check_token_imprint, f"{stamped.hash_name} {stamped.digest.hex()}",
            f"{facts.imprint_hash} {facts.imprint.hex()}", evidence)


@clause("RFC3161-2.4.2", "A nonce sent in the request is echoed in the token")
def check_token_nonce(stamped: Stamped, *, evidence: str | None = None) -> None:
    if stamped.nonce is None:
        return
    got = read_token(stamped.token).nonce
    _expect(got == stamped.nonce, check_token_nonce, f"nonce {stamped.nonce:x}",
            "no nonce" if got is None else f"nonce {got:x}", evidence)


@clause("RFC3161-2.3", "The TSA's certificate has exactly one extended key usage, "
        "id-kp-timeStamping, and the extension is critical")
def check_tsa_certificate_purpose(stamped: Stamped, *, evidence: str | None = None) -> None:
    facts = read_token(stamped.token)
    purposes, critical = facts.tsa_eku
    actual = ("the token carries no TSA certificate" if facts.tsa_cert is None
              else "no extended key usage" if critical is None
              else f"purposes {list(purposes)}, {'critical' if critical else 'not critical'}")
    _expect(purposes == (TIME_STAMPING_EKU,) and critical is True, check_tsa_certificate_purpose,
            f"only {TIME_STAMPING_EKU} (timeStamping), critical", actual, evidence)


@clause("RFC3161-2.4.2", "The token is signed by the TSA, whose certificate chains to a trust "
        "anchor of the target and is not revoked")
def check_token_trusted(verdict: TokenVerdict, *, evidence: str | None = None) -> None:
    ok = verdict.intact and verdict.valid and verdict.trusted
    shown = (f"intact={verdict.intact}, valid={verdict.valid}, trusted={verdict.trusted}"
             + (f" ({verdict.problem})" if verdict.problem else ""))
    _expect(ok, check_token_trusted, "intact, valid and trusted", shown, evidence)


@clause("ETSI319142-1-6.3", "A document signed at a PAdES baseline level has that level's "
        "structure (B-T: signature time-stamp; B-LT: DSS with validation data; B-LTA: document "
        "time-stamp)")
def check_pades_level(verdict: AdesVerdict, level: str, *, evidence: str | None = None) -> None:
    _expect(verdict.level == level, check_pades_level, f"PAdES {level}",
            f"PAdES {verdict.level}", evidence)


@clause("ETSI319102-1-5.5", "The signature validates (indication PASSED) with only the target's "
        "trust anchors and revocation data required for every certificate")
def check_ades_passed(verdict: AdesVerdict, *, evidence: str | None = None) -> None:
    where = ("revocation data fetched from the target" if verdict.fetched
             else "only the validation data in the document")
    _expect(verdict.passed, check_ades_passed, f"PASSED, using {where}", verdict.shown, evidence)
