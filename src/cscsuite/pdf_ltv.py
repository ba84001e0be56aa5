"""Long-term PAdES: the B-T, B-LT and B-LTA baseline levels (ETSI EN 319 142-1 §6.3), and their
offline validation with pyHanko's AdES validation (ETSI EN 319 102-1 §5.6.3).

B-T adds a signature time-stamp to the signer's CMS; B-LT adds a document security store (DSS)
with the certificates, CRLs and OCSP responses of the signer's and the TSA's chains; B-LTA then
adds a document time-stamp over it all. pyHanko does the building (``PdfSigner`` with a
timestamper, ``embed_validation_info``, ``use_pades_lta``); ``pdf_csc`` drives it through the
service. The level a document reaches is read from its structure (``level_of``) and graded by the
AdES validation (``validate_ades``): B-LT and B-LTA validate from what the document carries, no
fetching at all; B-T carries no revocation data, so it is fetched, from loopback only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation.ades import (
    _dss_to_local_knowledge,
    ades_lta_validation,
    ades_with_time_validation,
)
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    DEFAULT_DIFF_POLICY,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from cscsuite.crypto.aio import run_sync
from cscsuite.crypto.certs import load_asn1
from cscsuite.crypto.chain import check_loopback_only, validation_context

LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


@dataclass(frozen=True)
class LongTerm:
    """How far beyond B-B to sign, and with which time-stamps and trust anchors."""

    level: str  # one of LEVELS
    timestamper: TimeStamper | None  # required from B-T on
    anchors: Sequence[bytes | str] = ()  # for collecting revocation data (B-LT, B-LTA)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown PAdES level {self.level!r}; one of {LEVELS}")
        if self.level != "B-B" and self.timestamper is None:
            raise ValueError(f"PAdES {self.level} needs a time-stamping authority")

    @property
    def embeds_validation_info(self) -> bool:
        return self.level in ("B-LT", "B-LTA")

    async def signing_context(self, chain: Sequence[bytes]) -> ValidationContext | None:
        """The context pyHanko collects revocation data with (B-LT, B-LTA): the signer's chain
        and the TSA's, fetched from loopback URLs only (ChainError otherwise)."""
        if not self.embeds_validation_info or self.timestamper is None:
            return None
        dummy = await self.timestamper.async_dummy_response("sha256")
        tsa_certs = [c.chosen.dump() for c in dummy["content"]["certificates"] or []
                     if isinstance(c.chosen, asn1_x509.Certificate)]
        check_loopback_only([*chain, *tsa_certs])
        return validation_context(self.anchors, [*chain, *tsa_certs], None, "hard")

    def metadata(self, ctx: ValidationContext | None) -> dict[str, Any]:
        """Extra ``PdfSignatureMetadata`` fields for this level."""
        if ctx is None:
            return {}
        return {"embed_validation_info": True, "validation_context": ctx,
                "use_pades_lta": self.level == "B-LTA"}


def _signature_timestamp(signer_info: cms.SignerInfo) -> cms.ContentInfo | None:
    for attr in signer_info["unsigned_attrs"] or []:
        if attr["type"].native == "signature_time_stamp_token":
            token: cms.ContentInfo = attr["values"][0]
            return token
    return None


def signature_timestamps(pdf: bytes) -> list[bytes]:
    """The signature time-stamp tokens (DER) of every regular signature in ``pdf``."""
    reader = PdfFileReader(BytesIO(pdf))
    found = (_signature_timestamp(s.signer_info) for s in reader.embedded_regular_signatures)
    return [t.dump() for t in found if t is not None]


def _dss_has_revocation_data(reader: PdfFileReader) -> bool:
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return False
    return bool(dss.certs) and bool(dss.crls or dss.ocsps)


def level_of(pdf: bytes) -> str:
    """The baseline level the first signature's structure claims (EN 319 142-1 §6.3): B-T with
    a signature time-stamp, B-LT with a DSS holding certificates and revocation data, B-LTA with
    a document time-stamp after the signature as well."""
    reader = PdfFileReader(BytesIO(pdf))
    signatures = reader.embedded_regular_signatures
    if not signatures:
        raise ValueError("the document has no signature")
    sig = signatures[0]
    if _signature_timestamp(sig.signer_info) is None:
        return "B-B"
    if not _dss_has_revocation_data(reader):
        return "B-T"
    later = [t for t in reader.embedded_timestamp_signatures
             if t.signed_revision > sig.signed_revision]
    return "B-LTA" if later else "B-LT"


@dataclass(frozen=True)
class AdesVerdict:
    """pyHanko's EN 319 102-1 validation of a document's first signature."""

    level: str  # the structural level (level_of)
    indication: str  # PASSED / INDETERMINATE / FAILED
    subindication: str  # e.g. OK, NO_POE, REVOKED_NO_POE
    failure: str | None
    best_signature_time: datetime | None
    fetched: bool  # revocation data was fetched (from loopback) rather than read from the PDF

    @property
    def passed(self) -> bool:
        return self.indication == "PASSED"

    @property
    def shown(self) -> str:
        detail = f" ({self.failure})" if self.failure and not self.passed else ""
        return f"PAdES {self.level}: {self.indication}/{self.subindication}{detail}"


def _spec(anchors: Sequence[bytes | str], fetch: bool) -> SignatureValidationSpec:
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[load_asn1(a) for a in anchors]),
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO))
    rule = (RevinfoOnlineFetchingRule.ALWAYS_FETCH if fetch
            else RevinfoOnlineFetchingRule.LOCAL_ONLY)
    return SignatureValidationSpec(
        cert_validation_policy=policy,
        revinfo_gathering_policy=RevocationInfoGatheringSpec(online_fetching_rule=rule),
        key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}))


async def _with_time(sig: EmbeddedPdfSignature, spec: SignatureValidationSpec) -> Any:
    """EN 319 102-1 §5.5 (signatures with time), with the DSS's data as local knowledge (the
    same ingestion pyHanko's §5.6.3 process does); fetching follows ``spec``."""
    sig.compute_integrity_info(diff_policy=DEFAULT_DIFF_POLICY)
    local = _dss_to_local_knowledge(reader=sig.reader)
    spec = dataclasses.replace(spec, local_knowledge=local)
    return await ades_with_time_validation(
        sig.signed_data, spec, raw_digest=sig.compute_digest(),
        extra_status_kwargs=sig.summarise_integrity_info(), status_cls=PdfSignatureStatus)


def _all_certificates(pdf: bytes) -> list[bytes]:
    reader = PdfFileReader(BytesIO(pdf))
    found = [c.dump() for s in reader.embedded_signatures
             for c in (s.signed_data["certificates"] or [])
             if isinstance(c.chosen, asn1_x509.Certificate)]
    for token in signature_timestamps(pdf):
        found += [c.chosen.dump() for c in cms.ContentInfo.load(token)["content"]["certificates"]
                  or [] if isinstance(c.chosen, asn1_x509.Certificate)]
    return found


def validate_ades(pdf: bytes, anchors: Sequence[bytes | str], *, timeout: float = 60.0
                  ) -> AdesVerdict:
    """Validate the first signature of ``pdf`` trusting only ``anchors``, with revocation data
    required for every certificate: B-LTA by EN 319 102-1 §5.6.3 (long-term availability, the
    document time-stamps as evidence), B-T and B-LT by §5.5 (signatures with time; pyHanko's
    §5.6.3 process insists on a past validation that only document time-stamps can anchor).
    Revocation data is fetched (loopback only, ChainError otherwise) only when the document
    carries none (below B-LT)."""
    level = level_of(pdf)
    fetch = level not in ("B-LT", "B-LTA")
    if fetch:
        check_loopback_only(_all_certificates(pdf))

    async def validate() -> AdesVerdict:
        sig = PdfFileReader(BytesIO(pdf)).embedded_regular_signatures[0]
        spec = _spec(anchors, fetch)
        result = (await ades_lta_validation(sig, PdfSignatureValidationSpec(spec))
                  if level == "B-LTA" else await _with_time(sig, spec))
        sub = result.ades_subindic
        return AdesVerdict(level, sub.status.name, sub.standard_name, result.failure_msg,
                           getattr(result, "best_signature_time", None), fetch)

    return run_sync(validate, timeout)
