"""The sandbox's RFC 3161 time-stamping authority at /pki/tsa and its certificate (issue 17)."""

from __future__ import annotations

import asyncio
import hashlib
import urllib.parse

import pytest
from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID
from flask.testing import FlaskClient
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext

from cscsandbox.pki import tsa
from cscsandbox.pki.tsa import RefusalResp

DIGEST = hashlib.sha256(b"document").digest()
QUERY = "application/timestamp-query"


def query(digest: bytes = DIGEST, algorithm: str = "sha256", **fields: object) -> bytes:
    req = {"version": "v1", "message_imprint": {"hash_algorithm": {"algorithm": algorithm},
                                                "hashed_message": digest},
           "cert_req": True, **fields}
    return tsp.TimeStampReq(req).dump()


def ask(client: FlaskClient, body: bytes) -> RefusalResp:
    resp = client.post("/pki/tsa", data=body, content_type=QUERY)
    assert resp.status_code == 200
    assert resp.mimetype == "application/timestamp-reply"
    return RefusalResp.load(resp.data)


def tst_info(answer: RefusalResp) -> tsp.TSTInfo:
    assert answer["status"]["status"].native == "granted"
    parsed = answer["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
    assert isinstance(parsed, tsp.TSTInfo)
    return parsed


def tsa_certificate(answer: RefusalResp) -> x509.Certificate:
    signed = answer["time_stamp_token"]["content"]
    sid = signed["signer_infos"][0]["sid"].chosen
    [cert] = [c.chosen for c in signed["certificates"]
              if c.chosen.serial_number == sid["serial_number"].native]
    return x509.load_der_x509_certificate(cert.dump())


def refusal(answer: RefusalResp) -> set[str]:
    assert answer["status"]["status"].native == "rejection"
    assert answer["time_stamp_token"].native is None
    return set(answer["status"]["fail_info"].native)


def test_token_covers_the_imprint_and_echoes_the_nonce(client: FlaskClient) -> None:
    info = tst_info(ask(client, query(nonce=0x1234_5678_9ABC)))
    assert info["message_imprint"]["hashed_message"].native == DIGEST
    assert info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    assert info["nonce"].native == 0x1234_5678_9ABC
    assert info["policy"].dotted == tsa.POLICY_SANDBOX


def test_no_nonce_in_the_token_without_one_in_the_request(client: FlaskClient) -> None:
    assert tst_info(ask(client, query()))["nonce"].native is None


def test_serial_numbers_are_unique(client: FlaskClient) -> None:
    serials = {tst_info(ask(client, query()))["serial_number"].native for _ in range(3)}
    assert len(serials) == 3


@pytest.mark.parametrize("policy", [tsa.POLICY_SANDBOX, tsa.POLICY_ETSI_BTSP])
def test_an_offered_policy_is_used(client: FlaskClient, policy: str) -> None:
    assert tst_info(ask(client, query(req_policy=policy)))["policy"].dotted == policy


def test_an_unknown_policy_is_refused(client: FlaskClient) -> None:
    assert refusal(ask(client, query(req_policy="1.2.3.4"))) == {"unaccepted_policy"}


def test_sha1_is_refused(client: FlaskClient) -> None:
    answer = ask(client, query(hashlib.sha1(b"x").digest(), "sha1"))
    assert refusal(answer) == {"bad_alg"}


def test_an_imprint_of_the_wrong_length_is_refused(client: FlaskClient) -> None:
    assert refusal(ask(client, query(DIGEST[:20]))) == {"bad_data_format"}


@pytest.mark.parametrize("body", [b"", b"garbage", b"\x30\x03\x02\x01\x01", query()[:-3]])
def test_a_body_that_is_no_request_gets_a_refusal_not_a_500(client: FlaskClient,
                                                             body: bytes) -> None:
    assert refusal(ask(client, body)) == {"bad_data_format"}


def test_certreq_false_leaves_the_certificates_out(client: FlaskClient) -> None:
    answer = ask(client, query(cert_req=False))
    assert answer["time_stamp_token"]["content"]["certificates"].native is None


def test_other_media_types_and_methods_get_json_errors(client: FlaskClient) -> None:
    wrong_type = client.post("/pki/tsa", data=query(), content_type="application/octet-stream")
    assert wrong_type.status_code == 415 and wrong_type.json["error"] == "invalid_request"
    assert client.get("/pki/tsa").status_code == 405


def test_tsa_certificate_has_only_timestamping_critical(client: FlaskClient) -> None:
    cert = tsa_certificate(ask(client, query()))
    eku = cert.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE)
    assert list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    assert eku.critical


def test_tsa_certificate_publishes_the_responder_and_its_crl(client: FlaskClient) -> None:
    cert = tsa_certificate(ask(client, query()))
    sia = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_INFORMATION_ACCESS).value
    assert [urllib.parse.urlsplit(d.access_location.value).path for d in sia] == ["/pki/tsa"]
    crl_dp = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    path = urllib.parse.urlsplit(crl_dp[0].full_name[0].value).path
    assert path == "/pki/crl/tsa.crl"
    crl = x509.load_der_x509_crl(client.get(path).data)
    assert crl.issuer == cert.issuer and len(list(crl)) == 0


def test_tsa_chain_leads_to_the_test_root(client: FlaskClient) -> None:
    cert = tsa_certificate(ask(client, query()))
    ca = x509.load_der_x509_certificate(client.get("/pki/ca/tsa.cer").data)
    root = x509.load_der_x509_certificate(client.get("/pki/ca/root.cer").data)
    cert.verify_directly_issued_by(ca)
    ca.verify_directly_issued_by(root)


def test_token_signature_verifies(client: FlaskClient) -> None:
    answer = ask(client, query())
    ctx = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(client.get("/pki/ca/root.cer").data)],
        other_certs=[asn1_x509.Certificate.load(client.get("/pki/ca/tsa.cer").data)])
    status = asyncio.run(validate_tst_signed_data(
        answer["time_stamp_token"]["content"], ctx, lambda _algo: DIGEST))
    assert status["intact"] and status["valid"]


def test_defect_wrong_imprint(make_client) -> None:
    client = make_client(defects=["tsa-wrong-imprint"])
    info = tst_info(ask(client, query()))
    assert info["message_imprint"]["hashed_message"].native != DIGEST


def test_defect_nonce_not_echoed(make_client) -> None:
    client = make_client(defects=["tsa-nonce-not-echoed"])
    assert tst_info(ask(client, query(nonce=42)))["nonce"].native is None


def test_defect_eku_not_critical(make_client) -> None:
    client = make_client(defects=["tsa-eku-not-critical"])
    cert = tsa_certificate(ask(client, query()))
    assert not cert.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE).critical


def test_token_is_a_signed_data_content_info(client: FlaskClient) -> None:
    token = ask(client, query())["time_stamp_token"]
    assert isinstance(token, cms.ContentInfo)
    assert token["content_type"].native == "signed_data"
