"""Steps shared by every area: the driver fixture, tokens, credentials, hashes, generic answers."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from cscsuite.browser import BrowserPool
from cscsuite.checks import errors, refusal
from cscsuite.driver_signing import SigningDriver
from cscsuite.target import Target
from cscsuite.token_cache import TokenCache
from cscsuite.vocabulary import alphabet_sensitive
from cscsuite.world import World


@pytest.fixture(scope="session")
def service_tokens() -> TokenCache:
    """Tokens shared by this worker's scenarios (one login per identity, client and scope)."""
    return TokenCache()


@pytest.fixture
def flow(world: World, target: Target, browser_pool: BrowserPool,
         service_tokens: TokenCache) -> SigningDriver:
    """The scenario's driver over world, target and the browser."""
    return SigningDriver(world, target, browser_pool, service_tokens)


@given("the signing application has a service access token")
def service_token(flow: SigningDriver) -> None:
    flow.service_token()


@given("the signing application has a fresh service access token")
def fresh_service_token(flow: SigningDriver) -> None:
    flow.fresh_service_token()


@given(parsers.parse("the signer's {role} credential"))
def signer_credential(flow: SigningDriver, role: str) -> None:
    flow.use_credential(role)


@given(parsers.re(r"the signing application has computed (?P<count>\d+) (?P<name>SHA-\d+|<hash>) "
                  r"document hash(es)?"), converters={"count": int})
def computed_hashes(flow: SigningDriver, count: int, name: str) -> None:
    flow.compute_hashes(count, name)


@given("the signing application has computed a SHA-256 document hash whose encodings differ "
       "between the two base64 alphabets")
def alphabet_hash(flow: SigningDriver) -> None:
    flow.compute_hashes(1, "SHA-256", alphabet_sensitive)


@given("the signing application has computed as many SHA-256 document hashes as the credential "
       "may sign at once")
def multisign_hashes(flow: SigningDriver) -> None:
    flow.compute_hashes(flow.multisign_limit())


@given("the signing application has computed one hash more than the credential may sign at once")
def too_many_hashes(flow: SigningDriver) -> None:
    flow.compute_hashes(flow.multisign_limit() + 1)


@given(parsers.parse('the signing application has computed 2 SHA-256 document hashes labelled '
                     '"{first}" and "{second}"'))
def labelled_hashes(flow: SigningDriver, first: str, second: str) -> None:
    flow.compute_hashes(2)
    flow.world.notes["labels"] = [first, second]


@then("the service answers successfully")
def answers_successfully(flow: SigningDriver) -> None:
    errors.check_success(flow.response(), evidence=flow.ev())


@then(parsers.parse("the service answers with status {status:d}"))
def answers_with_status(flow: SigningDriver, status: int) -> None:
    errors.check_status(flow.response(), status, evidence=flow.ev())


@then(parsers.re(r'the service refuses the request with status (?P<status>\d+) and error '
                 r'"(?P<error>[^"]+)"'), converters={"status": int})
def refused_with(flow: SigningDriver, status: int, error: str) -> None:
    refusal.check_refused(flow.answer(), status, error, evidence=flow.ev())


@then(parsers.re(r'the service refuses the request with status (?P<status>\d+) and error '
                 r'"(?P<first>[^"]+)" or "(?P<second>[^"]+)"'), converters={"status": int})
def refused_with_either(flow: SigningDriver, status: int, first: str, second: str) -> None:
    refusal.check_refused_among(flow.answer(), [(status, first), (status, second)],
                                evidence=flow.ev())


@when("the signing application asks the service for its information")
def ask_info(flow: SigningDriver) -> None:
    flow.world.response = flow.api.info()
