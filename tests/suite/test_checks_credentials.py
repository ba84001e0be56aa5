"""Each credentials check passes on a conforming answer and fails on a deviating one."""

import pytest
from suite_crypto_factory import ec_key, make_pki

from cscsuite.adapters.base import ApiResponse, CredentialInfo
from cscsuite.checks import credentials as checks
from cscsuite.checks.base import ConformanceError

CERT_INFO = {"issuerDN": "CN=CA", "serialNumber": "0A1B", "subjectDN": "CN=A",
             "validFrom": "20260101000000Z", "validTo": "20280101000000Z"}


def info(**changes) -> CredentialInfo:
    base = dict(credential_id="c1", key_status="enabled", key_algos=("1.2.840.113549.1.1.11",),
                key_len=2048, key_curve=None, cert_status="valid", certificates=(),
                cert_info={}, auth_mode="oauth2code", scal="1", multisign=1,
                signature_qualifier=None, raw={"multisign": 1, "authMode": "oauth2code"})
    return CredentialInfo(**{**base, **changes})


def test_list_ids_and_membership():
    checks.check_credential_ids({"credentialIDs": ["a", "b"]})
    with pytest.raises(ConformanceError):
        checks.check_credential_ids({"credentialIDs": "a"})
    checks.check_listed(["a", "b"], "a")
    with pytest.raises(ConformanceError):
        checks.check_listed(["a"], "b")


def test_paging():
    checks.check_page_sizes([{"credentialIDs": ["a"]}, {"credentialIDs": []}], 1)
    with pytest.raises(ConformanceError):
        checks.check_page_sizes([{"credentialIDs": ["a", "b"]}], 1)
    checks.check_pages_complete(["a", "b"], ["b", "a"])
    with pytest.raises(ConformanceError, match="duplicates"):
        checks.check_pages_complete(["a", "a", "b"], ["a", "b"])
    with pytest.raises(ConformanceError):
        checks.check_pages_complete(["a"], ["a", "b"])


def _page(status: int, body: dict) -> ApiResponse:
    return ApiResponse(status, {}, body, "", "list")


def test_a_walk_that_stopped_at_a_refused_page_fails_however_its_ids_compare():
    first = _page(200, {"credentialIDs": ["a"], "nextPageToken": "cGFnZTox"})
    checks.check_pages_followed([first, _page(200, {"credentialIDs": ["b"]})])
    refused = _page(400, {"error": "invalid_request"})
    with pytest.raises(ConformanceError, match="page 2 answered HTTP 400 invalid_request"):
        checks.check_pages_followed([first, refused])
    with pytest.raises(ConformanceError, match="the last still with nextPageToken"):
        checks.check_pages_followed([first])  # the walk ran out of pages it could ask for
    with pytest.raises(ConformanceError, match="no page"):
        checks.check_pages_followed([])


def test_credential_infos():
    item = {"credentialID": "a", "key": {}, "multisign": 1}
    checks.check_credential_infos({"credentialIDs": ["a"], "credentialInfos": [item]})
    with pytest.raises(ConformanceError):
        checks.check_credential_infos({"credentialIDs": ["a", "b"], "credentialInfos": [item]})
    with pytest.raises(ConformanceError):
        checks.check_credential_infos({"credentialIDs": ["a"],
                                       "credentialInfos": [{"credentialID": "a"}]})
    checks.check_no_credential_infos({"credentialIDs": []})
    with pytest.raises(ConformanceError):
        checks.check_no_credential_infos({"credentialIDs": [], "credentialInfos": []})


def test_only_valid():
    good = {"credentialID": "a", "key": {"status": "enabled"}, "cert": {"status": "valid"}}
    bad = {"credentialID": "b", "key": {"status": "disabled"}}
    checks.check_only_valid({"onlyValid": True, "credentialInfos": [good]})
    checks.check_only_valid({"credentialInfos": [bad]})  # filter not confirmed: no claim
    with pytest.raises(ConformanceError):
        checks.check_only_valid({"onlyValid": True, "credentialInfos": [good, bad]})


def test_list_details():
    checks.check_list_details([info(cert_info=CERT_INFO)])
    with pytest.raises(ConformanceError):
        checks.check_list_details([info(cert_info=CERT_INFO, auth_mode=None)])


def test_cert_info_format():
    checks.check_cert_info_format(CERT_INFO)
    checks.check_serial_hex(CERT_INFO)
    checks.check_dates_format(CERT_INFO)
    with pytest.raises(ConformanceError):
        checks.check_cert_info_format({"serialNumber": "0A"})
    with pytest.raises(ConformanceError):
        checks.check_serial_hex({"serialNumber": "12:34"})
    with pytest.raises(ConformanceError):
        checks.check_dates_format({**CERT_INFO, "validTo": "2028-01-01"})


def test_certificate_count_and_statuses():
    checks.check_certificate_count(info(certificates=(b"x",)), 1)
    with pytest.raises(ConformanceError):
        checks.check_certificate_count(info(certificates=(b"x",)), 0)
    checks.check_status_values(info())
    with pytest.raises(ConformanceError):
        checks.check_status_values(info(key_status="active"))
    with pytest.raises(ConformanceError):
        checks.check_status_values(info(cert_status="ok"))
    checks.check_key_status(info(key_status="disabled"), "disabled")
    with pytest.raises(ConformanceError):
        checks.check_key_status(info(), "disabled")
    checks.check_cert_status(info(cert_status="revoked"), "revoked")
    with pytest.raises(ConformanceError):
        checks.check_cert_status(info(), "expired")


def test_curve_iff_ec():
    rsa_pki, ec_pki = make_pki(), make_pki(ec_key("P-256", 5))
    checks.check_curve_iff_ec(info(certificates=(rsa_pki.ee,)))
    checks.check_curve_iff_ec(info(certificates=(ec_pki.ee,), key_curve="1.2.840.10045.3.1.7"))
    with pytest.raises(ConformanceError):
        checks.check_curve_iff_ec(info(certificates=(ec_pki.ee,)))
    with pytest.raises(ConformanceError):
        checks.check_curve_iff_ec(info(certificates=(rsa_pki.ee,), key_curve="1.3.132.0.34"))


def test_scal_multisign_and_auth_modes():
    checks.check_scal_multisign({"SCAL": "2", "multisign": 5})
    with pytest.raises(ConformanceError):
        checks.check_scal_multisign({"SCAL": 2, "multisign": 1})
    with pytest.raises(ConformanceError):
        checks.check_scal_multisign({"multisign": 0})
    checks.check_auth_mode_v1({"authMode": "explicit", "PIN": {}, "OTP": {}})
    with pytest.raises(ConformanceError):
        checks.check_auth_mode_v1({"authMode": "oauth2code", "PIN": {}})
    with pytest.raises(ConformanceError):
        checks.check_auth_mode_v1({"authMode": "oauth"})
    checks.check_auth_mode_v2({"auth": {"mode": "explicit", "objects": [{"type": "Password"}]}})
    with pytest.raises(ConformanceError):
        checks.check_auth_mode_v2({"auth": {"mode": "oauth2code", "objects": [{}]}})
    with pytest.raises(ConformanceError):
        checks.check_auth_mode_v2({"auth": {"mode": "implicit"}})


def test_key_algos_advertised():
    checks.check_key_algos_advertised(["1.2"], ["1.2", "1.3"])
    with pytest.raises(ConformanceError):
        checks.check_key_algos_advertised(["1.2", "1.4"], ["1.2"])
