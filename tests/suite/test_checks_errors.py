"""Each error check passes on a conforming answer and fails on a deviating one."""

import pytest
from checks_helpers import error, resp

from cscsuite.checks import errors
from cscsuite.checks.base import ConformanceError


def test_check_error_exact_code():
    errors.check_error(error(400, "invalid_request"), 400, "invalid_request")
    with pytest.raises(ConformanceError, match="invalid_grant"):
        errors.check_error(error(400, "invalid_grant"), 400, "invalid_request")
    with pytest.raises(ConformanceError):
        errors.check_error(error(401, "invalid_request"), 400, "invalid_request")


def test_spec_typo_tolerated_only_for_invalid_request():
    errors.check_error(error(400, "Invalid_request"), 400, "invalid_request")
    with pytest.raises(ConformanceError):
        errors.check_error(error(400, "Invalid_grant"), 400, "invalid_grant")


def test_description_is_never_compared():
    errors.check_error(resp(400, {"error": "invalid_request", "error_description": "x"}), 400,
                       "invalid_request")


def test_check_success():
    errors.check_success(resp(200, {}))
    with pytest.raises(ConformanceError):
        errors.check_success(resp(200, None))
    with pytest.raises(ConformanceError):
        errors.check_success(error(400, "invalid_request"))


def test_json_error_body():
    errors.check_json_error_body(error(400, "invalid_request"))
    with pytest.raises(ConformanceError, match="Content-Type"):
        errors.check_json_error_body(resp(400, {"error": "x"}, {"content-type": "text/html"}))
    with pytest.raises(ConformanceError, match="string 'error'"):
        errors.check_json_error_body(resp(400, {"message": "x"}))
    with pytest.raises(ConformanceError):
        errors.check_json_error_body(resp(500, {"error": "server_error"}))


def test_unauthorized():
    errors.check_unauthorized(error(401, "invalid_token"))
    errors.check_unauthorized(resp(401, None))
    with pytest.raises(ConformanceError):
        errors.check_unauthorized(error(400, "invalid_request"))
    with pytest.raises(ConformanceError):
        errors.check_unauthorized(error(401, "access_denied"))


def test_missing_auth():
    errors.check_missing_auth(resp(401, None))
    errors.check_missing_auth(error(400, "invalid_request"))
    with pytest.raises(ConformanceError):
        errors.check_missing_auth(resp(200, {}))


def test_no_server_error_and_status():
    errors.check_no_server_error(error(400, "x"))
    with pytest.raises(ConformanceError):
        errors.check_no_server_error(resp(500, None))
    errors.check_status(resp(405, None), 405)
    with pytest.raises(ConformanceError):
        errors.check_status(resp(200, {}), 405)
    errors.check_error_among(error(401, "invalid_client"), [(401, "invalid_client")])
    with pytest.raises(ConformanceError):
        errors.check_error_among(error(400, "invalid_grant"), [(401, "invalid_client")])


def test_a_body_that_is_no_json_error_is_shown_as_what_it_is():
    from cscsuite.adapters.base import ApiResponse
    from cscsuite.checks import refusal
    from cscsuite.driver import response_outcome

    plain = ApiResponse(400, {"content-type": "text/plain; charset=utf-8"}, None,
                        "400: Bad Request", "u")
    with pytest.raises(ConformanceError) as err:
        errors.check_error(plain, 400, "invalid_request")
    assert "actual:   HTTP 400 text/plain '400: Bad Request'" in str(err.value)
    with pytest.raises(ConformanceError) as err:
        refusal.check_refused(response_outcome(plain, "credentials/info", None), 400,
                              "invalid_request")
    assert "actual:   HTTP 400 text/plain '400: Bad Request' at credentials/info" in str(err.value)
    listed = ApiResponse(400, {"Content-Type": "application/json"}, ["x"], '["x"]', "u")
    assert errors.shown(listed) == "HTTP 400 application/json JSON list, not an object"
    empty = ApiResponse(502, {}, None, "", "u")
    assert errors.shown(empty) == "HTTP 502 no content type, empty body"
    assert errors.shown(error(400, "invalid_request")) == "HTTP 400, error 'invalid_request'"
