"""The credential-info object of ``credentials/info`` and v2 ``credentialInfos`` (CSC §11.5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography import x509

from cscsandbox import defects
from cscsandbox.config import CredentialConfig
from cscsandbox.context import SandboxContext
from cscsandbox.csc.algorithms import key_algos
from cscsandbox.csc.auth import Caller
from cscsandbox.csc.factors import factor_ids
from cscsandbox.csc.params import Params
from cscsandbox.errors import invalid_request

CURVE_OIDS = {"P-256": "1.2.840.10045.3.1.7", "P-384": "1.3.132.0.34", "P-521": "1.3.132.0.35"}
CURVE_BITS = {"P-256": 256, "P-384": 384, "P-521": 521}
CERTIFICATE_CHOICES = ("none", "single", "chain")


@dataclass(frozen=True)
class InfoOptions:
    """What the caller asked to see."""

    certificates: str = "single"
    cert_info: bool = False
    auth_info: bool = False

    @classmethod
    def from_params(cls, params: Params) -> InfoOptions:
        choice = params.optional_string("certificates") or "single"
        if choice not in CERTIFICATE_CHOICES:
            raise invalid_request("Invalid parameter certificates")
        return cls(choice, params.boolean("certInfo"), params.boolean("authInfo"))


def owned_credential(ctx: SandboxContext, caller: Caller, params: Params,
                     unchecked_under: str | None = None) -> CredentialConfig:
    """The credential named by ``credentialID``, if it belongs to the calling user (any user's
    while the defect ``unchecked_under`` names is active: the method's own partial defect)."""
    credential_id = params.string("credentialID")
    cred = ctx.config.credential(credential_id)
    foreign_ok = unchecked_under is not None and defects.active(unchecked_under)
    if cred is None or (cred.user_id != caller.user_id and not foreign_ok):
        raise invalid_request("Invalid parameter credentialID")
    return cred


def usable(cred: CredentialConfig) -> bool:
    """Key enabled and certificate valid (v2 ``onlyValid``)."""
    return cred.status == "enabled" and cred.cert_state == "valid"


def _generalized(moment: Any) -> str:
    return str(moment.strftime("%Y%m%d%H%M%SZ"))


def _key(cred: CredentialConfig) -> dict[str, Any]:
    status = cred.status
    if status == "disabled" and defects.active("disabled-key-reported-enabled"):
        status = "enabled"
    key: dict[str, Any] = {"status": status, "algo": key_algos(cred.key_type)}
    if cred.key_type == "ec":
        key["len"] = CURVE_BITS[cred.curve]
        key["curve"] = CURVE_OIDS[cred.curve]
    else:
        key["len"] = cred.key_size
    return key


def _cert(ctx: SandboxContext, cred: CredentialConfig, options: InfoOptions) -> dict[str, Any]:
    material = ctx.pki.material(cred)
    cert: dict[str, Any] = {"status": cred.cert_state}
    if options.certificates == "single":
        cert["certificates"] = [material.cert_b64]
    elif options.certificates == "chain":
        chain = list(material.chain_b64)
        if defects.active("chain-wrong-order"):
            chain.reverse()
        cert["certificates"] = chain
    if options.cert_info:
        cert.update(_cert_info(material.cert))
    return cert


def _cert_info(cert: x509.Certificate) -> dict[str, str]:
    serial = cert.serial_number
    if defects.active("certinfo-serial-mismatch"):
        serial += 1
    return {
        "issuerDN": cert.issuer.rfc4514_string(),
        "serialNumber": format(serial, "X"),
        "subjectDN": cert.subject.rfc4514_string(),
        "validFrom": _generalized(cert.not_valid_before_utc),
        "validTo": _generalized(cert.not_valid_after_utc),
    }


_DESCRIPTIONS = {"PIN": "PIN of the signing key", "OTP": "One-time code"}


def _otp_description(cred: CredentialConfig) -> str:
    if cred.otp_type == "online":
        return "One-time code sent by SMS (credentials/sendOTP)"
    return _DESCRIPTIONS["OTP"]


def _v1_auth(cred: CredentialConfig) -> dict[str, Any]:
    """``authMode`` and the ``PIN``/``OTP`` groups of an explicit credential [CSC1 §11.5]."""
    auth: dict[str, Any] = {"authMode": cred.auth_mode}
    ids = factor_ids(cred)
    if "PIN" in ids:
        auth["PIN"] = {"presence": "true", "format": "N", "label": "PIN",
                       "description": _DESCRIPTIONS["PIN"]}
    if "OTP" in ids:
        auth["OTP"] = {"presence": "true", "type": cred.otp_type, "format": "N", "label": "OTP",
                       "description": _otp_description(cred), "ID": "sandbox-otp",
                       "provider": "cscsandbox"}
    elif cred.auth_mode == "explicit":
        auth["OTP"] = {"presence": "false"}
    return auth


def _v2_auth(cred: CredentialConfig, details: bool) -> dict[str, Any]:
    """v2 ``auth``: implicit is explicit with no objects (spec-notes §2.1) [CSC2 §11.5]."""
    if cred.auth_mode == "oauth2code":
        return {"mode": "oauth2code"}
    auth: dict[str, Any] = {"mode": "explicit"}
    ids = factor_ids(cred)
    if details and ids:
        auth["expression"] = " AND ".join(ids)
        auth["objects"] = [
            {"type": "Password", "id": i, "format": "N", "label": i,
             "description": _otp_description(cred) if i == "OTP" else _DESCRIPTIONS[i]}
            for i in ids
        ]
    elif details:
        auth["objects"] = []
    return auth


def credential_info(
    ctx: SandboxContext, cred: CredentialConfig, version: str, options: InfoOptions
) -> dict[str, Any]:
    """The info object of ``cred`` in the field names of ``version``."""
    info: dict[str, Any] = {"description": cred.description}
    if version == "v2":
        info["signatureQualifier"] = cred.signature_qualifier
    info["key"] = _key(cred)
    info["cert"] = _cert(ctx, cred, options)
    if version == "v1":
        info.update(_v1_auth(cred))
    else:
        info["auth"] = _v2_auth(cred, options.auth_info)
    info["SCAL"] = cred.scal
    info["multisign"] = cred.multisign
    info["lang"] = ctx.config.service.lang
    return info
