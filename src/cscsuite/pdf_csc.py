"""Sign a real PDF (PAdES baseline B-B, or B-T/B-LT/B-LTA via ``pdf_ltv``) through a CSC
service, in either API version.

v1 goes through pyHanko's own CSC client (``CSCSigner``: it speaks v1 field names, fetches the
credential itself and calls signHash), an independent second client next to the suite's adapter.
v2 goes through the suite's v2 adapter behind pyHanko's external-signer interface
(``pdf.CallableSigner``). The version picks the route here, so steps never branch on it.

Signing is interrupted in three phases, so the signer authorizes exactly the hash that gets
signed (SCAL 2 binding): (1) pyHanko lays out the signature, digests the byte ranges and builds
the CMS signed attributes, whose digest is what the service signs; (2) the caller's ``authorize``
obtains a SAD for exactly that digest, on the caller's thread, where a Playwright login may run;
(3) the service signs and pyHanko embeds the CMS. pyHanko's coroutines run on one event loop in a
worker thread for the whole signing (engineering-notes §2.4), so its aiohttp session outlives the
pause for the login.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import threading
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import aiohttp
from asn1crypto import cms
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import Signer, fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.csc_signer import (
    CSCAuthorizationInfo,
    CSCAuthorizationManager,
    CSCServiceSessionInfo,
    CSCSigner,
    fetch_certs_in_csc_credential,
)
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from cscsuite.adapters.base import SignRequest
from cscsuite.crypto import oids
from cscsuite.pdf import CallableSigner, SignHashRequest
from cscsuite.pdf_ltv import LongTerm

if TYPE_CHECKING:
    from cscsuite.adapters.base import CredentialInfo, CscApi
    from cscsuite.evidence import Evidence

T = TypeVar("T")

#: ``authorize(digest, hash_oid) -> SAD``: the signer's authorization for exactly that digest.
Authorize = Callable[[bytes, str], str]


class PdfSigningError(RuntimeError):
    """Signing the document failed (a refusal by the service or the signer); one line."""


@dataclass(frozen=True)
class ServiceCredential:
    """The service and credential a document is signed with."""

    api: CscApi
    base_url: str  # the service root, before ``/csc/<version>/``
    service_token: str | None
    credential: CredentialInfo  # read through the adapter, with the certificate chain
    evidence: Evidence | None = None


@dataclass(frozen=True)
class SignedPdf:
    """A signed document and what the service signed for it."""

    data: bytes
    digest: bytes  # digest of the CMS signed attributes: the hash the signer authorized
    hash_oid: str
    sign_algo_oid: str
    client: str  # which client library talked to the service


class EventLoopThread:
    """One event loop in a daemon thread; ``run`` blocks the caller until a coroutine ends."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True,
                                        name="cscsuite-pdf-loop")

    def __enter__(self) -> EventLoopThread:
        self._thread.start()
        return self

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(self.timeout)
        except TimeoutError:
            future.cancel()
            raise PdfSigningError(f"pyHanko took longer than {self.timeout:.0f} s") from None

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self.loop.close()


@dataclass
class _Prepared:
    """Phase 1's result: the document with its placeholder and the attributes to sign."""

    prepared_digest: Any  # pyHanko PreparedByteRangeDigest
    tbs: PdfTBSDocument
    output: Any  # the stream holding the prepared document
    signed_attrs: cms.CMSAttributes
    md_algorithm: str
    digest: bytes
    hash_oid: str
    sign_algo_oid: str
    long_term: LongTerm | None = None

    async def close(self) -> None:
        """Release the revocation fetcher of a long-term signature's validation context."""
        ctx = self.tbs.validation_context
        if ctx is not None:
            await ctx.aclose()


class _Route(Protocol):
    """How one API version obtains the signature value; see ``sign_pdf_through_service``."""

    client: str
    refusal: str | None  # the service's refusal, when the client library hides it

    async def signer(self) -> Signer: ...

    def activate(self, prepared: _Prepared, sad: str) -> None: ...

    async def close(self) -> None: ...


def sign_pdf_through_service(pdf: bytes, service: ServiceCredential, authorize: Authorize, *,
                             md_algorithm: str = "sha256", field_name: str = "Signature1",
                             long_term: LongTerm | None = None,
                             timeout: float = 60.0) -> SignedPdf:
    """Sign ``pdf`` as PAdES B-B, or the ``long_term`` level, with the service's credential
    (phases in the module doc; time-stamps and revocation data come in phases 1 and 3)."""
    route = _ROUTES[service.api.version](service)
    prepared: _Prepared | None = None
    with EventLoopThread(timeout) as loop:
        try:
            signer = loop.run(route.signer())
            prepared = loop.run(_prepare(pdf, signer, md_algorithm, field_name, long_term))
            route.activate(prepared, authorize(prepared.digest, prepared.hash_oid))
            data = loop.run(_finish(signer, prepared))
        except (SigningError, TimestampRequestError) as exc:
            raise PdfSigningError(f"{route.client}: {route.refusal or _describe(exc)}") from None
        finally:
            if prepared is not None:
                loop.run(prepared.close())
            loop.run(route.close())
    return SignedPdf(data, prepared.digest, prepared.hash_oid, prepared.sign_algo_oid,
                     route.client)


async def _prepare(pdf: bytes, signer: Signer, md: str, field_name: str,
                   long_term: LongTerm | None) -> _Prepared:
    ctx = None if long_term is None else await long_term.signing_context(
        [c.dump() for c in (signer.signing_cert, *(signer.cert_registry or ())) if c is not None])
    meta = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm=md,
                                        subfilter=fields.SigSeedSubFilter.PADES,
                                        **({} if long_term is None else long_term.metadata(ctx)))
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    prepared_digest, tbs, output = await signers.PdfSigner(
        meta, signer=signer, timestamper=None if long_term is None else long_term.timestamper,
    ).async_digest_doc_for_signing(writer)
    attrs = await signer.signed_attrs(
        prepared_digest.document_digest, md, use_pades=True,
        attr_settings=PdfCMSSignedAttributes(signing_time=datetime.now(UTC)))
    mechanism = signer.get_signature_mechanism_for_digest(md)
    return _Prepared(prepared_digest, tbs, output, attrs, md,
                     hashlib.new(md, attrs.dump()).digest(), oids.HASH_BY_NAME[md],
                     mechanism["algorithm"].dotted, long_term)


async def _finish(signer: Signer, prepared: _Prepared) -> bytes:
    signed = await signer.async_sign_prescribed_attributes(
        prepared.md_algorithm, prepared.signed_attrs, timestamper=prepared.tbs.timestamper)
    await PdfTBSDocument.async_finish_signing(
        prepared.output, prepared.prepared_digest, signed,
        post_sign_instr=prepared.tbs.post_sign_instructions,
        validation_context=prepared.tbs.validation_context)
    prepared.output.seek(0)
    return bytes(prepared.output.read())


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__
    return f"{exc} ({cause})" if cause is not None else str(exc)


# --- v1: pyHanko's own CSC client ------------------------------------------------------------


class BoundSadManager(CSCAuthorizationManager):
    """Hands pyHanko the SAD the signer obtained for exactly one digest (pyHanko does no OAuth).

    Refuses when pyHanko asks for any other hash, so a mismatch between what was authorized and
    what is sent to signHash surfaces here instead of as a refusal by the service.
    """

    def __init__(self, session_info: CSCServiceSessionInfo, credential_info: Any) -> None:
        super().__init__(session_info, credential_info)
        self._bound: tuple[str, str] | None = None

    def bind(self, digest: bytes, sad: str) -> None:
        self._bound = (base64.b64encode(digest).decode("ascii"), sad)

    async def authorize_signature(self, hash_b64s: list[str]) -> CSCAuthorizationInfo:
        if self._bound is None or hash_b64s != [self._bound[0]]:
            raise SigningError(f"pyHanko asked to sign {len(hash_b64s)} hash(es) other than the "
                               "one the signer authorized")
        sad, self._bound = self._bound[1], None
        return CSCAuthorizationInfo(sad=sad)


@dataclass
class PyHankoV1Route:
    """v1 through ``CSCSigner``: credentials/info and signHash sent by pyHanko via aiohttp."""

    service: ServiceCredential
    client: str = "pyHanko CSCSigner (CSC v1)"
    refusal: str | None = None  # the service's last error answer, as pyHanko hides it
    _session: aiohttp.ClientSession | None = None
    _manager: BoundSadManager | None = None

    async def signer(self) -> Signer:
        self._session = aiohttp.ClientSession(middlewares=(self._record,))
        info = CSCServiceSessionInfo(
            service_url=self.service.base_url.rstrip("/"),
            credential_id=self.service.credential.credential_id,
            oauth_token=self.service.service_token, api_ver=self.service.api.version)
        credential = await fetch_certs_in_csc_credential(self._session, info)
        self._manager = BoundSadManager(info, credential)
        return CSCSigner(self._session, self._manager, sign_timeout=30)

    def activate(self, prepared: _Prepared, sad: str) -> None:
        assert self._manager is not None
        self._manager.bind(prepared.digest, sad)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _record(self, request: aiohttp.ClientRequest,
                      handler: Callable[[aiohttp.ClientRequest], Awaitable[aiohttp.ClientResponse]],
                      ) -> aiohttp.ClientResponse:
        """Client middleware: record pyHanko's exchanges into the evidence like the suite's own,
        and keep a refusal, which pyHanko turns into an error without the service's code."""
        body_in = request.body
        sent = body_in if isinstance(body_in, bytes) else await body_in.as_bytes()
        try:
            resp = await handler(request)
        except aiohttp.ClientError as exc:
            self._keep(request, sent, error=f"{type(exc).__name__}: {exc}")
            raise
        body = await resp.read()
        if resp.status >= 400:
            method = "/".join(request.url.path.split("/")[3:])  # /csc/v1/<method>
            self.refusal = f"{method} refused: HTTP {resp.status} {_error(body)}"
        self._keep(request, sent, status=resp.status, response_headers=dict(resp.headers),
                   response_body=body)
        return resp

    def _keep(self, request: aiohttp.ClientRequest, sent: bytes, **answer: Any) -> None:
        if self.service.evidence is not None:
            self.service.evidence.record_exchange(
                method=request.method, url=str(request.url),
                request_headers=dict(request.headers), request_body=sent, **answer)


def _error(body: bytes) -> str:
    """The CSC error code of an answer (never its description: it may echo input)."""
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        error = None
    return error if isinstance(error, str) else "(no error code)"


# --- v2: the suite's adapter behind pyHanko's external-signer interface --------------------


@dataclass
class AdapterSignHash:
    """``CallableSigner``'s signature source: one signHash call through the suite's adapter."""

    service: ServiceCredential
    bound: tuple[bytes, str] | None = field(default=None, repr=False)

    def __call__(self, request: SignHashRequest) -> bytes:
        if self.bound is None or request.digest != self.bound[0]:
            raise SigningError("pyHanko asked to sign a hash the signer did not authorize")
        sad, self.bound = self.bound[1], None
        resp = self.service.api.sign_hashes(self.service.service_token, SignRequest(
            credential_id=self.service.credential.credential_id, hashes=[request.digest],
            sign_algorithm=request.sign_algo_oid, hash_algorithm=request.hash_oid,
            sign_algorithm_params=request.sign_algo_params, sad=sad))
        if resp.status != 200:
            raise SigningError(f"signatures/signHash refused: HTTP {resp.status} "
                               f"{resp.error or '(no error code)'}")
        signatures = self.service.api.parse_signatures(resp)
        if len(signatures) != 1:
            raise SigningError(f"signHash returned {len(signatures)} signatures for 1 hash")
        return signatures[0]


@dataclass
class AdapterRoute:
    """Any version through the suite's adapter (used for v2): certificates from the adapter."""

    service: ServiceCredential
    client: str = "suite adapter as pyHanko external signer"
    refusal: str | None = None  # SigningError already carries the adapter's refusal
    _sign: AdapterSignHash | None = None

    async def signer(self) -> Signer:
        certs = self.service.credential.certificates
        if not certs:
            raise SigningError("the credential came without certificates")
        self._sign = AdapterSignHash(self.service)
        return CallableSigner(certs[0], certs[1:], self._sign)

    def activate(self, prepared: _Prepared, sad: str) -> None:
        assert self._sign is not None
        self._sign.bound = (prepared.digest, sad)

    async def close(self) -> None:
        return None


_ROUTES: dict[str, Callable[[ServiceCredential], _Route]] = {
    "v1": PyHankoV1Route,
    "v2": AdapterRoute,
}


# --- documents -----------------------------------------------------------------------------


def sample_pdf(text: str = "Contract for signature") -> bytes:
    """A one-page PDF with a line of text, written by pyHanko (binary header, xref stream)."""
    writer = PdfFileWriter()
    font = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Font"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
        generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica")})
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = generic.StreamObject(stream_data=f"BT /F1 18 Tf 72 720 Td ({escaped}) Tj ET".encode(
        "latin-1"))
    resources = generic.DictionaryObject({generic.pdf_name("/Font"): generic.DictionaryObject(
        {generic.pdf_name("/F1"): writer.add_object(font)})})
    media_box = generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)])
    writer.insert_page(PageObject(writer.add_object(stream), media_box, resources))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def tampered(pdf: bytes) -> bytes:
    """``pdf`` with one byte of the signed content changed (the page text, not the signature)."""
    at = pdf.find(b"Tj ET")
    if at < 0:
        raise ValueError("no page text to change")
    at -= 3  # the last character of the shown text, inside the signed byte range
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]
