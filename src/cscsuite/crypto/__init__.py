"""Signature and certificate verification for the suite (issue 4, "Verification").

- :mod:`.signatures`: ``verify_signature`` (RSA v1.5 / PSS, ECDSA DER, BSI plain), ``encoding_of``
- :mod:`.chain`: chain order, validity at signing time, trust, revocation, key usage, QC
- :mod:`.certinfo`: certInfo fields vs the certificate
- :mod:`.certs`: parsing (QC statements registered), :mod:`.oids`: the OID tables
"""

from cscsuite.crypto.certinfo import compare_cert_info
from cscsuite.crypto.certs import CertSummary, summarize
from cscsuite.crypto.chain import ChainResult, check_order, validate_chain
from cscsuite.crypto.errors import ChainError, VerificationError
from cscsuite.crypto.signatures import encoding_of, verify_signature

__all__ = [
    "CertSummary",
    "ChainError",
    "ChainResult",
    "VerificationError",
    "check_order",
    "compare_cert_info",
    "encoding_of",
    "summarize",
    "validate_chain",
    "verify_signature",
]
