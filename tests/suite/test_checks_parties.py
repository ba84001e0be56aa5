"""Checks that one party cannot reach another's credentials or tokens, and that an authorization
is spent whole: each passes on what the specification allows and fails on everything else."""

from __future__ import annotations

import re

import pytest
from checks_helpers import error, resp

from cscsuite.checks import parties, spending
from cscsuite.checks.base import GRADING, ConformanceError


def test_listed_apart_passes_on_the_own_credential_alone():
    parties.check_listed_apart(["bob-rsa2048", "bob-p256"], "bob-rsa2048", "alice-rsa2048")


@pytest.mark.parametrize("ids", [["bob-rsa2048", "alice-rsa2048"], ["bob-p256"]])
def test_listed_apart_fails_on_a_foreign_or_a_missing_own_credential(ids):
    with pytest.raises(ConformanceError, match=re.escape("CSC1-11.4")):
        parties.check_listed_apart(ids, "bob-rsa2048", "alice-rsa2048")


@pytest.mark.parametrize(("answer", "said"), [
    (resp(200, {}), "200, nothing revoked"), (resp(204, None), "204, nothing revoked"),
    (error(400, "invalid_grant"), "400 invalid_grant"),
    (error(400, "invalid_request"), "400 invalid_request")])
def test_foreign_revocation_accepts_refusals_and_silence(answer, said):
    assert parties.check_foreign_revocation_answer(answer) == said


@pytest.mark.parametrize("answer", [error(400, "server_error"), resp(500, None),
                                    error(404, "invalid_grant"), resp(302, None)])
def test_foreign_revocation_fails_otherwise(answer):
    with pytest.raises(ConformanceError, match=re.escape("RFC7009-2.1")):
        parties.check_foreign_revocation_answer(answer)


@pytest.mark.parametrize(("answer", "said"), [
    (resp(204, None), "204, nothing revoked"),
    (error(400, "invalid_request"), "400 invalid_request")])
def test_foreign_revoke_at_the_service_accepts_204_and_the_csc_refusal(answer, said):
    assert parties.check_foreign_revoke_answer(answer) == said


@pytest.mark.parametrize("answer", [resp(200, {}), error(401, "invalid_token"),
                                    error(400, "invalid_grant")])
def test_foreign_revoke_at_the_service_fails_otherwise(answer):
    with pytest.raises(ConformanceError, match=re.escape("CSC1-11.3")):
        parties.check_foreign_revoke_answer(answer)


def test_a_kept_token_must_still_answer_with_its_field():
    parties.check_token_kept(resp(200, {"credentialIDs": []}), "credentialIDs")
    for answer in (error(401, "invalid_token"), resp(200, {"other": 1})):
        with pytest.raises(ConformanceError, match=re.escape("RFC7009-2.1")):
            parties.check_token_kept(answer, "credentialIDs")


def test_a_refusal_with_signatures_fails():
    spending.check_no_signatures(error(400, "invalid_request"))
    with pytest.raises(ConformanceError, match=re.escape("CSC1-11.9")):
        spending.check_no_signatures(resp(400, {"error": "invalid_request",
                                                "signatures": ["AAAA"]}))


def test_a_refused_rest_is_a_finding_not_a_failure(monkeypatch):
    monkeypatch.setattr(GRADING, "findings", [])
    monkeypatch.setattr(GRADING, "strict", False)
    spending.check_rest_signed(resp(200, {"signatures": ["AAAA"]}))
    assert GRADING.findings == []
    spending.check_rest_signed(error(400, "invalid_request"))
    assert [f.clause for f in GRADING.findings] == ["CSC1-11.7"]
    monkeypatch.setattr(GRADING, "strict", True)
    with pytest.raises(ConformanceError):
        spending.check_rest_signed(error(400, "invalid_request"))
