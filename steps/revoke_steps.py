"""Steps of revocation.feature."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from cscsuite.checks import revocation as checks
from steps.oauth_steps import BAD_CLIENT_AUTH, BAD_CLIENT_RE


def _revoke(flow, token, hint=None, client_auth="client_secret_basic", **extra):
    if flow.endpoints.revoke is None:
        import pytest

        pytest.skip("the authorization server offers no revocation endpoint")
    flow.world.response = flow.api.revoke(flow.endpoints.revoke, flow.client(), str(token), hint,
                                          client_auth, **extra)


@when("the signing application revokes the service access token")
def revoke_access(flow):
    _revoke(flow, flow.world.service_token, "access_token")


@when("the signing application revokes the refresh token")
def revoke_refresh(flow):
    _revoke(flow, flow.world.authorization.refresh_token, "refresh_token")


@when("the signing application revokes the activation token")
def revoke_sad(flow):
    _revoke(flow, flow.world.sad, "access_token")


UNKNOWN = "unknown-token-0000000000000000"
HINTS = {"without a hint": None, "with a hint the service does not know": "id_token_kind"}


@when(parsers.re(r"the signing application revokes an unknown token (?P<hint>without a hint|"
                 r"with a hint the service does not know|<hint>)"))
def revoke_unknown(flow, hint):
    _revoke(flow, UNKNOWN, HINTS[hint])


@when(parsers.re("the signing application revokes an unknown token " + BAD_CLIENT_RE))
def revoke_bad_client(flow, how):
    _revoke(flow, UNKNOWN, None, "none", **BAD_CLIENT_AUTH[how])


@then("the revocation succeeds")
def revoked(flow):
    checks.check_revoked(flow.world.response, evidence=flow.ev())


@then(parsers.parse('the revocation succeeds or is refused with error "{error}"'))
def revoke_unknown_outcome(flow, error):
    flow.world.notes["revoke_style"] = checks.check_revoke_unknown(flow.world.response,
                                                                   evidence=flow.ev())
