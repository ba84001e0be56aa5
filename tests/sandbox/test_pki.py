"""The test PKI: qualified certificate profile, CRL and OCSP answers (RFC 5280, RFC 6960)."""

from __future__ import annotations

import base64
import urllib.parse

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID
from flask.testing import FlaskClient

from .helpers import certificate

QC_STATEMENTS = "1.3.6.1.5.5.7.1.3"


def _chain(client: FlaskClient, headers: dict[str, str], cid: str) -> list[x509.Certificate]:
    doc = client.post(
        "/csc/v2/credentials/info",
        json={"credentialID": cid, "certificates": "chain"},
        headers=headers,
    ).json
    return [
        x509.load_der_x509_certificate(base64.b64decode(c)) for c in doc["cert"]["certificates"]
    ]


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def test_end_entity_is_a_qualified_signature_certificate(
    client: FlaskClient, auth_headers: dict[str, str]
) -> None:
    cert = certificate(client, "v2", "alice-rsa2048", auth_headers)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.content_commitment and not usage.key_cert_sign
    policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert "0.4.0.194112.1.2" in {p.policy_identifier.dotted_string for p in policies}
    parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    ext = next(
        e for e in parsed["tbs_certificate"]["extensions"] if e["extn_id"].dotted == QC_STATEMENTS
    )
    der = ext["extn_value"].contents
    for oid in ("0.4.0.1862.1.1", "0.4.0.1862.1.4", "0.4.0.1862.1.6", "0.4.0.1862.1.6.1"):
        encoded = asn1_x509.ObjectIdentifier(oid).dump()
        assert encoded in der, oid
    crl = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    assert crl[0].full_name[0].value.endswith("/pki/crl/qualified.crl")
    aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    methods = {a.access_method: a.access_location.value for a in aia}
    assert methods[AuthorityInformationAccessOID.OCSP].endswith("/pki/ocsp")


def test_chain_verifies_to_the_published_root(
    client: FlaskClient, auth_headers: dict[str, str]
) -> None:
    ee, ca, root = _chain(client, auth_headers, "alice-p384")
    ee.verify_directly_issued_by(ca)
    ca.verify_directly_issued_by(root)
    published = x509.load_der_x509_certificate(client.get("/pki/ca/root.cer").data)
    assert published == root
    assert x509.load_der_x509_certificate(client.get("/pki/ca/qualified.cer").data) == ca


def test_expired_credential_has_a_past_validity(
    client: FlaskClient, auth_headers: dict[str, str]
) -> None:
    import datetime as dt

    cert = certificate(client, "v2", "alice-expired", auth_headers)
    assert cert.not_valid_after_utc < dt.datetime.now(dt.UTC)


def test_crl_lists_the_revoked_certificate_only(
    client: FlaskClient, auth_headers: dict[str, str]
) -> None:
    revoked = certificate(client, "v2", "alice-revoked", auth_headers)
    good = certificate(client, "v2", "alice-rsa2048", auth_headers)
    ca = _chain(client, auth_headers, "alice-rsa2048")[1]
    crl_url = revoked.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    answer = client.get(_path(crl_url[0].full_name[0].value))
    assert answer.status_code == 200 and answer.mimetype == "application/pkix-crl"
    crl = x509.load_der_x509_crl(answer.data)
    assert crl.is_signature_valid(ca.public_key())  # type: ignore[arg-type]
    assert crl.get_revoked_certificate_by_serial_number(revoked.serial_number) is not None
    assert crl.get_revoked_certificate_by_serial_number(good.serial_number) is None


def test_root_crl_is_empty_and_signed(client: FlaskClient) -> None:
    root = x509.load_der_x509_certificate(client.get("/pki/ca/root.cer").data)
    crl = x509.load_der_x509_crl(client.get("/pki/crl/root.crl").data)
    assert len(crl) == 0 and crl.is_signature_valid(root.public_key())  # type: ignore[arg-type]


def _ocsp_request(cert: x509.Certificate, issuer: x509.Certificate, nonce: bytes | None) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1())
    if nonce:
        builder = builder.add_extension(x509.OCSPNonce(nonce), False)
    return builder.build().public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize(
    ("cid", "status"),
    [
        ("alice-rsa2048", ocsp.OCSPCertStatus.GOOD),
        ("alice-revoked", ocsp.OCSPCertStatus.REVOKED),
        ("bob-p256", ocsp.OCSPCertStatus.GOOD),
    ],
)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_ocsp_answers(
    client: FlaskClient, mint_token: object, cid: str, status: ocsp.OCSPCertStatus, method: str
) -> None:
    user = cid.split("-")[0]
    headers = {"Authorization": f"Bearer {mint_token(user_id=user)}"}  # type: ignore[operator]
    ee, ca, _root = _chain(client, headers, cid)
    request_der = _ocsp_request(ee, ca, b"nonce-123456" if method == "POST" else None)
    if method == "POST":
        answer = client.post("/pki/ocsp", data=request_der, content_type="application/ocsp-request")
    else:
        encoded = urllib.parse.quote(base64.b64encode(request_der).decode(), safe="")
        answer = client.get(f"/pki/ocsp/{encoded}")
    assert answer.mimetype == "application/ocsp-response"
    response = ocsp.load_der_ocsp_response(answer.data)
    assert response.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert response.certificate_status == status
    assert response.serial_number == ee.serial_number
    ca_key = ca.public_key()
    assert isinstance(ca_key, ec.EllipticCurvePublicKey) and response.signature_hash_algorithm
    ca_key.verify(
        response.signature, response.tbs_response_bytes, ec.ECDSA(response.signature_hash_algorithm)
    )
    if method == "POST":
        nonce = response.extensions.get_extension_for_class(x509.OCSPNonce).value
        assert nonce.nonce == b"nonce-123456"


def test_ocsp_unknown_serial(client: FlaskClient, auth_headers: dict[str, str]) -> None:
    _ee, ca, _root = _chain(client, auth_headers, "alice-rsa2048")
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate_by_hash(
            issuer_name_hash=_name_hash(ca),
            issuer_key_hash=_key_hash(ca),
            serial_number=424242,
            algorithm=hashes.SHA1(),
        )
        .build()
    )
    answer = client.post("/pki/ocsp", data=request.public_bytes(serialization.Encoding.DER))
    assert (
        ocsp.load_der_ocsp_response(answer.data).certificate_status == ocsp.OCSPCertStatus.UNKNOWN
    )


def test_ocsp_malformed_request(client: FlaskClient) -> None:
    response = ocsp.load_der_ocsp_response(client.post("/pki/ocsp", data=b"junk").data)
    assert response.response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_unknown_ca_is_a_json_404(client: FlaskClient) -> None:
    answer = client.get("/pki/crl/other.crl")
    assert answer.status_code == 404 and answer.json["error"] == "invalid_request"


def _name_hash(ca: x509.Certificate) -> bytes:
    digest = hashes.Hash(hashes.SHA1())
    digest.update(ca.subject.public_bytes())
    return digest.finalize()


def _key_hash(ca: x509.Certificate) -> bytes:
    return x509.SubjectKeyIdentifier.from_public_key(ca.public_key()).digest  # type: ignore[arg-type]
