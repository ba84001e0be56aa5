"""PAdES baseline B-B signing through an external signature source, and offline validation.

pyHanko computes the signed attributes and their digest; the signature value comes from a
callable (in the scenarios: signHash through the suite's v2 adapter), so the same code signs
with a local key in unit tests. Validation uses explicit trust anchors and fetches CRL/OCSP only
from loopback. pyHanko's APIs are async: everything hops to a worker thread (crypto.aio).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator.registry import SimpleCertificateStore

from cscsuite.crypto import oids
from cscsuite.crypto.aio import run_sync
from cscsuite.crypto.certs import load_asn1, public_key, summarize
from cscsuite.crypto.chain import Revocation, check_loopback_only, validation_context
from cscsuite.crypto.signatures import encoding_of, field_size


@dataclass(frozen=True)
class SignHashRequest:
    """What a signHash call needs for one PDF signature (neutral names, raw bytes)."""

    digest: bytes
    hash_oid: str
    sign_algo_oid: str
    sign_algo_params: bytes | None


SignFn = Callable[[SignHashRequest], bytes]


class CallableSigner(signers.Signer):
    """A pyHanko signer whose raw signature value comes from ``sign_fn``.

    ``plain_to_der``: convert a plain ``r||s`` ECDSA value to DER before embedding (for a
    BSI plain signAlgo); otherwise the value is embedded as returned, so a service that answers
    plain where DER is due produces a PDF that fails validation, as it would for a real client.
    """

    def __init__(self, cert_der: bytes, chain_der: Sequence[bytes], sign_fn: SignFn, *,
                 prefer_pss: bool = False, plain_to_der: bool = False) -> None:
        cert = load_asn1(cert_der)
        super().__init__(signing_cert=cert, prefer_pss=prefer_pss,
                         cert_registry=SimpleCertificateStore.from_certs(
                             [load_asn1(c) for c in chain_der]))
        self._sign_fn = sign_fn
        self._plain_to_der = plain_to_der
        self._summary = summarize(cert_der)

    def _placeholder_size(self) -> int:
        if self._summary.key_family == "rsa":
            return (self._summary.key_bits + 7) // 8
        return 2 * ((self._summary.key_bits + 7) // 8) + 9  # DER Ecdsa-Sig-Value upper bound

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self._placeholder_size())
        mech = self.get_signature_mechanism_for_digest(digest_algorithm)
        params = mech["parameters"]
        request = SignHashRequest(
            digest=hashlib.new(digest_algorithm, data).digest(),
            hash_oid=oids.HASH_BY_NAME[digest_algorithm],
            sign_algo_oid=mech["algorithm"].dotted,
            sign_algo_params=None if params.native is None else params.dump(),
        )
        value = self._sign_fn(request)
        if self._plain_to_der and self._summary.key_family == "ec":
            value = _plain_to_der(value, self._summary.der)
        return value


def _plain_to_der(value: bytes, cert_der: bytes) -> bytes:
    key = public_key(cert_der)
    if not isinstance(key, ec.EllipticCurvePublicKey) or encoding_of(value, key) != "plain":
        return value
    n = field_size(key)
    return encode_dss_signature(int.from_bytes(value[:n], "big"), int.from_bytes(value[n:], "big"))


def sign_pdf_pades_b_b(pdf: bytes, signer: signers.Signer, *, field_name: str = "Signature1",
                       md_algorithm: str = "sha256", timeout: float = 60.0) -> bytes:
    """Sign ``pdf`` as PAdES baseline B-B (``/ETSI.CAdES.detached``); return the new PDF."""

    async def sign() -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        meta = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm=md_algorithm,
                                            subfilter=fields.SigSeedSubFilter.PADES)
        out = BytesIO()
        await signers.async_sign_pdf(writer, meta, signer=signer, output=out)
        return out.getvalue()

    return run_sync(sign, timeout)


@dataclass(frozen=True)
class PdfVerdict:
    """The validator's findings for one PDF signature (True = good, except ``revoked``)."""

    field_name: str
    intact: bool  # the signed byte ranges hash to the signed digest
    valid: bool  # the signature value verifies with the signer's key
    trusted: bool  # a valid path to a trust anchor (incl. key usage and revocation)
    revoked: bool
    key_usage_ok: bool  # signer certificate has nonRepudiation
    coverage: str  # e.g. ENTIRE_FILE
    summary: str  # pyHanko's summary, e.g. INTACT:TRUSTED,UNTOUCHED
    trust_problem: str | None
    signer_subject: str

    @property
    def ok(self) -> bool:
        return (self.intact and self.valid and self.trusted and not self.revoked
                and self.key_usage_ok)


def validate_pdf(pdf: bytes, trust_anchors_der: Sequence[bytes | str],
                 revocation: Revocation = "off", *, crls: Sequence[bytes] = (),
                 ocsps: Sequence[bytes] = (), at: datetime | None = None,
                 key_usage: Sequence[str] = ("non_repudiation",), loopback_only: bool = True,
                 timeout: float = 60.0) -> list[PdfVerdict]:
    """Validate every signature in ``pdf`` offline; one verdict per signature, in file order.

    With revocation on, CRL/OCSP are fetched from the URLs in the certificates, which must be
    loopback when ``loopback_only`` (ChainError otherwise), plus ``crls``/``ocsps`` given here.
    """

    async def validate() -> list[PdfVerdict]:
        reader = PdfFileReader(BytesIO(pdf))
        verdicts = []
        for sig in reader.embedded_signatures:
            certs = [c.dump() for c in sig.signed_data["certificates"]
                     if isinstance(c.chosen, asn1_x509.Certificate)]
            if loopback_only and revocation != "off":
                check_loopback_only(certs)
            ctx = validation_context(trust_anchors_der, certs, at, revocation, crls, ocsps)
            try:
                status = await async_validate_pdf_signature(
                    sig, signer_validation_context=ctx,
                    key_usage_settings=KeyUsageConstraints(key_usage=set(key_usage)))
            finally:
                await ctx.aclose()
            verdicts.append(_verdict(sig.field_name, status))
        return verdicts

    return run_sync(validate, timeout)


def _verdict(field_name: str, status: PdfSignatureStatus) -> PdfVerdict:
    signer = summarize(status.signing_cert.dump())
    return PdfVerdict(
        field_name=field_name,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        key_usage_ok="non_repudiation" in signer.key_usage,
        coverage=status.coverage.name if status.coverage is not None else "UNKNOWN",
        summary=status.summary(),
        trust_problem=None if status.trust_problem_indic is None
        else str(status.trust_problem_indic),
        signer_subject=signer.subject_dn,
    )
