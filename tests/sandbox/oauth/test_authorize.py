"""oauth2/authorize: redirect rules, scopes, v1/v2 credential parameters, PKCE, clientData
(spec-notes §3.12, §10 items 40-47, 57)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from cscsandbox import tokens

from .flows import (
    SHA256,
    Pkce,
    authorize,
    b64url,
    code_for,
    digest,
    exchange,
    location_path,
    login,
    query,
)

Factory = Callable[..., FlaskClient]


def test_unsupported_response_type_is_redirected_with_state(oauth_client: FlaskClient) -> None:
    result = query(authorize(oauth_client, response_type="token", state="s1"))  # item 40
    assert result["error"] == "unsupported_response_type"
    assert result["state"] == "s1"


def test_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(
        oauth_client: FlaskClient) -> None:
    response = authorize(oauth_client, redirect_uri="https://evil.example/callback")  # item 41
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert 'role="alert"' in response.get_data(as_text=True)


def test_redirect_uri_prefix_is_refused_and_accepted_only_under_defect(
        make_client: Factory) -> None:
    longer = "https://client.example/callback/../steal"
    assert authorize(make_client(), redirect_uri=longer).status_code == 400
    defective = authorize(make_client(defects=["redirect-uri-prefix-match"]), redirect_uri=longer)
    assert location_path(defective).endswith("/login/password")


def test_unknown_client_gets_an_error_page(oauth_client: FlaskClient) -> None:
    response = authorize(oauth_client, client_id="nobody")
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_service_success_redirects_with_code_and_identical_state(
        oauth_client: FlaskClient) -> None:
    state = "state with spaces & symbols/+="
    result = query(login(oauth_client, authorize(oauth_client, scope="service", state=state)))
    assert result["code"]  # item 42
    assert result["state"] == state


def test_state_not_echoed_defect_drops_state(make_client: Factory) -> None:
    client = make_client(defects=["state-not-echoed"])
    result = query(login(client, authorize(client, scope="service", state="s2")))
    assert "code" in result and "state" not in result


@pytest.mark.parametrize("scope", ["foo", "service credential"])
def test_unknown_or_combined_scope_is_invalid_scope(oauth_client: FlaskClient, scope: str) -> None:
    result = query(authorize(oauth_client, scope=scope, state="s3"))  # item 43
    assert result["error"] == "invalid_scope" and result["state"] == "s3"


def test_v2_style_request_without_code_challenge_is_invalid_request(
        oauth_client: FlaskClient) -> None:
    result = query(authorize(oauth_client, scope="credential", credentialID="alice-rsa2048",
                             numSignatures="1", hashes=b64url(digest("a")),
                             hashAlgorithmOID=SHA256))  # item 44
    assert result["error"] == "invalid_request"


def test_v2_style_request_with_plain_pkce_is_refused(oauth_client: FlaskClient) -> None:
    pkce = Pkce.new()
    result = query(authorize(oauth_client, scope="credential", credentialID="alice-rsa2048",
                             numSignatures="1", hashes=b64url(digest("a")),
                             hashAlgorithmOID=SHA256, code_challenge=pkce.verifier,
                             code_challenge_method="plain"))
    assert result["error"] == "invalid_request"


def test_v1_credential_parameters_give_a_sad_bound_to_the_hashes(
        oauth_client: FlaskClient) -> None:
    hashes = [digest("doc1"), digest("doc2")]
    code = code_for(oauth_client, scope="credential", credentialID="alice-rsa2048-multi",
                    numSignatures="2", hash=",".join(b64url(h) for h in hashes))  # item 45
    body = exchange(oauth_client, code).get_json()
    assert body["token_type"] == "SAD"
    assert "refresh_token" not in body
    record = tokens.lookup(body["access_token"])
    assert record is not None
    assert record.hashes == tuple(hashes)
    assert (record.credential_id, record.num_signatures, record.api_version) == (
        "alice-rsa2048-multi", 2, "v1")


def test_v2_hashes_are_accepted_and_bound(oauth_client: FlaskClient) -> None:
    pkce = Pkce.new()
    code = code_for(oauth_client, scope="credential", credentialID="alice-rsa2048",
                    numSignatures="1", hashes=b64url(digest("x")), hashAlgorithmOID=SHA256,
                    **pkce.params())  # item 46
    body = exchange(oauth_client, code, verifier=pkce.verifier).get_json()
    assert body["token_type"] == "Bearer"
    record = tokens.lookup(body["access_token"])
    assert record is not None and record.hashes == (digest("x"),)
    assert record.hash_algo_oid == SHA256 and record.api_version == "v2"


def test_standard_base64_hashes_in_the_url_are_rejected(oauth_client: FlaskClient) -> None:
    value = "sTOgwOm+474gFj0q0x1iSNspKqbcse4IeiqlDg/HWuI="  # item 47: recorded: rejected
    result = query(authorize(oauth_client, scope="credential", credentialID="alice-rsa2048",
                             numSignatures="1", hash=value))
    assert result["error"] == "invalid_request"


def test_misdecoded_hashes_defect_binds_other_bytes(make_client: Factory) -> None:
    client = make_client(defects=["authorize-hashes-misdecoded"])
    wanted = bytes.fromhex("fb" * 32)  # base64url has '-'/'_' where base64 has '+'/'/'
    code = code_for(client, scope="credential", credentialID="alice-rsa2048",
                    numSignatures="1", hash=b64url(wanted))
    record = tokens.lookup(exchange(client, code).get_json()["access_token"])
    assert record is not None and record.hashes != (wanted,)


def test_signature_qualifier_chooses_the_users_credential(oauth_client: FlaskClient) -> None:
    pkce = Pkce.new()
    code = code_for(oauth_client, scope="credential", signatureQualifier="eu_eidas_qes",
                    numSignatures="1", hashes=b64url(digest("q")), hashAlgorithmOID=SHA256,
                    **pkce.params())
    body = exchange(oauth_client, code, verifier=pkce.verifier).get_json()
    assert body["credentialID"].startswith("alice-")
    record = tokens.lookup(body["access_token"])
    assert record is not None and record.credential_id == body["credentialID"]


@pytest.mark.parametrize(("params", "why"), [
    ({"credentialID": "alice-rsa2048", "hash": b64url(digest("a")),
      "hashes": b64url(digest("a"))}, "v1 and v2 names mixed"),
    ({"credentialID": "nope", "numSignatures": "1"}, "unknown credential"),
    ({"credentialID": "alice-rsa2048"}, "numSignatures missing"),
    ({"credentialID": "alice-rsa2048", "numSignatures": "0"}, "numSignatures zero"),
    ({"credentialID": "alice-rsa2048", "numSignatures": "2"}, "more than multisign"),
    ({"credentialID": "alice-rsa2048-scal2", "numSignatures": "1"}, "SCAL 2 without hashes"),
    ({"numSignatures": "1"}, "no credentialID"),
    ({"credentialID": "alice-rsa2048-multi", "numSignatures": "1",
      "hash": ",".join([b64url(digest("a")), b64url(digest("b"))])}, "more hashes than count"),
])
def test_bad_credential_parameters_are_invalid_request(
        oauth_client: FlaskClient, params: dict[str, str], why: str) -> None:
    result = query(authorize(oauth_client, scope="credential", state="s4", **params))
    assert result["error"] == "invalid_request", why
    assert result["state"] == "s4"


def test_v2_digest_of_wrong_length_is_invalid_request(oauth_client: FlaskClient) -> None:
    result = query(authorize(oauth_client, scope="credential", credentialID="alice-rsa2048",
                             numSignatures="1", hashes=b64url(b"short"),
                             hashAlgorithmOID=SHA256, **Pkce.new().params()))
    assert result["error"] == "invalid_request"


def test_credential_of_another_user_is_access_denied(oauth_client: FlaskClient) -> None:
    start = authorize(oauth_client, scope="credential", credentialID="bob-rsa2048",
                      numSignatures="1", state="s5")
    result = query(login(oauth_client, start))
    assert result["error"] == "access_denied" and result["state"] == "s5"


def test_client_data_transaction_id_is_recorded_on_every_event(
        oauth_client: FlaskClient) -> None:
    data = '{"clientTransactionId":"tx-auth-1"}'
    code = code_for(oauth_client, scope="service", clientData=data)  # item 57
    tokens_body = exchange(oauth_client, code, clientData=data).get_json()
    revoke = oauth_client.post("/realms/sandbox/oauth2/revoke", data={
        "token": tokens_body["refresh_token"], "clientData": data},
        headers={"Authorization": "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1jbGllbnQtc2VjcmV0"})
    assert revoke.status_code == 200
    events = oauth_client.get("/_sandbox/audit",
                              query_string={"clientTransactionId": "tx-auth-1"}).get_json()
    names = [e["event"] for e in events["events"]]
    for expected in ("authorization_requested", "user_authenticated", "authorization_granted",
                     "token_issued", "token_revoked"):
        assert expected in names


def test_dropped_transaction_id_defect_loses_the_events(make_client: Factory) -> None:
    client = make_client(defects=["client-transaction-id-dropped"])
    code_for(client, scope="service", clientData='{"clientTransactionId":"tx-drop"}')
    events = client.get("/_sandbox/audit", query_string={"clientTransactionId": "tx-drop"})
    assert events.get_json()["events"] == []


@pytest.mark.parametrize("data", ["not json", "[1,2]", '{"clientTransactionId": 5}', ""])
def test_any_client_data_string_is_accepted(oauth_client: FlaskClient, data: str) -> None:
    assert query(login(oauth_client, authorize(oauth_client, clientData=data)))["code"]


def test_v1_style_request_with_pkce_stays_v1_and_pkce_is_verified(
        oauth_client: FlaskClient) -> None:
    pkce = Pkce.new()
    params = {"scope": "credential", "credentialID": "alice-rsa2048", "numSignatures": "1",
              **pkce.params()}
    code = code_for(oauth_client, **params)
    assert exchange(oauth_client, code, verifier=Pkce.new().verifier).status_code == 400
    code = code_for(oauth_client, **params)
    assert exchange(oauth_client, code, verifier=pkce.verifier).get_json()["token_type"] == "SAD"


def test_pkce_rule_always_refuses_service_requests_without_challenge(
        with_oauth: Factory) -> None:
    assert location_path(authorize(with_oauth(), scope="service")).endswith("/login/password")
    result = query(authorize(with_oauth(pkce_required="always"), scope="service"))
    assert result["error"] == "invalid_request"
