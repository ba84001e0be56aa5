"""Checks on refusals, judged on the driver's outcomes (CSC1 §10.1, CSC1 §8.3.2, RFC 6749).

A refusal check passes only on ``Refused`` with the documented status and code. ``Granted`` is
the service's deviation (a ``ConformanceError``); a ``HarnessFailure`` means the suite never got
to ask the question, so it raises ``HarnessError`` and the scenario ends as an error, never as a
pass: the service's "no" only counts when it answers the request under test.
"""

from __future__ import annotations

from collections.abc import Iterable

from cscsuite.checks.base import clause, expect
from cscsuite.checks.errors import is_internal_error, same_error
from cscsuite.outcomes import Granted, HarnessError, HarnessFailure, Outcome, Refused


def judged(outcome: Outcome | None) -> Granted | Refused:
    """The outcome, once it says something about the service (else the scenario errors)."""
    if outcome is None:
        raise HarnessError("the action whose refusal is under test never ran")
    if isinstance(outcome, HarnessFailure):
        raise HarnessError.of(outcome)
    return outcome


def shown(outcome: Granted | Refused) -> str:
    """One line for ``actual``: what the service did, without any granted value."""
    if isinstance(outcome, Granted):
        return f"granted at {outcome.where}"
    status = f"HTTP {outcome.status}" if outcome.status else ""
    if outcome.error is None and outcome.body:  # no JSON error object: say what came instead
        return f"{status} {outcome.body} at {outcome.where}".lstrip()
    code = f"error {outcome.error!r}" if outcome.error is not None else "no error code"
    return f"{status}{', ' if status else ''}{code} at {outcome.where}"


@clause("CSC1-10.1", "A refusal carries the documented status and error code")
def check_refused(outcome: Outcome | None, status: int, error: str, *,
                  evidence: str | None = None) -> None:
    check_refused_among(outcome, [(status, error)], evidence=evidence)


@clause("CSC1-10.1", "A refusal carries one of the documented status and error pairs")
def check_refused_among(outcome: Outcome | None, allowed: Iterable[tuple[int, str]], *,
                        evidence: str | None = None) -> None:
    seen = judged(outcome)
    pairs = list(allowed)
    ok = isinstance(seen, Refused) and any(
        seen.status == s and same_error(seen.error, e) for s, e in pairs)
    expect(ok, "CSC1-10.1", "A refusal carries the documented status and error code",
           " or ".join(f"HTTP {s}, error {e!r}" for s, e in pairs), shown(seen), evidence)


@clause("CSC1-8.3.2", "A refused authorization issues no code: an error redirect (RFC 6749 "
        "§4.1.2.1) or an error page of the authorization server")
def check_authorization_refused(outcome: Outcome | None, *,
                                evidence: str | None = None) -> None:
    _expect_no_code(outcome, "CSC1-8.3.2", "A refused authorization issues no code, and the "
                    "refusal is not an internal error", evidence)


@clause("PS-web", "The SMS code is the signer's second factor: a login that goes past the page "
        "asking for it, without entering it, ends without an authorization code")
def check_second_factor_kept(outcome: Outcome | None, *, evidence: str | None = None) -> None:
    _expect_no_code(outcome, "PS-web",
                    check_second_factor_kept.requirement,  # type: ignore[attr-defined]
                    evidence)


def _expect_no_code(outcome: Outcome | None, ref: str, requirement: str,
                    evidence: str | None) -> None:
    """The authorization ended without a code, in a refusal that is no internal error."""
    seen = judged(outcome)
    refused = isinstance(seen, Refused) and not is_internal_error(seen.status)
    expect(refused, ref, requirement,
           "an error redirect or an error page (not HTTP 5xx), no code", shown(seen), evidence)


@clause("PS-web", "A wrong login value is refused on the page that asked for it")
def check_login_refused(outcome: Outcome | None, *, evidence: str | None = None) -> None:
    seen = judged(outcome)
    expect(isinstance(seen, Refused) and seen.status == 0 and seen.error is None, "PS-web",
           "A failed login step shows an error on its page and issues no code",
           "an error shown on the login page", shown(seen), evidence)
