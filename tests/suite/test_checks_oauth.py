"""Each OAuth, PAR, revocation and client-data check passes on conforming input and fails on a
deviating one."""

import pytest
from checks_helpers import error, resp

from cscsuite.checks import client_data, par, revocation
from cscsuite.checks import oauth as checks
from cscsuite.checks.base import GRADING, ConformanceError
from cscsuite.world import Authorization


def auth(**kw) -> Authorization:
    return Authorization(scope="service", state_sent="s1", **kw)


def test_code_and_state():
    checks.check_code_returned(auth(code="c"))
    with pytest.raises(ConformanceError):
        checks.check_code_returned(auth(error="access_denied"))
    checks.check_state_echoed(auth(code="c", state_returned="s1"))
    with pytest.raises(ConformanceError):
        checks.check_state_echoed(auth(code="c"))
    with pytest.raises(ConformanceError):
        checks.check_state_echoed(auth(code="c", state_returned="s2"))


def test_callback_error_and_refusal():
    checks.check_callback_error(auth(error="invalid_scope"), "invalid_scope")
    with pytest.raises(ConformanceError, match="invalid_scope"):
        checks.check_callback_error(auth(error="invalid_request"), "invalid_scope")
    with pytest.raises(ConformanceError):
        checks.check_callback_error(auth(code="c"), "access_denied")
    checks.check_authorization_refused(auth(error="error_page"))
    with pytest.raises(ConformanceError):
        checks.check_authorization_refused(auth(code="c"))


def test_not_redirected_to():
    target = "https://attacker.example/callback"
    checks.check_not_redirected_to(resp(400, {"error": "invalid_request"}), target)
    checks.check_not_redirected_to(resp(302, None, {"location": "https://client.example/cb"}),
                                   target)
    with pytest.raises(ConformanceError):
        checks.check_not_redirected_to(resp(302, None, {"location": target + "?error=x"}), target)


def test_redirect_refused_before_login():
    checks.check_redirect_refused_before_login(resp(400, {"error": "invalid_request"}))
    checks.check_redirect_refused_before_login(resp(200, None))  # an error page
    with pytest.raises(ConformanceError):
        checks.check_redirect_refused_before_login(
            resp(302, None, {"location": "https://as.example/login/password?s=1"}))


def test_token_responses():
    good = resp(200, {"access_token": "t", "token_type": "Bearer", "expires_in": 3600})
    checks.check_service_token(good)
    with pytest.raises(ConformanceError):
        checks.check_service_token(resp(200, {"access_token": "t", "token_type": "SAD"}))
    with pytest.raises(ConformanceError):
        checks.check_service_token(resp(200, {"access_token": "t", "token_type": "Bearer",
                                              "expires_in": "3600"}))
    checks.check_credential_token(resp(200, {"access_token": "t", "token_type": "SAD"}), "SAD")
    with pytest.raises(ConformanceError):
        checks.check_credential_token(good, "SAD")
    checks.check_no_refresh_token(good)
    with pytest.raises(ConformanceError):
        checks.check_no_refresh_token(resp(200, {"access_token": "t", "refresh_token": "r"}))


def test_token_errors_and_client_refusal():
    checks.check_token_error(error(400, "invalid_grant"), "invalid_grant")
    with pytest.raises(ConformanceError):
        checks.check_token_error(error(400, "invalid_request"), "invalid_grant")
    checks.check_token_status(error(400, "unsupported_grant_type"), 400)
    with pytest.raises(ConformanceError):
        checks.check_token_status(resp(200, {"access_token": "t"}), 400)
    checks.check_client_refused(error(401, "invalid_client"))
    checks.check_client_refused(error(400, "invalid_request"))
    with pytest.raises(ConformanceError):
        checks.check_client_refused(error(400, "invalid_grant"))
    checks.check_no_token(error(400, "invalid_grant"))
    with pytest.raises(ConformanceError):
        checks.check_no_token(resp(200, {"access_token": "t"}))


def test_granted_details_and_chosen_credential():
    body = {"authorization_details": [{"type": "credential", "credentialID": "c1",
                                       "documentDigests": [{"hash": "AA==", "label": "x"}]}]}
    checks.check_granted_details(resp(200, body), ["AA=="])
    with pytest.raises(ConformanceError):
        checks.check_granted_details(resp(200, body), ["BB=="])
    with pytest.raises(ConformanceError):
        checks.check_granted_details(resp(200, {"access_token": "t"}))
    assert checks.check_chosen_credential(resp(200, body)) == "c1"
    assert checks.check_chosen_credential(resp(200, {"credentialID": "c2"})) == "c2"
    with pytest.raises(ConformanceError):
        checks.check_chosen_credential(resp(200, {"access_token": "t"}))


def test_login_error_and_alg_none():
    checks.check_login_error_shown("Wrong password", None)
    with pytest.raises(ConformanceError):
        checks.check_login_error_shown(None, None)
    checks.check_alg_none_as_declared(auth(code="c"), "accepted")
    checks.check_alg_none_as_declared(auth(error="invalid_request"), "refused")
    with pytest.raises(ConformanceError):
        checks.check_alg_none_as_declared(auth(code="c"), "refused")
    with pytest.raises(ConformanceError):
        checks.check_alg_none_as_declared(auth(error="invalid_request"), "accepted")


def test_par():
    ok = resp(201, {"request_uri": "urn:ietf:params:oauth:request_uri:abc", "expires_in": 60})
    par.check_pushed(ok)
    with pytest.raises(ConformanceError, match="201"):
        par.check_pushed(resp(200, ok.body))
    with pytest.raises(ConformanceError):
        par.check_pushed(resp(201, {"request_uri": "x", "expires_in": 0}))
    GRADING.findings.clear()
    par.check_request_uri_urn(ok)
    assert not GRADING.findings
    par.check_request_uri_urn(resp(201, {"request_uri": "urn:example:1", "expires_in": 9}))
    assert GRADING.findings[-1].clause == "RFC9126-2.2"
    GRADING.findings.clear()


def test_revocation():
    revocation.check_revoked(resp(204, None))
    revocation.check_revoked(resp(200, None))
    with pytest.raises(ConformanceError):
        revocation.check_revoked(error(400, "invalid_request"))
    assert revocation.check_revoke_unknown(resp(200, None)) == "200 (RFC 7009)"
    assert revocation.check_revoke_unknown(error(400, "invalid_request")) \
        == "400 invalid_request (CSC)"
    with pytest.raises(ConformanceError):
        revocation.check_revoke_unknown(error(500, "server_error"))
    revocation.check_access_ended(error(401, "invalid_token"))
    with pytest.raises(ConformanceError):
        revocation.check_access_ended(resp(200, {"credentialIDs": []}))


def test_client_data():
    events = [{"event": "authorization_granted", "transaction_id": "tx1"},
              {"event": "signHash", "detail": {"clientTransactionId": "tx1"}},
              {"event": "signHash", "transaction_id": "tx2"}]
    client_data.check_audit_trail(events, "tx1", ("authoriz", "sign"))
    with pytest.raises(ConformanceError):
        client_data.check_audit_trail(events, "tx2", ("authoriz", "sign"))
    with pytest.raises(ConformanceError):
        client_data.check_audit_trail([], "tx1", ("sign",))
    client_data.check_eid_login_offered(["http://h/realms/x/login/eid"], "/eid")
    with pytest.raises(ConformanceError):
        client_data.check_eid_login_offered(["http://h/realms/x/login/password"], "/eid")
    # Reaching the eID page only after the password page means the signer picked it: the hint
    # was not followed (the recipe's conditional click would hide that).
    with pytest.raises(ConformanceError):
        client_data.check_eid_login_offered(["http://h/realms/x/login/password",
                                             "http://h/realms/x/login/eid"], "/eid")


def test_advertised_grants_must_not_be_unsupported():
    checks.check_advertised_grants_supported({
        "authorization_code": error(400, "invalid_grant"),
        "client_credentials": error(400, "unauthorized_client"),  # supported, not for this client
        "refresh_token": resp(200, {"access_token": "t"})})
    for answers in ({"client_credentials": error(400, "unsupported_grant_type")},
                    {"refresh_token": resp(502, None)},  # no OAuth answer at all
                    {}):  # nothing advertised: nothing proven
        with pytest.raises(ConformanceError):
            checks.check_advertised_grants_supported(answers)


def test_a_decline_ends_the_login_on_its_page():
    checks.check_declined_once(["https://as/login/eid"])
    with pytest.raises(ConformanceError, match="declined on 2 pages: https://as/login/eid, "
                                               "https://as/login/consent"):
        checks.check_declined_once(["https://as/login/eid", "https://as/login/consent"])
    with pytest.raises(ConformanceError, match="declined on 0 pages: none"):
        checks.check_declined_once([])


def test_stale_login_pages_may_refuse_but_not_crash():
    checks.check_stale_pages([(400, "https://as/login/otp"), (200, "https://as/login/password"),
                              (302, "https://as/login/consent"), (503, "https://as/busy")])
    with pytest.raises(ConformanceError, match="HTTP 500 from https://as/login/consent"):
        checks.check_stale_pages([(400, "https://as/login/otp"),
                                  (500, "https://as/login/consent")])
