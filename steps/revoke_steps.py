"""Steps of revocation.feature."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from cscsuite.checks import revocation as checks
from cscsuite.driver_signing import SigningDriver
from steps.oauth_steps import BAD_CLIENT_AUTH, BAD_CLIENT_RE


@when("the signing application revokes the service access token")
def revoke_access(flow: SigningDriver) -> None:
    flow.revoke(flow.established("service access token", flow.world.service_token),
                "access_token")


@when("the signing application revokes the refresh token")
def revoke_refresh(flow: SigningDriver) -> None:
    flow.revoke(flow.established("refresh token", flow.authorization().refresh_token),
                "refresh_token")


@when("the signing application revokes the activation token")
def revoke_sad(flow: SigningDriver) -> None:
    flow.revoke(flow.activation_token(), "access_token")


UNKNOWN = "unknown-token-0000000000000000"
HINTS = {"without a hint": None, "with a hint the service does not know": "id_token_kind"}


@when(parsers.re(r"the signing application revokes an unknown token (?P<hint>without a hint|"
                 r"with a hint the service does not know|<hint>)"))
def revoke_unknown(flow: SigningDriver, hint: str) -> None:
    flow.revoke(UNKNOWN, HINTS[hint])


@when(parsers.re("the signing application revokes an unknown token " + BAD_CLIENT_RE))
def revoke_bad_client(flow: SigningDriver, how: str) -> None:
    flow.revoke(UNKNOWN, None, "none", **BAD_CLIENT_AUTH[how])


@then("the revocation succeeds")
def revoked(flow: SigningDriver) -> None:
    flow.world.evidence.fact("revocation success",
                             checks.check_revoked(flow.response(), evidence=flow.ev()))


@then(parsers.parse('the revocation succeeds or is refused with error "{error}"'))
def revoke_unknown_outcome(flow: SigningDriver, error: str) -> None:
    flow.world.evidence.fact("unknown token revocation",
                             checks.check_revoke_unknown(flow.response(), evidence=flow.ev()))


@then("the refresh token still yields a service access token")
def refresh_still_works(flow: SigningDriver) -> None:
    checks.check_refresh_still_works(flow.response(), evidence=flow.ev())
    flow.world.service_token = flow.authorization().access_token
