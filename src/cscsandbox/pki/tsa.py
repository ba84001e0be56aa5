"""The sandbox's RFC 3161 time-stamping authority (TSA), shared by ``/pki/tsa`` and the CSC
method ``signatures/timestamp``.

Tokens are built and signed by pyHanko's in-process time stamper on asn1crypto's ``tsp``
structures; this module adds what a real TSA decides: which hash algorithms and policies it
accepts (RFC 3161 §2.4.1 ``reqPolicy``), whether certificates go along (``certReq``), the nonce
echo (§2.4.2), a unique serial number, and ``PKIStatusInfo`` refusals instead of HTTP errors.
Three defect switches each break one guarantee: the imprint, the nonce echo and the critical
``timeStamping`` key purpose of the unit's certificate.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asn1crypto import algos, cms, core, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from cscsandbox import defects
from cscsandbox.pki import keys, tsa_certs

if TYPE_CHECKING:
    from cscsandbox.context import SandboxContext

#: The sandbox TSA's own policy (under the ITU-T example arc 2.999) and ETSI EN 319 421's
#: best-practices time-stamp policy; a request naming any other policy is refused.
POLICY_SANDBOX = "2.999.3161.1"
POLICY_ETSI_BTSP = "0.4.0.2023.1.1"
ACCEPTED_POLICIES = (POLICY_SANDBOX, POLICY_ETSI_BTSP)
#: Digest algorithms of accepted message imprints (asn1crypto names) -> digest length.
ACCEPTED_DIGESTS = {"sha256": 32, "sha384": 48, "sha512": 64}
TSA_PATH = "/pki/tsa"


class Rejection(Exception):
    """A refused request: ``fail_info`` is an RFC 3161 PKIFailureInfo name."""

    def __init__(self, fail_info: str, text: str) -> None:
        super().__init__(text)
        self.fail_info = fail_info
        self.text = text


@dataclass(frozen=True)
class Query:
    """What a time-stamp request asks for, checked."""

    digest: bytes
    digest_algorithm: str  # asn1crypto name, e.g. sha256
    nonce: int | None
    policy: str
    cert_req: bool


@dataclass(frozen=True)
class Unit:
    """The TSA unit's key and certificate, and the issuing CA certificate sent along."""

    key: asn1_keys.PrivateKeyInfo
    cert: asn1_x509.Certificate
    ca_cert: asn1_x509.Certificate


def check_digest(digest: bytes, algorithm: str) -> None:
    """Refuse imprints of an unaccepted algorithm or of the wrong length (RFC 3161 §2.4.2)."""
    size = ACCEPTED_DIGESTS.get(algorithm)
    if size is None:
        raise Rejection("bad_alg", f"unsupported hash algorithm {algorithm}")
    if len(digest) != size:
        raise Rejection("bad_data_format", f"a {algorithm} imprint has {size} bytes")


def parse_query(der: bytes) -> Query:
    """The checked content of a DER ``TimeStampReq``; Rejection when it cannot be served."""
    try:
        req = tsp.TimeStampReq.load(der, strict=True)
        version = req["version"].native
        imprint = req["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        digest = imprint["hashed_message"].native
        nonce, policy = req["nonce"].native, req["req_policy"].native
        cert_req = bool(req["cert_req"].native)
        extensions = req["extensions"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise Rejection("bad_data_format", f"not a TimeStampReq: {type(exc).__name__}") from None
    if version != "v1":
        raise Rejection("bad_request", "only TimeStampReq version 1 is supported")
    if extensions:
        raise Rejection("unaccepted_extension", "no request extensions are supported")
    if policy is not None and policy not in ACCEPTED_POLICIES:
        raise Rejection("unaccepted_policy", f"policy {policy} is not offered")
    check_digest(digest, algorithm)
    return Query(digest, algorithm, nonce, policy or POLICY_SANDBOX, cert_req)


class _Stamper(DummyTimeStamper):
    """pyHanko's in-process time stamper, told the policy, nonce and certificate choices."""

    def __init__(self, unit: Unit, query: Query) -> None:
        super().__init__(unit.cert, unit.key,
                         certs_to_embed=SimpleCertificateStore.from_certs([unit.ca_cert]))
        self.query = query

    def _build_tst_info(self, message_imprint: tsp.MessageImprint, dt_: Any,
                        req: tsp.TimeStampReq) -> tsp.TSTInfo:
        digest = self.query.digest
        if defects.active("tsa-wrong-imprint"):
            digest = digest[:-1] + bytes([digest[-1] ^ 0x01])
        info: dict[str, Any] = {
            "version": "v1",
            "policy": self.query.policy,
            "message_imprint": tsp.MessageImprint({
                "hash_algorithm": algos.DigestAlgorithm(
                    {"algorithm": self.query.digest_algorithm}),
                "hashed_message": digest}),
            "serial_number": secrets.randbits(159),
            "gen_time": dt.datetime.now(dt.UTC),
            "accuracy": tsp.Accuracy({"seconds": 1}),
            "ordering": False,
            "tsa": asn1_x509.GeneralName(name="directory_name", value=self.tsa_cert.subject),
        }
        if self.query.nonce is not None and not defects.active("tsa-nonce-not-echoed"):
            info["nonce"] = core.Integer(self.query.nonce)
        return tsp.TSTInfo(info)

    def _build_signed_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        signed: dict[str, Any] = super()._build_signed_data(*args, **kwargs)
        if not self.query.cert_req:
            del signed["certificates"]  # RFC 3161 §2.4.1: certReq false → no certificates
        return signed


def token(unit: Unit, query: Query) -> cms.ContentInfo:
    """A TimeStampToken for ``query`` (the CSC method's answer)."""
    request = tsp.TimeStampReq({"version": "v1", "message_imprint": {
        "hash_algorithm": {"algorithm": query.digest_algorithm},
        "hashed_message": query.digest}})
    resp = _Stamper(unit, query).request_tsa_response(request)
    result: cms.ContentInfo = resp["time_stamp_token"]
    return result


class RefusalResp(core.Sequence):
    """``TimeStampResp`` whose token is OPTIONAL, as RFC 3161 §2.4.2 declares it (asn1crypto
    1.5 marks it mandatory, which cannot encode a refusal)."""

    _fields = [  # noqa: RUF012 - asn1crypto's declaration style
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


def rejection(exc: Rejection) -> RefusalResp:
    return RefusalResp({"status": tsp.PKIStatusInfo({
        "status": "rejection", "status_string": [exc.text],
        "fail_info": tsp.PKIFailureInfo({exc.fail_info})})})


def respond(unit: Unit, der: bytes) -> bytes:
    """The DER ``TimeStampResp`` for a DER ``TimeStampReq`` (a refusal is a response too)."""
    try:
        query = parse_query(der)
    except Rejection as exc:
        return rejection(exc).dump()
    return tsp.TimeStampResp({"status": tsp.PKIStatusInfo({"status": "granted"}),
                              "time_stamp_token": token(unit, query)}).dump()


_units: dict[tuple[str, bool], Unit] = {}
_lock = threading.Lock()


def unit(ctx: SandboxContext) -> Unit:
    """The TSA unit of this sandbox (created on first use; its certificate's EKU is non-critical
    while ``tsa-eku-not-critical`` is on, stored separately so both versions persist)."""
    critical = not defects.active("tsa-eku-not-critical")
    cache_key = (ctx.db_path, critical)
    found = _units.get(cache_key)
    if found is not None:
        return found
    store = ctx.pki
    ca = store.authority("tsa")

    def create() -> tuple[keys.PrivateKey, Any]:
        key = keys.load_or_generate("tsa-unit", "rsa-3072",
                                    keys.cache_dir(ctx.config.service.key_cache_dir))
        cert = tsa_certs.tsa_unit(key, ca.key, ca.cert, store.urls("tsa"),
                                  f"{ctx.base_url}{TSA_PATH}", eku_critical=critical)
        return key, cert

    key, cert = store.stored("tsa:unit" if critical else "tsa:unit-eku-not-critical", create)
    with _lock:
        _units[cache_key] = Unit(
            asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())),
            asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
            asn1_x509.Certificate.load(ca.der))
    return _units[cache_key]
