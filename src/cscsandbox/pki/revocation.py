"""CRLs and OCSP responses for the test PKI (RFC 5280, RFC 6960)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp

from cscsandbox.pki.store import PkiStore

UPDATE_INTERVAL = dt.timedelta(hours=24)
#: Real CAs publish CRLs and OCSP answers periodically, so thisUpdate lies in the past; a status
#: produced "this very second" would look newer than a validator's validation time under load.
ISSUE_PERIOD_S = 300


def _this_update() -> dt.datetime:
    """The start of the current publication period (thisUpdate of CRLs and OCSP answers)."""
    now = int(dt.datetime.now(dt.UTC).timestamp())
    return dt.datetime.fromtimestamp(now - now % ISSUE_PERIOD_S - ISSUE_PERIOD_S, dt.UTC)


def revocation_time(cert: x509.Certificate) -> dt.datetime:
    """Revoked certificates count as revoked one hour after issuance (stable across calls)."""
    return cert.not_valid_before_utc + dt.timedelta(hours=1)


def crl(store: PkiStore, ca_name: str) -> bytes:
    """A fresh DER CRL of ``ca_name`` (the root revokes nothing)."""
    ca = store.authority(ca_name)
    now = _this_update()
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key())
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now)
        .next_update(now + UPDATE_INTERVAL)
        .add_extension(x509.CRLNumber(int(now.timestamp())), False)
        .add_extension(aki, False)
    )
    if ca_name == "qualified":
        for cred in store.revoked_credentials():
            cert = store.material(cred).cert
            entry = (
                x509.RevokedCertificateBuilder()
                .serial_number(cert.serial_number)
                .revocation_date(revocation_time(cert))
                .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), False)
                .build()
            )
            builder = builder.add_revoked_certificate(entry)
    return builder.sign(ca.key, hashes.SHA384()).public_bytes(Encoding.DER)


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(Encoding.DER)


def ocsp_response(store: PkiStore, request_der: bytes) -> bytes:
    """Answer one OCSP request: good / revoked / unknown, signed by the issuing CA."""
    try:
        request = ocsp.load_der_ocsp_request(request_der)
        serial, algorithm = request.serial_number, request.hash_algorithm
        key_hash = request.issuer_key_hash
    except (ValueError, TypeError):
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    ca = store.authority("qualified")
    if _issuer_key_hash(ca.cert, algorithm) != key_hash:
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    now = _this_update()
    found = store.find_by_serial(serial)
    builder = ocsp.OCSPResponseBuilder()
    if found is None:
        builder = builder.add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash, issuer_key_hash=key_hash,
            serial_number=serial, algorithm=algorithm, cert_status=ocsp.OCSPCertStatus.UNKNOWN,
            this_update=now, next_update=now + UPDATE_INTERVAL, revocation_time=None,
            revocation_reason=None,
        )
    else:
        cred, cert = found
        revoked = cred.cert_state == "revoked"
        builder = builder.add_response(
            cert=cert, issuer=ca.cert, algorithm=algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=now, next_update=now + UPDATE_INTERVAL,
            revocation_time=revocation_time(cert) if revoked else None,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
        )
    for ext in request.extensions:
        if isinstance(ext.value, x509.OCSPNonce):
            builder = builder.add_extension(ext.value, False)
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, ca.cert)
    return builder.sign(ca.key, hashes.SHA384()).public_bytes(Encoding.DER)


def _issuer_key_hash(ca: x509.Certificate, algorithm: hashes.HashAlgorithm) -> bytes:
    """Hash of the issuer's public key BIT STRING, as an OCSP CertID carries it."""
    digest = hashes.Hash(algorithm)
    digest.update(_public_key_bits(ca))
    return digest.finalize()


def _public_key_bits(ca: x509.Certificate) -> bytes:
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives.serialization import PublicFormat

    spki = ca.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return bytes(asn1_keys.PublicKeyInfo.load(spki)["public_key"].contents[1:])
