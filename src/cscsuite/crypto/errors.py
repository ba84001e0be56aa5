"""Typed verification failures: each says *why*, so a check can report it precisely."""

from __future__ import annotations


class VerificationError(Exception):
    """Base class; ``reason`` is a short stable token checks and tests can branch on."""

    reason = "invalid"


class UnsupportedAlgorithm(VerificationError):
    """The OID is unknown to the verifier, or a needed hash OID is missing/unknown."""

    reason = "unsupported_algorithm"


class BadAlgorithmParameters(VerificationError):
    """signAlgoParams missing, not DER RSASSA-PSS-params, or not usable."""

    reason = "bad_parameters"


class WrongAlgorithmFamily(VerificationError):
    """The algorithm needs an RSA key and the certificate holds an EC key, or vice versa."""

    reason = "wrong_family"


class DigestLengthMismatch(VerificationError):
    """The digest is not as long as the hash algorithm's output."""

    reason = "digest_length"


class WrongSignatureLength(VerificationError):
    """The value is not as long as the key demands (RSA modulus, 2 x EC field size)."""

    reason = "wrong_length"


class EncodingConfusion(VerificationError):
    """A DER ECDSA value came where plain r||s is due, or the other way round."""

    reason = "encoding_confusion"


class MalformedSignature(VerificationError):
    """The value is neither the expected encoding nor a recognisable other one."""

    reason = "malformed"


class BadSignatureValue(VerificationError):
    """Well-formed, but the value does not verify for this digest and key."""

    reason = "bad_value"


class ChainError(VerificationError):
    """A certificate chain failed validation; ``reason`` tells which part."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
