"""Odd input never causes a 500 at the AS endpoints (JSON errors or an error page)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from .flows import AUTHORIZE, PAR, REVOKE, TOKEN, basic

ODD = ['to"ken', "a\\b", "\x00", "ä" * 3000, "[" * 5000, '{"a":', "%ff"]


NAMES = ["response_type", "redirect_uri", "scope", "state", "authorization_details", "hash",
         "hashes", "numSignatures", "account_token", "clientData", "code_challenge",
         "credentialID", "client_id", "request_uri"]


@pytest.mark.parametrize("value", ODD)
def test_authorize_and_par_never_fail_with_500(oauth_client: FlaskClient, value: str) -> None:
    for name in NAMES:
        params = {"response_type": "code", "client_id": "sandbox-client", "scope": "credential",
                  "credentialID": "alice-rsa2048", "numSignatures": "1", name: value}
        response = oauth_client.get(AUTHORIZE, query_string=params)
        assert response.status_code in (302, 400), (name, response.get_data(as_text=True)[:300])
        if name != "request_uri":
            pushed = oauth_client.post(PAR, data=params, headers=basic())
            assert pushed.status_code in (201, 400, 401), name
            assert pushed.status_code == 201 or pushed.get_json()["error_description"]


@pytest.mark.parametrize("value", ODD)
def test_token_and_revoke_never_fail_with_500(oauth_client: FlaskClient, value: str) -> None:
    for data in ({"grant_type": value}, {"grant_type": "authorization_code", "code": value},
                 {"grant_type": "refresh_token", "refresh_token": value}):
        response = oauth_client.post(TOKEN, data=data, headers=basic())
        assert response.status_code in (400, 401) and response.get_json()["error"]
    response = oauth_client.post(REVOKE, data={"token": value, "token_type_hint": value},
                                 headers=basic())
    assert response.status_code == 200
