"""Checks on what the service signed and the certificates it returned (spec-notes §10).

Inputs are neutral (DER certificates, raw bytes, OIDs, dicts) so steps stay one-liners; the
cryptography lives in :mod:`cscsuite.crypto`, these functions only grade its verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from cscsuite.checks.base import clause, expect, fail, should
from cscsuite.crypto import oids
from cscsuite.crypto.certinfo import FIELDS, compare_cert_info
from cscsuite.crypto.certs import QC_COMPLIANCE, QUALIFIED_POLICIES, public_key, summarize
from cscsuite.crypto.chain import ChainResult, Revocation, check_order, check_validity_at
from cscsuite.crypto.chain import validate_chain as _validate_chain
from cscsuite.crypto.errors import BadSignatureValue, ChainError, VerificationError
from cscsuite.crypto.signatures import encoding_of, field_size, verify_signature

Cert = bytes | str


def _ec_key(cert: Cert, evidence: str | None) -> Any:
    """The EC public key of ``cert``; part of the encoding checks (cites their clause)."""
    s = summarize(cert)
    expect(s.key_family == "ec", "an EC end-entity key", f"a {s.key_family} key",
           evidence)
    return public_key(cert)


@clause("CSC1-11.9", "Each signature verifies against the end-entity certificate's public key "
        "with the declared algorithm")
def check_signature_verifies(cert: Cert, digest: bytes, signature: bytes, sign_algo: str,
                             hash_algo: str | None = None, sign_algo_params: bytes | None = None,
                             *, evidence: str | None = None) -> None:
    try:
        verify_signature(cert, digest, signature, sign_algo, hash_algo, sign_algo_params)
    except VerificationError as err:
        fail(f"a valid {sign_algo} signature over the digest",
             f"{err.reason}: {err}", evidence)


@clause("CSC1-11.9", "N hashes give N signatures, in the order of the hashes, each verifying")
def check_signature_count_and_order(cert: Cert, digests: Sequence[bytes],
                                    signatures: Sequence[bytes], sign_algo: str,
                                    hash_algo: str | None = None,
                                    sign_algo_params: bytes | None = None, *,
                                    evidence: str | None = None) -> None:
    expect(len(signatures) == len(digests), f"{len(digests)} signatures",
           f"{len(signatures)} signatures", evidence)
    args = (sign_algo, hash_algo, sign_algo_params)
    for i, (digest, sig) in enumerate(zip(digests, signatures, strict=True)):
        try:
            verify_signature(cert, digest, sig, *args)
        except BadSignatureValue as err:
            owner = next((j for j, d in enumerate(digests) if j != i and _verifies(cert, d, sig,
                                                                                  *args)), None)
            actual = (f"signature #{i} is over hash #{owner}" if owner is not None
                      else f"signature #{i}: {err.reason}: {err}")
            fail(f"signature #{i} over hash #{i}", actual,
                 evidence)
        except VerificationError as err:
            fail(f"signature #{i} over hash #{i}",
                 f"signature #{i}: {err.reason}: {err}", evidence)


def _verifies(cert: Cert, digest: bytes, sig: bytes, *args: Any) -> bool:
    try:
        verify_signature(cert, digest, sig, *args)
    except VerificationError:
        return False
    return True


@should  # inferred (spec-notes §10 item 87): a SHOULD at most
@clause("CSC1-11.9", "A BSI ecdsa-plain-signatures value (incl. the bare arc) is plain r||s of "
        "exactly 2x the field size (BSI TR-03111; spec-notes §10 item 87)")
def check_plain_ecdsa_encoding(signature: bytes, cert: Cert, *,
                               evidence: str | None = None) -> None:
    key = _ec_key(cert, evidence)
    want = 2 * field_size(key)
    actual = (f"DER Ecdsa-Sig-Value ({len(signature)} bytes)"
              if len(signature) != want and encoding_of(signature, key) == "der"
              else f"{len(signature)} bytes")
    expect(len(signature) == want, f"plain r||s of {want} bytes",
           actual, evidence)


@should  # inferred (spec-notes §10 item 88): a SHOULD at most
@clause("X962-ECDSA", "An ecdsa-with-SHA* value is a DER Ecdsa-Sig-Value SEQUENCE{r, s} "
        "(spec-notes §10 item 88)")
def check_der_ecdsa_encoding(signature: bytes, cert: Cert, *,
                             evidence: str | None = None) -> None:
    key = _ec_key(cert, evidence)
    enc = encoding_of(signature, key)
    shown = "plain r||s" if enc == "plain" else "neither DER nor plain"
    expect(enc == "der", "DER SEQUENCE{INTEGER r, INTEGER s}",
           f"{shown} ({len(signature)} bytes)", evidence)


@clause("CSC1-11.9", "A PKCS#1 v1.5 signature is exactly as long as the RSA modulus "
        "(spec-notes §10 item 89)")
def check_rsa_length_equals_modulus(signature: bytes, cert: Cert, *,
                                    evidence: str | None = None) -> None:
    s = summarize(cert)
    expect(s.key_family == "rsa", "an RSA end-entity key",
           f"a {s.key_family} key", evidence)
    want = (s.key_bits + 7) // 8
    expect(len(signature) == want, f"{want} bytes",
           f"{len(signature)} bytes", evidence)


@clause("CSC1-11.5", "The chain starts with the end-entity certificate and each next "
        "certificate issued the previous one (spec-notes §10 item 30)")
def check_chain_order(certs: Sequence[Cert], *, evidence: str | None = None) -> None:
    try:
        check_order(certs)
    except ChainError as err:
        fail("end entity first, then its issuer, and so on", str(err),
             evidence)


@clause("RFC5280-6.1", "The certificate chain validates to one of the profile's trust anchors "
        "(not revoked, valid at signing time, usable for non-repudiation)")
def check_chain_trusted(certs: Sequence[Cert], trust_anchors: Sequence[Cert], at: datetime,
                        revocation: Revocation = "off", *, crls: Sequence[bytes] = (),
                        ocsps: Sequence[bytes] = (), require_qualified: bool = False,
                        evidence: str | None = None) -> ChainResult | None:
    try:
        return _validate_chain(certs, trust_anchors, at, revocation, crls=crls, ocsps=ocsps,
                               require_qualified=require_qualified)
    except ChainError as err:
        fail("a valid path to a trust anchor", f"{err.reason}: {err}",
             evidence)
    return None


@clause("RFC5280-6.3", "A chain holding a revoked (or otherwise unusable) certificate fails "
        "validation")
def check_chain_rejected(certs: Sequence[Cert], trust_anchors: Sequence[Cert], at: datetime,
                         revocation: Revocation = "hard", *, reason: str = "revoked",
                         crls: Sequence[bytes] = (), ocsps: Sequence[bytes] = (),
                         evidence: str | None = None) -> None:
    try:
        _validate_chain(certs, trust_anchors, at, revocation, crls=crls, ocsps=ocsps)
    except ChainError as err:
        expect(err.reason == reason, f"rejected: {reason}",
               f"rejected: {err.reason}: {err}", evidence)
        return
    fail(f"rejected: {reason}", "the chain validated", evidence)


@clause("EN319412-2-4.3.2", "A signing certificate has key usage nonRepudiation "
        "(contentCommitment)")
def check_key_usage_non_repudiation(cert: Cert, *, evidence: str | None = None) -> None:
    usage = summarize(cert).key_usage
    expect("non_repudiation" in usage, "keyUsage with nonRepudiation",
           sorted(usage) or "no keyUsage extension", evidence)


@clause("CSC1-11.9", "The signing certificate is valid at signing time")
def check_valid_at(certs: Iterable[Cert], at: datetime, *, evidence: str | None = None) -> None:
    try:
        check_validity_at(certs, at)
    except ChainError as err:
        fail(f"valid at {at:%Y-%m-%dT%H:%M:%SZ}", str(err), evidence)


@clause("EN319412-5-4.2", "A qualified certificate carries the QC statements (QcCompliance; "
        "QcSSCD and QcType esign where asked)")
def check_qc_statements(cert: Cert, required: Iterable[str] = (QC_COMPLIANCE,),
                        qc_type: str | None = None, *, evidence: str | None = None) -> None:
    s = summarize(cert)
    missing = [oid for oid in required if oid not in s.qc_statements]
    expect(not missing, f"QC statements {list(required)}",
           f"missing {missing}; present {list(s.qc_statements)}", evidence)
    if qc_type is not None:
        expect(qc_type in s.qc_types, f"QcType {qc_type}",
               f"QcType {list(s.qc_types)}", evidence)


@clause("EN319411-2-5.3", "A qualified certificate names a qualified certificate policy")
def check_qualified_policy(cert: Cert, accepted: Iterable[str] = QUALIFIED_POLICIES, *,
                           evidence: str | None = None) -> None:
    s = summarize(cert)
    wanted = set(accepted)
    expect(bool(wanted & set(s.policies)), f"one of {sorted(wanted)}",
           list(s.policies) or "no certificatePolicies", evidence)


@clause("CSC1-11.5", "certInfo issuerDN, serialNumber, subjectDN, validFrom, validTo match the "
        "certificate (spec-notes §10 item 31)")
def check_cert_info_matches(cert_info: Mapping[str, Any], cert: Cert, *,
                            evidence: str | None = None) -> None:
    mismatches = compare_cert_info(cert_info, summarize(cert).der)
    expect(not mismatches, {m.field: m.expected for m in mismatches},
           {m.field: f"{m.actual!r} ({m.why})" for m in mismatches}, evidence)


@clause("CSC1-11.5", "Without certInfo=true the certInfo fields are absent "
        "(spec-notes §10 item 32)")
def check_cert_info_absent(cert_info: Mapping[str, Any], *, evidence: str | None = None) -> None:
    present = [f for f in FIELDS if f in cert_info]
    expect(not present, "none of " + ", ".join(FIELDS), present,
           evidence)


@clause("CSC1-11.5", "key.len, key.curve and key.algo agree with the certificate's public key "
        "(spec-notes §10 items 29, 34)")
def check_key_matches_cert(key_len: int | None, key_curve: str | None, cert: Cert,
                           key_algos: Iterable[str] = (), *,
                           evidence: str | None = None) -> None:
    s = summarize(cert)
    expect(key_len == s.key_bits, f"key.len {s.key_bits}",
           f"key.len {key_len}", evidence)
    if s.key_family == "ec":
        expect(key_curve == s.curve_oid, f"key.curve {s.curve_oid}",
               f"key.curve {key_curve}", evidence)
    else:
        expect(key_curve is None, "no key.curve for a non-EC key",
               f"key.curve {key_curve}", evidence)
    wrong = [a for a in key_algos
             if a in oids.SIGN_ALGORITHMS and oids.SIGN_ALGORITHMS[a].family != s.key_family]
    expect(not wrong, f"key.algo usable with a {s.key_family} key",
           f"{wrong} need a different key family", evidence)
