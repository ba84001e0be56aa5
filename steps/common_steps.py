"""Steps shared by every area: the flow fixture, tokens, credentials, hashes, generic answers."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from cscsuite.checks import errors
from steps.flow import Flow
from steps.vocabulary import alphabet_sensitive


@pytest.fixture
def flow(world, target, browser_pool) -> Flow:
    """The scenario's operations over world, target and the browser."""
    return Flow(world, target, browser_pool)


@given("the signing application has a service access token")
def service_token(flow):
    flow.service_token()


@given("the signing application has a fresh service access token")
def fresh_service_token(flow):
    flow.fresh_service_token()


@given(parsers.parse("the signer's {role} credential"))
def signer_credential(flow, role):
    flow.use_credential(role)


@given(parsers.re(r"the signing application has computed (?P<count>\d+) (?P<name>SHA-\d+|<hash>) "
                  r"document hash(es)?"), converters={"count": int})
def computed_hashes(flow, count, name):
    flow.compute_hashes(count, name)


@given("the signing application has computed a SHA-256 document hash whose encodings differ "
       "between the two base64 alphabets")
def alphabet_hash(flow):
    flow.compute_hashes(1, "SHA-256", alphabet_sensitive)


@given("the signing application has computed as many SHA-256 document hashes as the credential "
       "may sign at once")
def multisign_hashes(flow):
    flow.compute_hashes(flow.world.credential.multisign or 1)


@given("the signing application has computed one hash more than the credential may sign at once")
def too_many_hashes(flow):
    flow.compute_hashes((flow.world.credential.multisign or 1) + 1)


@given(parsers.parse('the signing application has computed 2 SHA-256 document hashes labelled '
                     '"{first}" and "{second}"'))
def labelled_hashes(flow, first, second):
    flow.compute_hashes(2)
    flow.world.notes["labels"] = [first, second]


@then("the service answers successfully")
def answers_successfully(flow):
    errors.check_success(flow.world.response, evidence=flow.ev())


@then(parsers.parse("the service answers with status {status:d}"))
def answers_with_status(flow, status):
    errors.check_status(flow.world.response, status, evidence=flow.ev())


@then(parsers.re(r'the service refuses the request with status (?P<status>\d+) and error '
                 r'"(?P<error>[^"]+)"'), converters={"status": int})
def refused_with(flow, status, error):
    errors.check_error(flow.world.response, status, error, evidence=flow.ev())


@then(parsers.re(r'the service refuses the request with status (?P<status>\d+) and error '
                 r'"(?P<first>[^"]+)" or "(?P<second>[^"]+)"'), converters={"status": int})
def refused_with_either(flow, status, first, second):
    errors.check_error_among(flow.world.response, [(status, first), (status, second)],
                             evidence=flow.ev())


@when("the signing application asks the service for its information")
def ask_info(flow):
    flow.world.response = flow.api.info()
