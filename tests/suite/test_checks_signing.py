"""Each signing check passes on a conforming answer and fails on a deviating one."""

import pytest
from checks_helpers import error, resp

from cscsuite.checks import signing
from cscsuite.checks.base import ConformanceError


def test_signatures_returned():
    signing.check_signatures_returned(resp(200, {"signatures": ["AA=="]}), [b"\0"], 1)
    with pytest.raises(ConformanceError):
        signing.check_signatures_returned(resp(200, {"signatures": []}), [], 1)
    with pytest.raises(ConformanceError):
        signing.check_signatures_returned(error(400, "invalid_request"), [], 1)


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
