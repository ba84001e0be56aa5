"""Checks on signHash answers and direct credential authorization (CSC1 §9, §11.6, §11.9;
CSC2 §11.10). Cryptographic verification is graded by :mod:`cscsuite.checks.verification`; a
matrix pair's answer is judged here from the verifier's verdict (``pair_problem``)."""

from __future__ import annotations

from collections.abc import Sequence

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect
from cscsuite.checks.errors import same_error, shown
from cscsuite.crypto.errors import VerificationError
from cscsuite.crypto.signatures import verify_signature

#: What each version answers for a wrong PIN/OTP in credentials/authorize (CSC1 / CSC2 §11.6).
WRONG_FACTOR_ERRORS = {"v1": ("invalid_pin", "invalid_otp"),
                       "v2": ("invalid_authentication_data",)}


@clause("CSC1-11.9", "signHash answers 200 with one signature per hash")
def check_signatures_returned(resp: ApiResponse, signatures: Sequence[bytes], count: int, *,
                              evidence: str | None = None) -> None:
    expect(resp.status == 200, "HTTP 200", shown(resp), evidence,
           requirement="signHash signs the authorized hashes")
    expect(len(signatures) == count, f"{count} signatures", f"{len(signatures)} signatures",
           evidence, requirement="signHash returns one signature per hash")


def pair_problem(resp: ApiResponse, signatures: Sequence[bytes], cert: bytes, digest: bytes,
                 sign_algo: str, hash_algo: str, params: bytes | None) -> str | None:
    """What is wrong with one matrix pair's signHash answer: a refusal, a count other than one,
    or a value that does not verify (wrong encoding included); None when it verifies."""
    if resp.status != 200:
        return f"refused: {shown(resp)}"
    if len(signatures) != 1:
        return f"{len(signatures)} signatures for 1 hash"
    try:
        verify_signature(cert, digest, signatures[0], sign_algo, hash_algo, params)
    except VerificationError as err:
        return f"{err.reason}: {err}"
    return None


@clause("CSC1-11.9", "Every algorithm and hash pair a credential advertises signs, and each "
        "signature verifies with the credential's certificate in its algorithm's encoding "
        "(spec-notes §10 items 73, 86-89)")
def check_matrix(results: Sequence[tuple[str, str | None]], unattempted: Sequence[str] = (), *,
                 evidence: str | None = None) -> None:
    """``results``: (pair label, problem or None) for every pair that was attempted;
    ``unattempted``: pairs the suite could not try, named alongside a failure."""
    failed = [f"{label}: {problem}" for label, problem in results if problem]
    besides = (f"\n  and {len(unattempted)} pairs the suite could not attempt:\n    "
               + "\n    ".join(unattempted)) if unattempted else ""
    expect(not failed, f"all {len(results)} pairs signed and verified",
           f"{len(failed)} of {len(results)} pairs failed:\n    " + "\n    ".join(failed)
           + besides, evidence)


@clause("CSC1-11.6", "credentials/authorize is not used for an oauth2code credential "
        "(refused, or not offered) (spec-notes §10 item 91)")
def check_direct_authorization_unavailable(resp: ApiResponse, *,
                                           evidence: str | None = None) -> None:
    expect(resp.status >= 400 and resp.field("SAD") is None, "a 4xx refusal, 404 or 501",
           shown(resp), evidence,
           requirement="credentials/authorize gives no SAD for an oauth2code credential")


@clause("CSC1-11.6", "credentials/authorize answers a SAD")
def check_sad_issued(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 200 and isinstance(resp.field("SAD"), str), "HTTP 200 with SAD",
           shown(resp), evidence)


@clause("CSC1-11.6", "A wrong PIN is refused with the version's error code")
def check_wrong_factor(resp: ApiResponse, version: str, factor: str | None = None, *,
                       evidence: str | None = None) -> None:
    """``factor`` ("pin" or "otp") narrows v1 to that factor's own code."""
    allowed = (f"invalid_{factor}",) if factor and version == "v1" \
        else WRONG_FACTOR_ERRORS[version]
    expect(resp.status == 400 and any(same_error(resp.error, e) for e in allowed),
           " or ".join(f"HTTP 400 {e!r}" for e in allowed), shown(resp), evidence)
