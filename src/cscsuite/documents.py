"""Documents signed through the service: PAdES B-B to B-LTA, their validation and time-stamps.

The steps of document.feature stay one-liners over ``DocumentDriver``. A document is signed by
``pdf_csc`` (pyHanko's CSC signer for v1, the suite's adapter for v2) while the signer's
authorization for exactly the signed hash runs through the scenario's driver, so a browser login
happens on this thread while pyHanko waits in its own. Revocation data is fetched from loopback
only: a chain whose revocation lives elsewhere skips (offline run), it never fails.

Time-stamps come from the profile's ``tsa_url`` when given (RFC 3161 over HTTP), else from the
target's ``signatures/timestamp``; every token obtained is kept in ``notes["timestamps"]`` so the
checks grade what the TSA answered, also when pyHanko refused to build a document with it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from cscsuite.checks import timestamp as ts_checks
from cscsuite.crypto import ChainError, validate_chain
from cscsuite.crypto.chain import check_loopback_only
from cscsuite.driver_signing import SigningDriver
from cscsuite.pdf import PdfVerdict, validate_pdf
from cscsuite.pdf_csc import (
    PdfSigningError,
    ServiceCredential,
    sample_pdf,
    sign_pdf_through_service,
)
from cscsuite.pdf_ltv import AdesVerdict, LongTerm, validate_ades
from cscsuite.profile import expand
from cscsuite.timestamps import (
    CscTimeStamper,
    HttpTimeStamper,
    Recorder,
    Stamped,
    TokenVerdict,
    ask_csc,
    ask_http,
    new_nonce,
    read_token,
    tsa_urls,
    verify_token,
)

OFFLINE = "revocation checking would leave this machine"


@dataclass
class DocumentDriver:
    """Signs and validates documents for one scenario (over its ``SigningDriver``)."""

    flow: SigningDriver

    # --- signing -------------------------------------------------------------------------------

    def sign(self, attempt: bool = False, long_term: LongTerm | None = None) -> None:
        """Sign the sample PDF (PAdES B-B, or ``long_term``'s level). ``attempt``: a refusal
        is kept in ``notes["document_refusal"]`` instead of ending the scenario."""
        w, flow = self.flow.world, self.flow
        service = ServiceCredential(w.api, flow.target.base_url, w.service_token,
                                    flow.credential(), w.evidence)
        w.notes["document_refusal"] = w.notes["document"] = None
        try:
            signed = sign_pdf_through_service(sample_pdf(), service, self._authorizer(attempt),
                                              long_term=long_term,
                                              timeout=w.profile.timeouts.test_s)
        except PdfSigningError as exc:
            if not attempt:
                raise
            w.notes["document_refusal"] = str(exc)
            return
        w.notes["document"] = signed.data
        w.evidence.attach("signed.pdf", signed.data)
        level = "B-B" if long_term is None else long_term.level
        w.evidence.note(f"signed.pdf: PAdES {level} via {signed.client}, "
                        f"signAlgo {signed.sign_algo_oid}")

    def _authorizer(self, attempt: bool) -> Callable[[bytes, str], str]:
        """``authorize(digest, hash_oid)`` for pdf_csc: the credential's own mode, bound to it."""
        flow = self.flow

        def authorize(digest: bytes, hash_oid: str) -> str:
            flow.world.hashes, flow.world.hash_algorithm = [digest], hash_oid
            auth = flow.authorize_signing(attempt=attempt)
            if not flow.world.sad:
                raise PdfSigningError(f"the signer's authorization was refused: {auth.error}")
            return str(flow.world.sad)
        return authorize

    def sign_long_term(self, level: str) -> None:
        """Sign as PAdES ``level`` (B-T, B-LT, B-LTA). A token pyHanko could not use is graded
        as the TSA's fault before the failure propagates."""
        recorder = Recorder()
        self.flow.world.notes["timestamps"] = recorder.stamped
        try:
            self.sign(long_term=LongTerm(level, self.time_stamper(recorder), self.anchors()))
        except ChainError as exc:  # B-LT/B-LTA collect revocation data while signing
            pytest.skip(f"{OFFLINE}: {exc}")
        except PdfSigningError:
            for stamped in recorder.stamped:
                self.check_token(stamped)
            raise

    def time_stamper(self, recorder: Recorder) -> HttpTimeStamper | CscTimeStamper:
        """The profile's RFC 3161 URL if it names one, else the CSC method."""
        w = self.flow.world
        url = w.profile.tsa_url
        if url:
            return HttpTimeStamper(expand(url, base_url=self.flow.target.base_url), recorder,
                                   timeout=w.profile.timeouts.request_s)
        return CscTimeStamper(w.api, w.service_token, recorder)

    # --- validation ----------------------------------------------------------------------------

    def anchors(self) -> Sequence[Any]:
        if not self.flow.target.trust_anchors:
            pytest.skip("the profile lists no trust anchors")
        return self.flow.target.trust_anchors

    def offline(self, certs: Sequence[bytes]) -> None:
        """Revocation is fetched from loopback only (offline run); anything else is skipped."""
        try:
            check_loopback_only(certs)
        except ChainError as exc:
            pytest.skip(f"{OFFLINE}: {exc}")

    def verdict(self, key: str = "document") -> PdfVerdict:
        """The validator's verdict on the document in ``notes[key]`` (validated once)."""
        notes = self.flow.world.notes
        cached = notes.get(f"{key}_verdict")
        if cached is None:
            data = notes[key]
            assert data, "no signed document"
            self.offline(self.flow.credential().certificates)
            [cached] = validate_pdf(data, self.anchors(), revocation="hard")
            notes[f"{key}_verdict"] = cached
            self.flow.world.evidence.note(f"validation of {key}: {cached.summary}")
        return cached

    def chain_problem(self) -> str | None:
        """Why the credential's chain fails validation with revocation checking (None: passes)."""
        certs = self.flow.credential().certificates
        self.offline(certs)
        try:
            validate_chain(certs, self.anchors(), datetime.now(UTC), "hard")
        except ChainError as exc:
            return exc.reason
        return None

    def ades_verdict(self) -> AdesVerdict:
        """EN 319 102-1 validation of the signed document, offline, with the level reached."""
        w = self.flow.world
        try:
            verdict = validate_ades(w.notes["document"], self.anchors(),
                                    timeout=w.profile.timeouts.test_s)
        except ChainError as exc:
            pytest.skip(f"{OFFLINE}: {exc}")
        w.evidence.note(f"AdES validation: {verdict.shown}")
        w.evidence.attach("ades-verdict.txt", f"{verdict.shown}\n"
                          f"best signature time: {verdict.best_signature_time}\n")
        return verdict

    # --- time-stamps ---------------------------------------------------------------------------

    def ask_time_stamp(self) -> None:
        """Ask ``signatures/timestamp`` for a token over a fresh hash with a fresh nonce."""
        w = self.flow.world
        digest = hashlib.sha256(secrets.token_bytes(32)).digest()
        resp, stamped = ask_csc(w.api, w.service_token, digest, "sha256", new_nonce())
        w.response = resp
        w.notes["timestamps"] = [stamped] if stamped else []
        ts_checks.check_token_returned(resp.status, resp.error, stamped,
                                       evidence=self.flow.ev(resp))
        if stamped is not None:
            w.evidence.attach("timestamp.tst", stamped.token)

    def ask_time_stamp_http(self) -> None:
        """POST a time-stamp query to the TSA's HTTP address (RFC 3161 §3.4): the profile's
        ``tsa_url``, else the one the TSA certificate of a ``signatures/timestamp`` token
        publishes; skipped, with the reason, when the target names neither."""
        w = self.flow.world
        url = w.notes["tsa_url"] = self._tsa_url()
        digest = hashlib.sha256(secrets.token_bytes(32)).digest()
        reply, stamped = ask_http(url, digest, "sha256", new_nonce(),
                                  timeout=w.profile.timeouts.request_s)
        w.notes["timestamps"] = [stamped] if stamped else []
        w.evidence.note(f"RFC 3161 query POSTed to {url}: HTTP {reply.status}, "
                        f"{reply.content_type or 'no content type'}")
        ts_checks.check_http_reply(reply, evidence=url)
        ts_checks.check_query_granted(reply, stamped, evidence=url)
        if stamped is not None:
            w.evidence.attach("timestamp-http.tst", stamped.token)

    def ask_time_stamp_http_misfit(self, extra_bytes: int) -> None:
        """Ask the TSA (at the address the previous query used) to stamp a "SHA-256" imprint
        ``extra_bytes`` longer (or, negative, shorter) than SHA-256's 32 bytes."""
        w = self.flow.world
        digest = hashlib.sha512(secrets.token_bytes(32)).digest()[:32 + extra_bytes]
        reply, stamped = ask_http(w.notes["tsa_url"], digest, "sha256", new_nonce(),
                                  timeout=w.profile.timeouts.request_s)
        w.notes["tsa_misfit"] = (reply, stamped)
        w.evidence.note(f"a {len(digest)}-byte SHA-256 imprint: HTTP {reply.status}, "
                        f"{reply.outcome[0] if reply.body else reply.error or 'no body'}")

    def _tsa_url(self) -> str:
        w = self.flow.world
        if w.profile.tsa_url:
            return expand(w.profile.tsa_url, base_url=self.flow.target.base_url)
        if self.flow.target.skip_reason("timestamp_method", w.api.version):
            pytest.skip("the target names no RFC 3161 address: no tsa_url in the profile and "
                        "no signatures/timestamp whose TSA certificate could name one")
        self.ask_time_stamp()
        cert = read_token(self.stamped()[0].token).tsa_cert
        urls = tsa_urls(cert) if cert else []
        if not urls:
            pytest.skip("the target names no RFC 3161 address: no tsa_url in the profile, and "
                        "the TSA certificate publishes no id-ad-timeStamping location")
        return urls[0]

    def stamped(self) -> list[Stamped]:
        stamped = self.flow.world.notes.get("timestamps")
        assert stamped, "no time-stamp token was obtained"
        return list(stamped)

    def check_token(self, stamped: Stamped) -> None:
        """The token covers the hash asked for and echoes the nonce (RFC 3161 §2.4.2)."""
        ts_checks.check_token_imprint(stamped, evidence=self.flow.ev())
        ts_checks.check_token_nonce(stamped, evidence=self.flow.ev())

    def token_trust(self, stamped: Stamped) -> TokenVerdict:
        """Validate the token's TSA certificate path to a trust anchor, revocation required."""
        try:
            return verify_token(stamped.token, stamped.digest, self.anchors(), "hard",
                                timeout=self.flow.world.profile.timeouts.test_s)
        except ChainError as exc:
            pytest.skip(f"{OFFLINE}: {exc}")


def record_fact(node: pytest.Item, label: str, value: str) -> None:
    """Show ``label: value`` with the scenario in every report (``fact.<label>`` property)."""
    node.user_properties.append((f"fact.{label}", value))
