"""Certificate chain checks: order as the service returned it, then PKIX with certvalidator.

CSC1 §11.5 wants the end-entity certificate first and each next one the issuer of the previous.
certvalidator builds its own path from any bag of certificates, so it would forgive a wrong
order: the order is therefore checked explicitly before the chain is handed over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pyhanko_certvalidator import CertificateValidator, ValidationContext, errors
from pyhanko_certvalidator.fetchers import OwnedFetcherBackend
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from cscsuite.crypto.aio import run_sync
from cscsuite.crypto.certs import (
    QC_COMPLIANCE,
    QUALIFIED_POLICIES,
    directly_issued,
    load_asn1,
    revocation_urls,
    summarize,
    to_der,
)
from cscsuite.crypto.errors import ChainError

Revocation = Literal["off", "soft", "hard"]
_MODES: dict[str, str] = {"off": "soft-fail", "soft": "soft-fail", "hard": "hard-fail"}


@dataclass(frozen=True)
class ChainResult:
    """A validated path, end entity first, trust anchor last."""

    path: tuple[bytes, ...]


def check_order(certs: Sequence[bytes | str]) -> None:
    """Raise ChainError("wrong_order") unless certs[0] is the end entity and each next cert
    issued the previous one."""
    if not certs:
        raise ChainError("empty", "the chain holds no certificate")
    first = summarize(certs[0])
    if first.is_ca and len(certs) > 1:
        raise ChainError("wrong_order",
                         f"the first certificate ({first.subject_dn}) is a CA, not the end entity")
    for i in range(len(certs) - 1):
        if not directly_issued(certs[i], certs[i + 1]):
            hint = " (the chain looks reversed)" if directly_issued(certs[i + 1], certs[i]) else ""
            raise ChainError(
                "wrong_order",
                f"certificate #{i + 1} ({summarize(certs[i + 1]).subject_dn}) did not issue "
                f"certificate #{i} ({summarize(certs[i]).subject_dn}){hint}")


def check_validity_at(certs: Iterable[bytes | str], at: datetime) -> None:
    """Raise ChainError("expired") when any certificate is outside its validity at ``at``."""
    if at.utcoffset() is None:
        raise ValueError("'at' must be timezone-aware")
    for cert in certs:
        s = summarize(cert)
        if not s.not_before <= at <= s.not_after:
            raise ChainError(
                "expired",
                f"{s.subject_dn} is valid {s.not_before:%Y-%m-%dT%H:%M:%SZ} to "
                f"{s.not_after:%Y-%m-%dT%H:%M:%SZ}, not at {at:%Y-%m-%dT%H:%M:%SZ}")


def check_qualified(cert: bytes | str,
                    accepted_policies: Iterable[str] = QUALIFIED_POLICIES) -> None:
    """Raise ChainError unless the certificate claims QcCompliance and a qualified policy."""
    s = summarize(cert)
    if QC_COMPLIANCE not in s.qc_statements:
        raise ChainError("not_qualified",
                         f"no QcCompliance statement; QC statements: {list(s.qc_statements)}")
    if not set(accepted_policies) & set(s.policies):
        raise ChainError("not_qualified",
                         f"no qualified certificate policy; policies: {list(s.policies)}")


def validation_context(anchors: Sequence[bytes | str], others: Sequence[bytes | str],
                       at: datetime | None, revocation: Revocation,
                       crls: Sequence[bytes] = (), ocsps: Sequence[bytes] = (),
                       fetch_timeout: float = 5.0) -> ValidationContext:
    """A certvalidator context with explicit trust roots; fetching only when revocation is on.

    The context owns its aiohttp session: ``await ctx.aclose()`` in the loop that used it.
    """
    fetching = revocation != "off"
    return ValidationContext(
        trust_roots=[load_asn1(a) for a in anchors],
        other_certs=[load_asn1(c) for c in others],
        # point-in-time validation cannot fetch; with revocation on, validate "now" (the
        # signature is fresh) after check_validity_at() has checked the signing time itself
        moment=None if fetching else at,
        allow_fetching=fetching,
        crls=list(crls) if fetching else None,
        ocsps=list(ocsps) if fetching else None,
        revocation_mode=_MODES[revocation],
        fetcher_backend=OwnedFetcherBackend(AIOHttpFetcherBackend(
            per_request_timeout=fetch_timeout)) if fetching else None,
    )


def check_loopback_only(certs: Iterable[bytes | str]) -> None:
    """Raise ChainError("non_loopback_url") when a certificate points revocation fetching
    anywhere but 127.0.0.1 / ::1 / localhost (offline validation must stay offline)."""
    for cert in certs:
        for url in revocation_urls(cert):
            host = urlsplit(url).hostname or ""
            if host not in ("127.0.0.1", "::1", "localhost"):
                raise ChainError("non_loopback_url",
                                 f"{summarize(cert).subject_dn} names revocation URL {url}")


_ERRORS: tuple[tuple[type[Exception], str], ...] = (
    (errors.RevokedError, "revoked"),
    (errors.ExpiredError, "expired"),
    (errors.NotYetValidError, "expired"),
    (errors.InsufficientRevinfoError, "revocation_unknown"),
    (errors.PathBuildingError, "untrusted"),
    (errors.InvalidCertificateError, "key_usage"),
    (errors.PathValidationError, "invalid_path"),
)


def validate_chain(certs_der: Sequence[bytes | str], trust_anchors_der: Sequence[bytes | str],
                   at: datetime, revocation: Revocation = "off", *,
                   crls: Sequence[bytes] = (), ocsps: Sequence[bytes] = (),
                   key_usage: Iterable[str] = ("non_repudiation",),
                   require_qualified: bool = False, fetch_timeout: float = 5.0,
                   timeout: float = 30.0) -> ChainResult:
    """Check order, validity at ``at``, trust, revocation, key usage (and QC if asked).

    ``revocation``: "off" ignores revocation; "soft" and "hard" fetch CRL/OCSP from the URLs in
    the certificates (the embedded service's are loopback) and also use ``crls``/``ocsps``;
    "hard" fails when revocation status cannot be established. certvalidator consults CRLs and
    OCSP only for certificates that name a CRL distribution point / OCSP responder.
    Raises ChainError(reason).
    """
    if revocation not in _MODES:
        raise ValueError(f"revocation must be off, soft or hard, not {revocation!r}")
    ders = [to_der(c) for c in certs_der]
    anchors = [to_der(a) for a in trust_anchors_der]
    if not anchors:
        raise ChainError("untrusted", "no trust anchors configured")
    check_order(ders)
    check_validity_at(ders, at)
    if require_qualified:
        check_qualified(ders[0])
    usage = set(key_usage)

    async def validate() -> ChainResult:
        ctx = validation_context(anchors, ders[1:], at, revocation, crls, ocsps,
                                 fetch_timeout)
        validator = CertificateValidator(load_asn1(ders[0]), validation_context=ctx)
        try:
            path = await validator.async_validate_usage(usage)
        finally:
            await ctx.aclose()
        return ChainResult(tuple(c.dump() for c in path.iter_certs(include_root=True))[::-1])

    try:
        return run_sync(validate, timeout)
    except ChainError:
        raise
    except TimeoutError:
        raise ChainError("timeout", f"chain validation took longer than {timeout}s") from None
    except Exception as exc:
        for kind, reason in _ERRORS:
            if isinstance(exc, kind):
                raise ChainError(reason, str(exc)) from None
        raise
