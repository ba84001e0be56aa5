"""Login pages through the test client: labels, attempt limits, cancel/deny, eID, SMS outbox."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from cscsandbox import audit

from .flows import ISSUER, authorize, location_path, login, query

Factory = Callable[..., FlaskClient]
PASSWORD = ISSUER + "/login/password"
OTP = ISSUER + "/login/otp"
EID = ISSUER + "/login/eid"
CONSENT = ISSUER + "/login/consent"


def labelled(html: str, label: str, field_id: str) -> bool:
    return re.search(rf'<label for="{field_id}">{re.escape(label)}</label>', html) is not None


def to_otp(client: FlaskClient, **params: str) -> None:
    authorize(client, state="lp", **params)
    assert location_path(client.post(PASSWORD, data={
        "username": "alice", "password": "alice-password"})).endswith("/login/otp")


def test_pages_carry_the_contract_labels(oauth_client: FlaskClient) -> None:
    authorize(oauth_client, scope="credential", credentialID="alice-rsa2048", numSignatures="1")
    html = oauth_client.get(PASSWORD).get_data(as_text=True)
    assert labelled(html, "Username", "username") and labelled(html, "Password", "password")
    assert ">Sign in</button>" in html and ">Sign in with eID</a>" in html
    oauth_client.post(PASSWORD, data={"username": "alice", "password": "alice-password"})
    html = oauth_client.get(OTP).get_data(as_text=True)
    assert labelled(html, "One-time code", "code")
    assert ">Verify</button>" in html and ">Cancel</button>" in html
    code = oauth_client.get("/_sandbox/sms", query_string={"user": "alice"}).get_json()["code"]
    oauth_client.post(OTP, data={"code": code, "action": "verify"})
    html = oauth_client.get(CONSENT).get_data(as_text=True)
    assert "alice-rsa2048" in html and ">1</dd>" in html
    assert ">Approve</button>" in html and ">Deny</button>" in html


def test_wrong_password_rerenders_with_alert_then_denies(with_oauth: Factory) -> None:
    client = with_oauth(password_max_attempts=2)
    authorize(client, state="pw")
    first = client.post(PASSWORD, data={"username": "alice", "password": "nope"})
    assert first.status_code == 200 and 'role="alert"' in first.get_data(as_text=True)
    assert "nope" not in first.get_data(as_text=True)
    result = query(client.post(PASSWORD, data={"username": "alice", "password": "nope"}))
    assert result == {"error": "access_denied", "state": "pw",
                      "error_description": result["error_description"]}


def test_wrong_code_rerenders_then_denies_at_the_limit(with_oauth: Factory) -> None:
    client = with_oauth(otp_max_attempts=3)
    to_otp(client)
    for _ in range(2):
        page = client.post(OTP, data={"code": "000000x", "action": "verify"})
        assert page.status_code == 200 and 'role="alert"' in page.get_data(as_text=True)
    result = query(client.post(OTP, data={"code": "000000x", "action": "verify"}))
    assert result["error"] == "access_denied" and result["state"] == "lp"


def test_wrong_code_is_accepted_under_defect(make_client: Factory) -> None:
    client = make_client(defects=["wrong-otp-accepted"])
    to_otp(client)
    response = client.post(OTP, data={"code": "000000x", "action": "verify"})
    assert location_path(response).endswith("/login/consent")


def test_cancel_on_the_code_page_is_access_denied(oauth_client: FlaskClient) -> None:
    to_otp(oauth_client)
    result = query(oauth_client.post(OTP, data={"action": "cancel"}))
    assert result["error"] == "access_denied" and result["state"] == "lp"


def test_deny_on_consent_is_access_denied(oauth_client: FlaskClient) -> None:
    start = authorize(oauth_client, scope="credential", credentialID="alice-rsa2048",
                      numSignatures="1", state="dn")
    result = query(login(oauth_client, start, consent="deny"))
    assert result["error"] == "access_denied" and result["state"] == "dn"


def test_service_scope_shows_consent_unless_switched_off(with_oauth: Factory) -> None:
    plain = with_oauth(service_consent=False)
    assert "code" in query(login(plain, authorize(plain), consent=None))
    client = with_oauth()
    response = login(client, authorize(client), consent=None)
    assert location_path(response).endswith("/login/consent")
    html = client.get(CONSENT).get_data(as_text=True)
    assert "access to your signing service account" in html


def test_amr_hint_eid_selects_the_eid_page_and_its_identity(oauth_client: FlaskClient) -> None:
    start = authorize(oauth_client, scope="credential", credentialID="bob-rsa2048",
                      numSignatures="1", clientData='{"amr_hint":"eid"}')
    assert location_path(start).endswith("/login/eid")
    html = oauth_client.get(EID).get_data(as_text=True)
    assert labelled(html, "Test identity", "identity") and "XXXSchmidt" in html
    response = oauth_client.post(EID, data={"identity": "german-eid-xxxschmidt",
                                            "action": "continue"})
    assert location_path(response).endswith("/login/consent")
    result = query(oauth_client.post(CONSENT, data={"action": "approve"}))
    assert "code" in result


def test_cancel_on_the_eid_page_is_access_denied(oauth_client: FlaskClient) -> None:
    authorize(oauth_client, state="ec", clientData='{"amr_hint":"eid"}')
    result = query(oauth_client.post(EID, data={"action": "cancel"}))
    assert result["error"] == "access_denied" and result["state"] == "ec"


def test_unknown_amr_hint_falls_back_to_password(oauth_client: FlaskClient) -> None:
    start = authorize(oauth_client, clientData='{"amr_hint":"carrier-pigeon"}')
    assert location_path(start).endswith("/login/password")


def test_pages_without_login_session_show_an_error(oauth_client: FlaskClient) -> None:
    for path in (PASSWORD, OTP, EID, CONSENT):
        response = oauth_client.get(path)
        assert response.status_code == 400 and 'role="alert"' in response.get_data(as_text=True)


def test_skipping_the_code_page_is_refused(oauth_client: FlaskClient) -> None:
    authorize(oauth_client, scope="credential", credentialID="alice-rsa2048", numSignatures="1")
    oauth_client.post(PASSWORD, data={"username": "alice", "password": "alice-password"})
    assert oauth_client.post(CONSENT, data={"action": "approve"}).status_code == 400


def test_sms_outbox_can_be_switched_off(with_oauth: Factory) -> None:
    client = with_oauth(sms_outbox=False)
    to_otp(client)
    response = client.get("/_sandbox/sms", query_string={"user": "alice"})
    assert response.status_code == 404 and response.get_json()["error"]


def test_denied_authorization_is_audited(oauth_client: FlaskClient) -> None:
    to_otp(oauth_client, clientData='{"clientTransactionId":"tx-deny"}')
    oauth_client.post(OTP, data={"action": "cancel"})
    names = [e["event"] for e in audit.query("tx-deny")]
    assert names[0] == "authorization_requested" and names[-1] == "authorization_denied"


def test_audit_endpoint_needs_a_transaction_id(oauth_client: FlaskClient) -> None:
    response = oauth_client.get("/_sandbox/audit")
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_request"
