"""The fuzz oracle itself: it must flag every broken answer and accept every correct one."""

from __future__ import annotations

import pytest

from fuzz.inputs import Answer
from fuzz.tally import Tally, problem_with

JSON = "application/json"
CSC = "POST /csc/v2/signatures/signHash body={}"
AUTHORIZE = "GET /realms/sandbox/oauth2/authorize query={}"


@pytest.mark.parametrize("label, answer", [
    (CSC, Answer(500, JSON, b'{"error": "server_error"}')),
    (CSC, Answer(502, "text/html", b"<h1>Bad gateway</h1>")),
    (CSC, Answer(400, "text/html", b"<p>bad</p>")),
    (CSC, Answer(400, JSON, b"not json")),
    (CSC, Answer(400, JSON, b'{"error_description": "no code"}')),
    (CSC, Answer(401, JSON, b'{"error": 401}')),
    (CSC, Answer(400, JSON, b'["error"]')),
    (CSC, Answer(-1, "", b"", "ReadTimeout")),
])
def test_broken_answers_are_flagged(label: str, answer: Answer) -> None:
    assert problem_with(label, answer)


@pytest.mark.parametrize("label, answer", [
    (CSC, Answer(200, JSON, b'{"signatures": []}')),
    (CSC, Answer(400, "application/json; charset=utf-8", b'{"error": "invalid_request"}')),
    (CSC, Answer(401, JSON, b'{"error": "invalid_token", "error_description": "x"}')),
    (AUTHORIZE, Answer(302, "text/html", b"")),
    (AUTHORIZE, Answer(400, "text/html; charset=utf-8", b"<p>untrusted redirect</p>")),
])
def test_correct_answers_pass(label: str, answer: Answer) -> None:
    assert problem_with(label, answer) is None


def test_tally_counts_requests_and_server_errors() -> None:
    tally = Tally()
    tally.observe(CSC, Answer(200, JSON, b"{}"))
    tally.observe(CSC, Answer(503, JSON, b'{"error": "x"}'))
    assert (tally.requests, tally.server_errors, len(tally.problems)) == (2, 1, 1)
    assert tally.statuses == {200: 1, 503: 1}


def test_openapi_description_loads_every_operation() -> None:
    from fuzz.inputs import OPERATIONS, SCHEMA

    labels = {f"{op.method.upper()} {op.path}" for op in OPERATIONS}
    assert len(OPERATIONS) == len(list(SCHEMA.get_all_operations())), "an operation is invalid"
    for version in ("v1", "v2"):
        for method in ("info", "credentials/list", "credentials/info", "credentials/authorize",
                       "signatures/signHash"):
            assert f"POST /csc/{version}/{method}" in labels
    for endpoint in ("token", "pushed_authorize", "revoke"):
        assert f"POST /realms/sandbox/oauth2/{endpoint}" in labels
    assert "GET /realms/sandbox/oauth2/authorize" in labels
