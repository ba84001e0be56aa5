"""SAD rules of signHash (CSC1 §9, §11.9): credential, count, hashes, expiry, use-up, revocation.

Each rule is shown to hold, and to break when its defect is switched on (the defect proves the
test can fail).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from cscsandbox import tokens

from .conftest import mint
from .helpers import SHA256, SHA384, assert_error, digest, sign_body

SHA256_RSA = "1.2.840.113549.1.1.11"
INVALID_SAD = "Invalid parameter SAD"
MakeClient = Callable[..., FlaskClient]


def _sign(
    client: FlaskClient,
    sad: str | None,
    credential_id: str = "alice-rsa2048",
    values: list[bytes] | None = None,
    version: str = "v2",
    headers: dict[str, str] | None = None,
    sign_algo: str = SHA256_RSA,
) -> Any:
    headers = headers or {"Authorization": f"Bearer {mint()}"}
    body = sign_body(version, credential_id, sad, values or [digest(b"x")], sign_algo)
    return client.post(f"/csc/{version}/signatures/signHash", json=body, headers=headers)


def _sad(credential_id: str = "alice-rsa2048", **kw: Any) -> str:
    kw.setdefault("num_signatures", 1)
    return mint(scope="credential", credential_id=credential_id, **kw)


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("sad-not-bound-to-credential",), 200)])
def test_sad_is_bound_to_its_credential(make_client: MakeClient, defect: Any, expect: int) -> None:
    client = make_client(defects=defect)
    answer = _sign(client, _sad("alice-rsa2048"), credential_id="alice-rsa3072")
    assert answer.status_code == expect, answer.json
    if expect == 400:
        assert_error(answer, 400, "invalid_request", INVALID_SAD)


def test_sad_of_another_user_is_invalid(make_client: MakeClient) -> None:
    client = make_client()
    bobs = mint(scope="credential", credential_id="alice-rsa2048", user_id="bob", num_signatures=1)
    assert_error(_sign(client, bobs), 400, "invalid_request", INVALID_SAD)


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("sad-count-not-enforced",), 200)])
def test_more_hashes_than_authorized_are_refused(
    make_client: MakeClient, defect: Any, expect: int
) -> None:
    client = make_client(defects=defect)
    answer = _sign(
        client,
        _sad("alice-rsa2048-multi", num_signatures=2),
        "alice-rsa2048-multi",
        [digest(b"a"), digest(b"b"), digest(b"c")],
    )
    assert answer.status_code == expect, answer.json
    if expect == 200:
        assert len(answer.json["signatures"]) == 3


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("sad-reusable",), 200)])
def test_used_up_sad_is_refused(make_client: MakeClient, defect: Any, expect: int) -> None:
    client = make_client(defects=defect)
    sad = _sad(num_signatures=1)
    assert _sign(client, sad).status_code == 200
    second = _sign(client, sad)
    assert second.status_code == expect, second.json
    if expect == 400:
        assert_error(second, 400, "invalid_request", INVALID_SAD)


def test_count_is_shared_across_requests(make_client: MakeClient) -> None:
    client = make_client()
    sad = _sad("alice-rsa2048-multi", num_signatures=3)
    assert (
        _sign(client, sad, "alice-rsa2048-multi", [digest(b"1"), digest(b"2")]).status_code == 200
    )
    assert (
        _sign(client, sad, "alice-rsa2048-multi", [digest(b"3"), digest(b"4")]).status_code == 400
    )
    assert _sign(client, sad, "alice-rsa2048-multi", [digest(b"3")]).status_code == 200
    record = tokens.lookup(sad)
    assert record is not None and record.signatures_used == 3


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("sad-not-bound-to-hashes",), 200)])
def test_scal2_sad_signs_only_bound_hashes(
    make_client: MakeClient, defect: Any, expect: int
) -> None:
    client = make_client(defects=defect)
    bound = [digest(b"one"), digest(b"two")]
    sad = _sad("alice-rsa2048-scal2", num_signatures=2, hashes=bound, hash_algo_oid=SHA256)
    answer = _sign(client, sad, "alice-rsa2048-scal2", [digest(b"other")])
    assert answer.status_code == expect, answer.json
    if expect == 400:
        assert_error(answer, 400, "invalid_request", "Hash is not authorized by the SAD.")
        ok = _sign(client, sad, "alice-rsa2048-scal2", list(reversed(bound)))
        assert ok.status_code == 200, ok.json


def test_scal2_sad_without_bound_hashes_is_refused(make_client: MakeClient) -> None:
    client = make_client()
    answer = _sign(client, _sad("alice-rsa2048-scal2"), "alice-rsa2048-scal2")
    assert_error(answer, 400, "invalid_request", "Hash is not authorized by the SAD.")


def test_hashes_bound_on_scal1_are_enforced_too(make_client: MakeClient) -> None:
    client = make_client()
    sad = _sad(hashes=[digest(b"bound")], hash_algo_oid=SHA256)
    assert_error(_sign(client, sad), 400, "invalid_request", "Hash is not authorized by the SAD.")


def test_bound_hash_algorithm_must_match(make_client: MakeClient) -> None:
    client = make_client()
    value = digest(b"x")
    sad = _sad(hashes=[value], hash_algo_oid=SHA384)
    assert_error(
        _sign(client, sad, values=[value]),
        400,
        "invalid_request",
        "Hash is not authorized by the SAD.",
    )


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("sad-expiry-ignored",), 200)])
def test_expired_sad_is_refused(make_client: MakeClient, defect: Any, expect: int) -> None:
    client = make_client(defects=defect)
    answer = _sign(client, _sad(lifetime_s=-1))
    assert answer.status_code == expect, answer.json
    if expect == 400:
        assert_error(answer, 400, "invalid_request", "SAD expired")


@pytest.mark.parametrize(
    ("defect", "expect"), [((), 400), (("revoked-credential-token-signs",), 200)]
)
def test_revoked_credential_token_does_not_sign(
    make_client: MakeClient, defect: Any, expect: int
) -> None:
    client = make_client(defects=defect)
    sad = _sad()
    tokens.revoke(sad)
    answer = _sign(client, sad)
    assert answer.status_code == expect, answer.json


def test_service_token_is_not_a_sad(make_client: MakeClient) -> None:
    client = make_client()
    assert_error(_sign(client, mint()), 400, "invalid_request", INVALID_SAD)


def test_sad_from_credentials_authorize_kind_is_accepted(make_client: MakeClient) -> None:
    client = make_client()
    sad = mint(kind="sad", scope="credential", credential_id="alice-rsa2048", num_signatures=1)
    assert _sign(client, sad).status_code == 200


class TestV2CredentialTokenInHeader:
    def test_replaces_the_sad(self, make_client: MakeClient) -> None:
        client = make_client()
        token = _sad()
        answer = _sign(client, None, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.json
        again = _sign(client, None, headers={"Authorization": f"Bearer {token}"})
        assert again.status_code in (400, 401)

    def test_may_still_be_sent_as_sad_with_a_service_token(self, make_client: MakeClient) -> None:
        client = make_client()
        assert _sign(client, _sad()).status_code == 200

    def test_other_credential_is_not_authorized(self, make_client: MakeClient) -> None:
        client = make_client()
        answer = _sign(client, None, "alice-rsa3072", headers={"Authorization": f"Bearer {_sad()}"})
        assert_error(answer, 401, "invalid_token")

    def test_revoked_token_in_header_gets_401(self, make_client: MakeClient) -> None:
        client = make_client()
        token = _sad()
        tokens.revoke(token)
        answer = _sign(client, None, headers={"Authorization": f"Bearer {token}"})
        assert_error(answer, 401, "invalid_token")

    def test_v1_needs_a_service_token_in_the_header(self, make_client: MakeClient) -> None:
        client = make_client()
        token = _sad(api_version="v1")
        answer = _sign(client, token, version="v1", headers={"Authorization": f"Bearer {token}"})
        assert_error(answer, 401, "invalid_token")
