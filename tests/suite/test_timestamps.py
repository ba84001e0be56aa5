"""The suite's own reading of RFC 3161 tokens and its time-stamp sources (issue 17).

Tokens are made here with pyHanko's in-process time stamper and a local test PKI, so each
check is shown to fail for exactly the defect it names: a wrong imprint, a missing nonce, a TSA
certificate whose timeStamping purpose is missing, shared or not critical.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from suite_crypto_factory import NOW, ec_key, make_cert, name, rsa_key

from cscsuite import capabilities
from cscsuite.checks import timestamp as checks
from cscsuite.checks.base import ConformanceError
from cscsuite.discovery import parse_info
from cscsuite.pdf_ltv import LongTerm
from cscsuite.profile import load_profile
from cscsuite.timestamps import (
    CscTimeStamper,
    Recorder,
    Stamped,
    TimestampError,
    read_token,
    verify_token,
)

REPO = Path(__file__).resolve().parents[2]
DIGEST = hashlib.sha256(b"signature value").digest()
ROOT_KEY = ec_key("P-384", 7)
ROOT = make_cert(name("TSA Test Root"), ROOT_KEY, ca=True)
TSA_KEY = rsa_key(2048, 7)


def tsa_cert(purposes=(ExtendedKeyUsageOID.TIME_STAMPING,), critical: bool = True) -> bytes:
    builder = (x509.CertificateBuilder().subject_name(name("Test TSA"))
               .issuer_name(name("TSA Test Root")).public_key(TSA_KEY.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=9))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), True))
    if purposes:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(purposes)), critical)
    cert = builder.sign(ROOT_KEY, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


def stamper(cert: bytes) -> DummyTimeStamper:
    key = asn1_keys.PrivateKeyInfo.load(TSA_KEY.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return DummyTimeStamper(asn1_x509.Certificate.load(cert), key)


def token(cert: bytes | None = None, digest: bytes = DIGEST, nonce: int | None = 77) -> bytes:
    req = {"version": "v1", "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                                                "hashed_message": digest}, "cert_req": True}
    if nonce is not None:
        req["nonce"] = nonce
    resp = stamper(cert or tsa_cert()).request_tsa_response(tsp.TimeStampReq(req))
    return resp["time_stamp_token"].dump()


def asked(der: bytes, digest: bytes = DIGEST, nonce: int | None = 77) -> Stamped:
    return Stamped(digest, "sha256", nonce, der)


def test_read_token_reports_imprint_nonce_and_tsa_certificate() -> None:
    facts = read_token(token())
    assert (facts.imprint, facts.imprint_hash, facts.nonce) == (DIGEST, "sha256", 77)
    assert facts.tsa_eku == (("1.3.6.1.5.5.7.3.8",), True)


def test_read_token_refuses_garbage() -> None:
    with pytest.raises(TimestampError):
        read_token(b"\x30\x03\x02\x01\x01")


def test_a_good_token_passes_every_check() -> None:
    stamped = asked(token())
    checks.check_token_imprint(stamped)
    checks.check_token_nonce(stamped)
    checks.check_tsa_certificate_purpose(stamped)


def test_a_token_over_another_imprint_fails_the_imprint_check() -> None:
    other = hashlib.sha256(b"something else").digest()
    with pytest.raises(ConformanceError, match=r"RFC3161-2\.4\.2") as err:
        checks.check_token_imprint(asked(token(digest=other)))
    assert other.hex() in str(err.value)


def test_a_token_without_the_nonce_fails_the_nonce_check() -> None:
    with pytest.raises(ConformanceError, match="no nonce"):
        checks.check_token_nonce(asked(token(nonce=None), nonce=77))


def test_no_nonce_asked_none_checked() -> None:
    checks.check_token_nonce(asked(token(nonce=None), nonce=None))


@pytest.mark.parametrize(("purposes", "critical", "shown"), [
    ((ExtendedKeyUsageOID.TIME_STAMPING,), False, "not critical"),
    ((ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.CODE_SIGNING), True,
     "1.3.6.1.5.5.7.3.3"),
    ((), True, "no extended key usage"),
])
def test_a_tsa_certificate_unfit_for_time_stamping_fails(purposes, critical, shown) -> None:
    stamped = asked(token(tsa_cert(purposes, critical)))
    with pytest.raises(ConformanceError, match=r"RFC3161-2\.3") as err:
        checks.check_tsa_certificate_purpose(stamped)
    assert shown in str(err.value)


def test_verify_token_trusts_only_the_given_anchor() -> None:
    der = token()
    good = verify_token(der, DIGEST, [ROOT], "off")
    assert (good.intact, good.valid, good.trusted) == (True, True, True)
    other_root = make_cert(name("Other Root"), ec_key("P-384", 8), ca=True)
    assert not verify_token(der, DIGEST, [other_root], "off").trusted
    assert not verify_token(der, hashlib.sha256(b"x").digest(), [ROOT], "off").intact


@dataclass
class FakeResponse:
    status: int
    body: dict
    error: str | None = None

    def field(self, name: str):
        return self.body.get(name)


class FakeApi:
    """Stands in for the adapter: answers signatures/timestamp with a prepared token."""

    def __init__(self, answer) -> None:
        self.answer, self.calls = answer, []

    def call(self, method, body, token):
        self.calls.append((method, body, token))
        return self.answer(body)


def run(coro):
    return asyncio.run(coro)


def test_csc_source_sends_the_method_fields_and_keeps_the_token() -> None:
    def answer(body):
        nonce = int(body["nonce"], 16)
        return FakeResponse(200, {"timestamp": base64.b64encode(
            token(digest=base64.b64decode(body["hash"]), nonce=nonce)).decode()})
    api, recorder = FakeApi(answer), Recorder()
    tst = run(CscTimeStamper(api, "svc", recorder).async_timestamp(DIGEST, "sha256"))
    method, body, service_token = api.calls[0]
    assert (method, service_token, body["hashAlgo"]) == ("signatures/timestamp", "svc",
                                                         "2.16.840.1.101.3.4.2.1")
    assert base64.b64decode(body["hash"]) == DIGEST and int(body["nonce"], 16) > 0
    assert recorder.stamped[0].token == tst.dump()


def test_csc_source_keeps_a_token_without_nonce_before_pyhanko_refuses_it() -> None:
    def answer(body):
        return FakeResponse(200, {"timestamp": base64.b64encode(token(nonce=None)).decode()})
    recorder = Recorder()
    with pytest.raises(TimestampRequestError, match="nonce"):
        run(CscTimeStamper(FakeApi(answer), None, recorder).async_timestamp(DIGEST, "sha256"))
    with pytest.raises(ConformanceError, match="no nonce"):
        checks.check_token_nonce(recorder.stamped[0])


def test_csc_source_reports_a_refusal_with_its_error_code() -> None:
    def answer(body):
        return FakeResponse(400, {}, "invalid_request")
    with pytest.raises(TimestampRequestError, match="HTTP 400 invalid_request"):
        run(CscTimeStamper(FakeApi(answer), None, Recorder()).async_timestamp(DIGEST, "sha256"))


def test_long_term_levels_need_a_time_stamper() -> None:
    with pytest.raises(ValueError, match="time-stamping authority"):
        LongTerm("B-T", None)
    with pytest.raises(ValueError, match="unknown PAdES level"):
        LongTerm("B-X", None)
    assert not LongTerm("B-T", stamper(tsa_cert())).embeds_validation_info
    assert LongTerm("B-LTA", stamper(tsa_cert())).embeds_validation_info


def _caps(methods: list[str], tsa_url: str | None):
    prof = replace(load_profile("sandbox", REPO, env={}),
                   tsa_url=tsa_url)
    infos = {"v2": parse_info("v2", {"methods": methods})}
    return capabilities.resolve(prof, infos, {"v2": None})["v2"]


def test_timestamp_capability_from_info_methods_or_profile_tsa_url() -> None:
    offered = _caps(["signatures/signHash", "signatures/timestamp"], None)
    assert offered.has("timestamp") and offered.has("timestamp_method")
    elsewhere = _caps(["signatures/signHash"], "https://tsa.example/tsr")
    assert elsewhere.has("timestamp") and not elsewhere.has("timestamp_method")
    none = _caps(["signatures/signHash"], None)
    assert none.skip_reason("timestamp") == (
        "target lacks capability 'timestamp' for v2 (discovery: no signatures/timestamp in "
        "info methods; profile: tsa_url absent)")
    assert "info methods without signatures/timestamp" in (
        none.skip_reason("timestamp_method") or "")


def test_profile_reads_tsa_url(tmp_path) -> None:
    text = (REPO / "targets" / "sandbox.toml").read_text()
    path = tmp_path / "p.toml"
    path.write_text('tsa_url = "{base_url}/pki/tsa"\n' + text)
    # root REPO: the copy's companions are the profiles in targets/
    assert load_profile(str(path), REPO, env={}).tsa_url == "{base_url}/pki/tsa"
    assert load_profile("sandbox", REPO, env={}).tsa_url is None
