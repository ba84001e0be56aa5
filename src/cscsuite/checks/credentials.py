"""Checks on credentials/list and credentials/info (CSC1 §11.4-11.5, CSC2 §11.4-11.5).

Inputs are parsed bodies (dicts) and the neutral ``CredentialInfo``; certificate facts come from
:mod:`cscsuite.crypto`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cscsuite.adapters.base import ApiResponse, CredentialInfo
from cscsuite.checks.base import clause, expect
from cscsuite.crypto.certinfo import FIELDS as CERT_INFO_FIELDS
from cscsuite.crypto.certs import summarize

KEY_STATUSES = frozenset({"enabled", "disabled"})
CERT_STATUSES = frozenset({"valid", "expired", "revoked", "suspended"})
GENERALIZED_TIME = re.compile(r"^\d{14}Z$")
HEX = re.compile(r"^[0-9A-Fa-f]+$")


def credential_ids(body: Any) -> list[str]:
    ids = body.get("credentialIDs") if isinstance(body, dict) else None
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


@clause("CSC1-11.4", "credentials/list answers an array of credential IDs (spec-notes §10 "
        "item 17)")
def check_credential_ids(body: Any, *, evidence: str | None = None) -> None:
    ids = body.get("credentialIDs") if isinstance(body, dict) else None
    ok = isinstance(ids, list) and all(isinstance(i, str) for i in ids)
    expect(ok, "credentialIDs: array of strings", repr(ids)[:120], evidence)


@clause("CSC1-11.4", "The signer's credential is listed")
def check_listed(ids: Sequence[str], credential_id: str, *, evidence: str | None = None) -> None:
    expect(credential_id in ids, credential_id, list(ids), evidence)


@clause("CSC1-11.4", "A page holds at most maxResults IDs (spec-notes §10 item 19)")
def check_page_sizes(pages: Sequence[Any], max_results: int, *,
                     evidence: str | None = None) -> None:
    sizes = [len(credential_ids(p)) for p in pages]
    expect(all(s <= max_results for s in sizes), f"at most {max_results} per page", sizes, evidence)


@clause("CSC1-11.4", "Every page reached by following nextPageToken is answered, and the last "
        "page has none (spec-notes §10 item 19)")
def check_pages_followed(pages: Sequence[ApiResponse], *, evidence: str | None = None) -> None:
    """A walk that stopped at a refused page (or ran out of pages to ask for) lists only part
    of the credentials: comparing two such walks alone would let the refusal pass."""
    refused = next((n for n, p in enumerate(pages, 1) if p.status != 200), None)
    expect(refused is None, "HTTP 200 on every page",
           f"page {refused} answered HTTP {pages[refused - 1].status} "
           f"{pages[refused - 1].error or ''}".rstrip() if refused else "", evidence)
    expect(bool(pages) and not pages[-1].field("nextPageToken"),
           "the last page without nextPageToken",
           f"{len(pages)} pages, the last still with nextPageToken" if pages else "no page",
           evidence)


@clause("CSC1-11.4", "Following nextPageToken yields every credential exactly once "
        "(spec-notes §10 item 19)")
def check_pages_complete(paged_ids: Sequence[str], all_ids: Iterable[str], *,
                         evidence: str | None = None) -> None:
    dups = sorted(i for i, n in Counter(paged_ids).items() if n > 1)
    expect(not dups, "no duplicates", f"duplicates {dups}", evidence,
           requirement="No credential appears on two pages")
    expect(set(paged_ids) == set(all_ids), sorted(set(all_ids)), sorted(set(paged_ids)), evidence,
           requirement="The pages hold every credential")


@clause("CSC2-11.4", "credentialInfo=true gives one credentialInfos item per ID with "
        "credentialID, key and multisign (spec-notes §10 item 21)")
def check_credential_infos(body: Mapping[str, Any], *, evidence: str | None = None) -> None:
    infos = body.get("credentialInfos")
    ids = credential_ids(body)
    expect(isinstance(infos, list) and len(infos) == len(ids), f"{len(ids)} items",
           f"{len(infos) if isinstance(infos, list) else repr(infos)} items", evidence,
           requirement="One credentialInfos item per credential ID")
    bad = [i for i, item in enumerate(infos or []) if not (isinstance(item, dict) and
           {"credentialID", "key", "multisign"} <= item.keys())]
    expect(not bad, "credentialID, key, multisign in every item", f"incomplete items {bad}",
           evidence, requirement="Each item has credentialID, key and multisign")


@clause("CSC2-11.4", "Without credentialInfo=true there is no credentialInfos "
        "(spec-notes §10 item 22)")
def check_no_credential_infos(body: Mapping[str, Any], *, evidence: str | None = None) -> None:
    expect("credentialInfos" not in body, "no credentialInfos", "credentialInfos present", evidence,
           requirement="No credentialInfos unless asked for")


@clause("CSC2-11.4", "With onlyValid echoed true, every listed credential is usable "
        "(spec-notes §10 item 23)")
def check_only_valid(body: Mapping[str, Any], *, evidence: str | None = None) -> None:
    if body.get("onlyValid") is not True:
        return
    unusable = [item.get("credentialID") for item in body.get("credentialInfos") or []
                if isinstance(item, dict) and (
                    (item.get("key") or {}).get("status") != "enabled"
                    or (item.get("cert") or {}).get("status", "valid") != "valid")]
    expect(not unusable, "key enabled and certificate valid", f"unusable {unusable}", evidence,
           requirement="onlyValid lists only usable credentials")


@clause("CSC2-11.4", "certInfo/authInfo ask for certificate details and the auth object")
def check_list_details(infos: Sequence[CredentialInfo], *, evidence: str | None = None) -> None:
    lacking = [i.credential_id for i in infos
               if set(CERT_INFO_FIELDS) - set(i.cert_info) or not i.auth_mode]
    expect(not lacking, "certInfo fields and auth.mode in every item", f"lacking in {lacking}",
           evidence, requirement="Every item has certificate details and an auth mode")


@clause("CSC1-11.5", "certificates=none returns no certificate (spec-notes §10 item 28)")
def check_certificate_count(info: CredentialInfo, count: int, *,
                            evidence: str | None = None) -> None:
    expect(len(info.certificates) == count, f"{count}", f"{len(info.certificates)}", evidence,
           requirement="The number of certificates follows the certificates option")


@clause("CSC1-11.5", "certInfo fields are present, serial hex, dates GeneralizedTime "
        "(spec-notes §10 item 31)")
def check_cert_info_format(cert_info: Mapping[str, Any], *, evidence: str | None = None) -> None:
    missing = [f for f in CERT_INFO_FIELDS if f not in cert_info]
    expect(not missing, list(CERT_INFO_FIELDS), f"missing {missing}", evidence,
           requirement="certInfo=true returns every certificate detail")


@clause("CSC1-11.5", "serialNumber is a hexadecimal string")
def check_serial_hex(cert_info: Mapping[str, Any], *, evidence: str | None = None) -> None:
    serial = cert_info.get("serialNumber")
    expect(isinstance(serial, str) and bool(HEX.match(serial)), "hex digits", repr(serial),
           evidence)


@clause("CSC1-11.5", "validFrom/validTo are GeneralizedTime YYYYMMDDHHMMSSZ")
def check_dates_format(cert_info: Mapping[str, Any], *, evidence: str | None = None) -> None:
    bad = {f: cert_info.get(f) for f in ("validFrom", "validTo")
           if not (isinstance(cert_info.get(f), str) and GENERALIZED_TIME.match(cert_info[f]))}
    expect(not bad, "YYYYMMDDHHMMSSZ", bad, evidence)


@clause("CSC1-11.5", "key.status and cert.status use the defined values (spec-notes §10 item 33)")
def check_status_values(info: CredentialInfo, *, evidence: str | None = None) -> None:
    expect(info.key_status in KEY_STATUSES, sorted(KEY_STATUSES), repr(info.key_status), evidence,
           requirement="key.status is enabled or disabled")
    if info.cert_status is not None:
        expect(info.cert_status in CERT_STATUSES, sorted(CERT_STATUSES), repr(info.cert_status),
               evidence, requirement="cert.status is one of the defined values")


@clause("CSC1-11.5", "key.curve is present exactly for EC keys (spec-notes §10 item 34)")
def check_curve_iff_ec(info: CredentialInfo, *, evidence: str | None = None) -> None:
    expect(bool(info.certificates), "a certificate", "none", evidence,
           requirement="The credential has a certificate to compare")
    is_ec = summarize(info.certificates[0]).key_family == "ec"
    expect(is_ec == (info.key_curve is not None), "a curve" if is_ec else "no curve",
           f"curve {info.key_curve!r}", evidence)


@clause("CSC1-11.5", "SCAL is absent or '1'/'2'; multisign an integer >= 1 (spec-notes §10 "
        "item 35)")
def check_scal_multisign(raw: Mapping[str, Any], *, evidence: str | None = None) -> None:
    scal = raw.get("SCAL")
    expect(scal is None or scal in ("1", "2"), "absent, '1' or '2'", repr(scal), evidence,
           requirement="SCAL is '1' or '2' (a string)")
    multi = raw.get("multisign")
    expect(isinstance(multi, int) and not isinstance(multi, bool) and multi >= 1, ">= 1",
           repr(multi), evidence, requirement="multisign is an integer >= 1")


@clause("CSC1-11.5", "v1 authMode is implicit/explicit/oauth2code; PIN/OTP only when explicit "
        "(spec-notes §10 item 36)")
def check_auth_mode_v1(raw: Mapping[str, Any], *, evidence: str | None = None) -> None:
    mode = raw.get("authMode")
    expect(mode in ("implicit", "explicit", "oauth2code"), "one of the three", repr(mode), evidence,
           requirement="authMode is implicit, explicit or oauth2code")
    groups = [g for g in ("PIN", "OTP") if g in raw]
    expect(mode == "explicit" or not groups, "no PIN/OTP groups", groups, evidence,
           requirement="PIN and OTP groups appear only for explicit credentials")


@clause("CSC2-11.5", "v2 auth.mode is explicit/oauth2code; objects only when explicit "
        "(spec-notes §10 item 37)")
def check_auth_mode_v2(raw: Mapping[str, Any], *, evidence: str | None = None) -> None:
    auth = raw.get("auth")
    mode = auth.get("mode") if isinstance(auth, dict) else None
    expect(mode in ("explicit", "oauth2code"), "explicit or oauth2code", repr(mode), evidence,
           requirement="auth.mode is explicit or oauth2code")
    has_objects = isinstance(auth, dict) and bool(auth.get("objects"))
    expect(mode == "explicit" or not has_objects, "no auth.objects", "auth.objects present",
           evidence, requirement="auth.objects appear only for explicit credentials")


@clause("PS-live", "The credential's key algorithms are advertised in info.signAlgorithms "
        "(spec-notes §10 item 38)")
def check_key_algos_advertised(key_algos: Iterable[str], advertised: Iterable[str], *,
                               evidence: str | None = None) -> None:
    extra = sorted(set(key_algos) - set(advertised))
    expect(not extra, "a subset of info.signAlgorithms.algos", f"not advertised {extra}", evidence,
           requirement="Key algorithms are advertised signature algorithms")


@clause("CSC1-11.5", "key.status reports the key's state")
def check_key_status(info: CredentialInfo, expected: str, *, evidence: str | None = None) -> None:
    expect(info.key_status == expected, expected, repr(info.key_status), evidence)


@clause("CSC1-11.5", "cert.status reports the certificate's state")
def check_cert_status(info: CredentialInfo, expected: str, *,
                      evidence: str | None = None) -> None:
    expect(info.cert_status == expected, expected, repr(info.cert_status), evidence)
