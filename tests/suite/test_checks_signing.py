"""Each signing check passes on a conforming answer and fails on a deviating one."""

import pytest
from checks_helpers import error, resp
from suite_crypto_factory import digest, ec_key, make_pki, sign_ecdsa, sign_rsa

from cscsuite.checks import signing
from cscsuite.checks.base import ConformanceError


def test_signatures_returned():
    signing.check_signatures_returned(resp(200, {"signatures": ["AA=="]}), [b"\0"], 1)
    with pytest.raises(ConformanceError):
        signing.check_signatures_returned(resp(200, {"signatures": []}), [], 1)
    with pytest.raises(ConformanceError):
        signing.check_signatures_returned(error(400, "invalid_request"), [], 1)


def test_encoding_per_family(strict_grading):
    rsa_pki, ec_pki = make_pki(), make_pki(ec_key("P-256", 7))
    d = digest()
    signing.check_encoding("rsa", sign_rsa(rsa_pki.ee_key, d), rsa_pki.ee)
    with pytest.raises(ConformanceError):
        signing.check_encoding("rsa", sign_rsa(rsa_pki.ee_key, d)[1:], rsa_pki.ee)
    der = sign_ecdsa(ec_pki.ee_key, d)
    plain = sign_ecdsa(ec_pki.ee_key, d, plain=True)
    signing.check_encoding("ecdsa", der, ec_pki.ee)
    signing.check_encoding("plain_ecdsa", plain, ec_pki.ee)
    with pytest.raises(ConformanceError):
        signing.check_encoding("ecdsa", plain, ec_pki.ee)
    with pytest.raises(ConformanceError):
        signing.check_encoding("plain_ecdsa", der, ec_pki.ee)
    with pytest.raises(ConformanceError):
        signing.check_encoding("dsa", der, ec_pki.ee)


def test_direct_authorization():
    signing.check_direct_authorization_unavailable(error(400, "invalid_request"))
    signing.check_direct_authorization_unavailable(resp(501, None))
    with pytest.raises(ConformanceError):
        signing.check_direct_authorization_unavailable(resp(200, {"SAD": "s"}))
    signing.check_sad_issued(resp(200, {"SAD": "s", "expiresIn": 300}))
    with pytest.raises(ConformanceError):
        signing.check_sad_issued(error(400, "invalid_request"))


def test_wrong_factor_per_version():
    signing.check_wrong_factor(error(400, "invalid_pin"), "v1")
    signing.check_wrong_factor(error(400, "invalid_authentication_data"), "v2")
    with pytest.raises(ConformanceError):
        signing.check_wrong_factor(error(400, "invalid_pin"), "v2")
    with pytest.raises(ConformanceError):
        signing.check_wrong_factor(error(400, "invalid_request"), "v1")
