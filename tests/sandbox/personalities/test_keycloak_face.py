"""``primesign-keycloak``: PrimeSign's login as Keycloak renders it (issue 13 item 8e).

What targets/primesign-test.toml's login recipe relies on: the realm path /realms/qs-staging/,
the labels "Username or email" / "Password", the button "Sign In", the SMS step ("One-time
code", "Submit") with the account's fixed test code, and a consent page ("Yes") at a URL with
"consent" in it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from .conftest import PersonaClient

REALM = "/realms/qs-staging"


@pytest.fixture
def client(persona: PersonaClient) -> FlaskClient:
    return persona("primesign-keycloak")


def labels(html: str) -> list[str]:
    return re.findall(r"<label[^>]*>([^<]+)</label>", html)


def start(client: FlaskClient) -> str:
    answer = client.get(REALM + "/oauth2/authorize", query_string={
        "response_type": "code", "client_id": "sandbox-client", "scope": "service",
        "redirect_uri": "https://client.example/callback", "state": "kc"})
    assert answer.status_code == 302
    return urlsplit(answer.headers["Location"]).path


def test_info_and_metadata_name_the_qs_staging_realm(client: FlaskClient) -> None:
    info = client.post("/csc/v2/info", json={}).json
    assert info["oauth2"] == f"http://localhost{REALM}/"
    meta = client.get("/.well-known/oauth-authorization-server" + REALM).json
    assert meta["authorization_endpoint"] == f"http://localhost{REALM}/oauth2/authorize"
    assert client.get("/.well-known/oauth-authorization-server/realms/sandbox").status_code == 404


def test_the_login_walks_keycloak_s_pages(client: FlaskClient) -> None:
    page = start(client)
    assert page.startswith(REALM + "/")
    html = client.get(page).get_data(as_text=True)
    assert labels(html) == ["Username or email", "Password"]
    assert 'type="submit" value="Sign In"' in html
    answer = client.post(page, data={"username": "alice", "password": "alice-password"})
    otp_page = urlsplit(answer.headers["Location"]).path
    html = client.get(otp_page).get_data(as_text=True)
    assert labels(html) == ["One-time code"] and ">Submit</button>" in html
    answer = client.post(otp_page, data={"code": "123456", "action": "verify"})
    consent = urlsplit(answer.headers["Location"]).path
    assert "consent" in consent
    html = client.get(consent).get_data(as_text=True)
    assert "Do you grant these access privileges?" in html and ">Yes</button>" in html
    answer = client.post(consent, data={"action": "approve"})
    result = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert result["state"] == ["kc"] and result["code"]


def test_a_wrong_password_shows_keycloak_s_alert(client: FlaskClient) -> None:
    page = start(client)
    html = client.post(page, data={"username": "alice", "password": "no"}).get_data(as_text=True)
    assert re.search(r'role="alert"[^>]*><span[^>]*>Invalid username or password\.', html)


def test_the_fixed_sms_code_is_the_only_code(client: FlaskClient) -> None:
    page = start(client)
    answer = client.post(page, data={"username": "alice", "password": "alice-password"})
    otp_page = urlsplit(answer.headers["Location"]).path
    assert client.get("/_sandbox/sms", query_string={"user": "alice"}).json["code"] == "123456"
    wrong = client.post(otp_page, data={"code": "654321", "action": "verify"})
    assert wrong.status_code == 200 and "Invalid one-time code." in wrong.get_data(as_text=True)


def test_the_default_keeps_its_own_pages(persona: PersonaClient) -> None:
    client = persona("primesign")
    answer = client.get("/realms/sandbox/oauth2/authorize", query_string={
        "response_type": "code", "client_id": "sandbox-client",
        "redirect_uri": "https://client.example/callback"})
    html = client.get(urlsplit(answer.headers["Location"]).path).get_data(as_text=True)
    assert labels(html) == ["Username", "Password"]


def test_an_untrusted_request_gets_keycloak_s_error_page(client: FlaskClient) -> None:
    answer = client.get(REALM + "/oauth2/authorize", query_string={
        "response_type": "code", "client_id": "no-such-client",
        "redirect_uri": "https://client.example/callback"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "We are sorry..." in html and 'role="alert"' in html
