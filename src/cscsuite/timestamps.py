"""Time-stamp tokens (RFC 3161): obtaining them from a target and reading what they say.

Two sources, one interface (pyHanko's ``TimeStamper``), so PAdES signing does not care where a
token comes from: the CSC method ``signatures/timestamp`` through the suite's API adapter, or an
RFC 3161 responder over HTTP at a URL the profile gives (``tsa_url``). Every token a source
obtains is kept with what was asked (``Stamped``), so checks can grade the imprint, the nonce and
the TSA certificate of each token, including tokens pyHanko would refuse before they reach a
document. This is the suite's own reading of RFC 3161, on asn1crypto's ``tsp`` structures and
pyHanko's token validation; it shares nothing with the sandbox's responder.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol

import httpx
from asn1crypto import cms, core, tsp
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, handle_tsp_response
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus

from cscsuite.crypto import oids
from cscsuite.crypto.aio import run_sync
from cscsuite.crypto.chain import Revocation, check_loopback_only, validation_context
from cscsuite.http import fetch_client

TIME_STAMPING_EKU = "1.3.6.1.5.5.7.3.8"  # id-kp-timeStamping (RFC 3161 §2.3)
TIME_STAMPING_AD = "time_stamping"  # id-ad-timeStamping in SIA (RFC 5280 §4.2.2.2), asn1crypto
METHOD = "signatures/timestamp"
QUERY_TYPE = "application/timestamp-query"  # RFC 3161 §3.4
REPLY_TYPE = "application/timestamp-reply"


class TimestampError(RuntimeError):
    """A token could not be obtained or read; one line."""


@dataclass(frozen=True)
class Stamped:
    """One token and what was asked for it."""

    digest: bytes
    hash_name: str  # asn1crypto name of the digest algorithm, e.g. sha256
    nonce: int | None
    token: bytes  # DER ContentInfo (SignedData over TSTInfo)


@dataclass(frozen=True)
class TokenFacts:
    """What a token's TSTInfo and certificates say."""

    imprint: bytes
    imprint_hash: str
    nonce: int | None
    policy: str
    gen_time: datetime
    serial: int
    tsa_cert: bytes | None  # the signer's certificate, when the token carries it
    certificates: tuple[bytes, ...]  # every certificate in the token (DER)

    @property
    def tsa_eku(self) -> tuple[tuple[str, ...], bool | None]:
        """The TSA certificate's extended key usages and whether the extension is critical
        (None: no such extension or no certificate)."""
        if self.tsa_cert is None:
            return (), None
        cert = asn1_x509.Certificate.load(self.tsa_cert)
        for ext in cert["tbs_certificate"]["extensions"]:
            if ext["extn_id"].native == "extended_key_usage":
                return (tuple(p.dotted for p in ext["extn_value"].parsed),
                        bool(ext["critical"].native))
        return (), None


def read_token(der: bytes) -> TokenFacts:
    """Parse a TimeStampToken; TimestampError when it is not one."""
    try:
        signed = cms.ContentInfo.load(der)["content"]
        info = signed["encap_content_info"]["content"].parsed
        if not isinstance(info, tsp.TSTInfo):
            raise TimestampError("the token does not encapsulate a TSTInfo")
        certs = [c.chosen for c in (signed["certificates"] or [])
                 if isinstance(c.chosen, asn1_x509.Certificate)]
        sid = signed["signer_infos"][0]["sid"].chosen
        tsa = next((c for c in certs if isinstance(sid, cms.IssuerAndSerialNumber)
                    and c.serial_number == sid["serial_number"].native
                    and c.issuer == sid["issuer"]), None)
        imprint = info["message_imprint"]
        return TokenFacts(
            imprint=imprint["hashed_message"].native,
            imprint_hash=imprint["hash_algorithm"]["algorithm"].native,
            nonce=info["nonce"].native, policy=info["policy"].dotted,
            gen_time=info["gen_time"].native, serial=info["serial_number"].native,
            tsa_cert=None if tsa is None else tsa.dump(),
            certificates=tuple(c.dump() for c in certs))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise TimestampError(f"not a time-stamp token: {type(exc).__name__}: {exc}") from None


@dataclass(frozen=True)
class TokenVerdict:
    """pyHanko's validation of a token's signature and of its TSA certificate path."""

    intact: bool  # imprint and content digest as expected
    valid: bool  # the TSA's signature verifies
    trusted: bool  # a valid path to a trust anchor, revocation included when asked
    problem: str | None


def verify_token(der: bytes, digest: bytes, anchors: Sequence[bytes | str],
                 revocation: Revocation = "hard", *, loopback_only: bool = True,
                 timeout: float = 30.0) -> TokenVerdict:
    """Validate ``der`` as a time-stamp over ``digest``, trusting only ``anchors``."""
    facts = read_token(der)
    if loopback_only and revocation != "off":
        check_loopback_only(facts.certificates)

    async def validate() -> TokenVerdict:
        ctx = validation_context(anchors, facts.certificates, None, revocation)
        try:
            status = await validate_tst_signed_data(
                cms.ContentInfo.load(der)["content"], ctx, lambda _algo: digest)
        finally:
            await ctx.aclose()
        result = TimestampSignatureStatus(**status)
        problem = result.trust_problem_indic
        return TokenVerdict(bool(result.intact), bool(result.valid), bool(result.trusted),
                            None if problem is None else str(problem))

    return run_sync(validate, timeout)


class _Caller(Protocol):
    """The adapter's generic method call (``AdapterBase.call``)."""

    def call(self, method: str, body: dict[str, Any], token: str | None) -> Any: ...


@dataclass
class Recorder:
    """The tokens a source handed out, in order, for the checks."""

    stamped: list[Stamped] = field(default_factory=list)

    def keep(self, req: tsp.TimeStampReq, token: bytes) -> None:
        imprint = req["message_imprint"]
        self.stamped.append(Stamped(imprint["hashed_message"].native,
                                    imprint["hash_algorithm"]["algorithm"].native,
                                    req["nonce"].native, token))


class _Recording(TimeStamper):
    """Keeps every granted token before pyHanko checks the nonce (so a bad one is graded)."""

    recorder: Recorder

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        nonce, req = self.request_cms(message_digest, md_algorithm)
        res = await self.async_request_tsa_response(req)
        if res["status"]["status"].native in ("granted", "granted_with_mods"):
            self.recorder.keep(req, res["time_stamp_token"].dump())
            echoed = read_token(self.recorder.stamped[-1].token).nonce
            if nonce is not None and echoed != nonce:  # pyHanko 0.38 crashes formatting this
                raise TimestampRequestError(f"the TSA answered nonce {echoed} to nonce {nonce}")
        return handle_tsp_response(res, nonce)


class CscTimeStamper(_Recording):
    """Tokens from the CSC method ``signatures/timestamp`` (CSC1 §11.10, CSC2 §11.13).

    Sends ``hash``, ``hashAlgo`` and a hex ``nonce`` (the method's own field names in v1 and
    v2.0), with the service access token.
    """

    def __init__(self, api: _Caller, service_token: str | None, recorder: Recorder) -> None:
        super().__init__(include_nonce=True)
        self.api, self.service_token, self.recorder = api, service_token, recorder

    def body(self, req: tsp.TimeStampReq) -> dict[str, Any]:
        imprint = req["message_imprint"]
        body: dict[str, Any] = {
            "hash": base64.b64encode(imprint["hashed_message"].native).decode("ascii"),
            "hashAlgo": oids.HASH_BY_NAME[imprint["hash_algorithm"]["algorithm"].native]}
        if req["nonce"].native is not None:
            body["nonce"] = format(req["nonce"].native, "x")
        return body

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        resp = self.api.call(METHOD, self.body(req), self.service_token)
        if resp.status != 200:
            raise TimestampRequestError(f"{METHOD} refused: HTTP {resp.status} "
                                        f"{resp.error or '(no error code)'}")
        value = resp.field("timestamp")
        try:
            token = cms.ContentInfo.load(base64.b64decode(str(value), validate=True))
            token.native  # noqa: B018 - parse it all now, so a bad answer fails here
        except (ValueError, TypeError) as exc:
            raise TimestampRequestError(f"{METHOD} answered no readable token: {exc}") from None
        return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token})


class HttpTimeStamper(_Recording, HTTPTimeStamper):
    """Tokens from an RFC 3161 responder over HTTP (RFC 3161 §3.4), e.g. a profile's tsa_url."""

    def __init__(self, url: str, recorder: Recorder, timeout: float = 10.0) -> None:
        HTTPTimeStamper.__init__(self, url, timeout=int(timeout))
        self.recorder = recorder


def new_nonce() -> int:
    """A 64-bit random nonce (RFC 3161 §2.4.1: a large random number)."""
    return secrets.randbits(63) | (1 << 62)


def tsa_urls(cert: bytes) -> list[str]:
    """The HTTP(S) time-stamping addresses a TSA certificate publishes in its subject
    information access (id-ad-timeStamping, RFC 5280 §4.2.2.2)."""
    sia = asn1_x509.Certificate.load(cert).subject_information_access_value
    found = [d["access_location"].native for d in sia or ()
             if d["access_method"].native == TIME_STAMPING_AD]
    return [u for u in found if isinstance(u, str) and u.startswith(("http://", "https://"))]


def query_der(digest: bytes, hash_name: str, nonce: int | None) -> bytes:
    """A DER TimeStampReq (RFC 3161 §2.4.1) asking for the TSA's certificate."""
    return tsp.TimeStampReq({"version": "v1", "message_imprint": {
        "hash_algorithm": {"algorithm": hash_name}, "hashed_message": digest},
        "nonce": nonce, "cert_req": True}).dump()


@dataclass(frozen=True)
class HttpReply:
    """What an RFC 3161 responder answered over HTTP; ``error`` when nothing came back."""

    url: str
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    error: str | None = None

    @cached_property
    def outcome(self) -> tuple[str, bytes | None]:
        """The TimeStampResp's PKIStatus and its token (DER), or why there is none (read once:
        the fetch and every check that shows it use the same reading)."""
        try:  # read by hand: asn1crypto's TimeStampResp makes the OPTIONAL token mandatory
            parts = core.Sequence.load(self.body, strict=True)
            info = tsp.PKIStatusInfo.load(parts[0].dump())
            failed = sorted(info["fail_info"].native or ())
            status = str(info["status"].native) + (f" ({', '.join(failed)})" if failed else "")
            if len(parts) < 2:
                return status, None
            token = cms.ContentInfo.load(parts[1].dump())
            token.native  # noqa: B018 - parse it all now, so a bad token counts as none
            return status, token.dump()
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            return f"not a TimeStampResp ({type(exc).__name__})", None


def ask_http(url: str, digest: bytes, hash_name: str, nonce: int | None,
             timeout: float = 10.0) -> tuple[HttpReply, Stamped | None]:
    """POST one time-stamp query (RFC 3161 §3.4); the reply and, when granted, the token."""
    try:
        resp = fetch_client().post(url, content=query_der(digest, hash_name, nonce),
                                   timeout=timeout, headers={"Content-Type": QUERY_TYPE})
    except httpx.HTTPError as err:
        return HttpReply(url, error=f"{type(err).__name__}: {err}"), None
    reply = HttpReply(url, resp.status_code, resp.headers.get("content-type", ""), resp.content)
    status, token = reply.outcome
    granted = resp.status_code == 200 and status in ("granted", "granted_with_mods")
    return reply, Stamped(digest, hash_name, nonce, token) if granted and token else None


def ask_csc(api: _Caller, service_token: str | None, digest: bytes, hash_name: str,
            nonce: int | None) -> tuple[Any, Stamped | None]:
    """One ``signatures/timestamp`` call; the raw answer and, on success, the token kept."""
    stamper = CscTimeStamper(api, service_token, Recorder())
    req = tsp.TimeStampReq.load(query_der(digest, hash_name, nonce))
    resp = api.call(METHOD, stamper.body(req), service_token)
    if resp.status != 200:
        return resp, None
    try:
        token = base64.b64decode(str(resp.field("timestamp")), validate=True)
    except ValueError:
        return resp, None
    return resp, Stamped(digest, hash_name, nonce, token)
