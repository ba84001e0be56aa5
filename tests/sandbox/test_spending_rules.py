"""SAD and credential rules across calls and users (CSC1 §9, §11.5, §11.9), each shown to hold
and to break when its partial defect is switched on (issue 15 item 2)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from .conftest import mint
from .helpers import SHA256, assert_error, digest, sign_body

MULTI, SCAL2 = "alice-rsa2048-multi", "alice-rsa2048-scal2"
MakeClient = Callable[..., FlaskClient]


def _sign(client: FlaskClient, sad: str, credential_id: str, values: list[bytes],
          user: str = "alice") -> Any:
    body = sign_body("v2", credential_id, sad, values, "1.2.840.113549.1.1.11")
    return client.post("/csc/v2/signatures/signHash", json=body,
                       headers={"Authorization": f"Bearer {mint(user_id=user)}"})


def _sad(credential_id: str, **kw: Any) -> str:
    return mint(scope="credential", credential_id=credential_id, **kw)


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("sad-batch-overspends",), 200)])
def test_a_batch_bigger_than_the_rest_is_refused(make_client: MakeClient, defect: Any,
                                                 expect: int) -> None:
    client = make_client(defects=defect)
    sad = _sad(MULTI, num_signatures=3)
    assert _sign(client, sad, MULTI, [digest(b"1"), digest(b"2")]).status_code == 200
    answer = _sign(client, sad, MULTI, [digest(b"3"), digest(b"4")])
    assert answer.status_code == expect, answer.json
    used_up = _sign(client, sad, MULTI, [digest(b"5")])  # partial: a spent SAD stays refused
    assert used_up.status_code == (200 if expect == 400 else 400), used_up.json


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("sad-hashes-checked-in-part",), 200)])
def test_a_batch_with_an_unauthorized_hash_is_refused_whole(make_client: MakeClient, defect: Any,
                                                            expect: int) -> None:
    client = make_client(defects=defect)
    bound = [digest(b"one"), digest(b"two")]
    sad = _sad(SCAL2, num_signatures=2, hashes=bound, hash_algo_oid=SHA256)
    answer = _sign(client, sad, SCAL2, [bound[0], digest(b"other")])
    assert answer.status_code == expect, answer.json
    if expect == 400:
        assert_error(answer, 400, "invalid_request", "Hash is not authorized by the SAD.")
        assert "signatures" not in answer.json
    alone = _sign(client, sad, SCAL2, [digest(b"other")])  # partial: one hash is still checked
    assert alone.status_code == 400, alone.json


@pytest.mark.parametrize(("defect", "expect"), [((), 200), (("sad-expires-early",), 400)])
def test_a_sad_signs_until_its_lifetime_ends(make_client: MakeClient, defect: Any,
                                             expect: int) -> None:
    client = make_client(defects=defect)
    sad = _sad(MULTI, num_signatures=2, lifetime_s=1.5)
    time.sleep(1.0)  # two thirds of the lifetime
    answer = _sign(client, sad, MULTI, [digest(b"late")])
    assert answer.status_code == expect, answer.json
    if expect == 400:
        assert_error(answer, 400, "invalid_request", "SAD expired")


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("sad-not-bound-to-user",), 200)])
def test_another_user_cannot_sign_with_a_users_sad(make_client: MakeClient, defect: Any,
                                                   expect: int) -> None:
    client = make_client(defects=defect)
    sad = _sad("alice-rsa2048", num_signatures=1)
    answer = _sign(client, sad, "alice-rsa2048", [digest(b"x")], user="bob")
    assert answer.status_code == expect, answer.json
    if expect == 400:
        assert_error(answer, 400, "invalid_request", "Invalid parameter credentialID")
        assert _sign(client, sad, "alice-rsa2048", [digest(b"x")]).status_code == 200


@pytest.mark.parametrize(("defect", "expect"), [((), 400), (("credential-info-any-user",), 200)])
def test_another_user_cannot_read_a_users_credential(make_client: MakeClient, defect: Any,
                                                     expect: int) -> None:
    client = make_client(defects=defect)
    bobs = {"Authorization": f"Bearer {mint(user_id='bob')}"}
    answer = client.post("/csc/v2/credentials/info", json={"credentialID": "alice-rsa2048"},
                         headers=bobs)
    assert answer.status_code == expect, answer.json
    listed = client.post("/csc/v2/credentials/list", json={}, headers=bobs)
    assert "alice-rsa2048" not in listed.json["credentialIDs"]  # partial: the list still checks
