"""Steps of service_auth_styles.feature: client credentials, auth/login and auth/revoke, tokens
from outside the API. The mechanics live in ``cscsuite.service_auth``."""

from __future__ import annotations

from pytest_bdd import then, when

from cscsuite import service_auth
from cscsuite.checks import oauth as oauth_checks
from cscsuite.checks import service_auth as checks
from cscsuite.driver_signing import SigningDriver
from cscsuite.world import Secret


@when("the signing application asks for a service token with its client credentials")
def client_credentials(flow: SigningDriver) -> None:
    service_auth.client_credentials(flow)


@when("the signing application asks for a service token with a wrong client secret")
def client_credentials_wrong(flow: SigningDriver) -> None:
    service_auth.client_credentials(flow, secret="wrong-client-secret")


@then("the grant gives the signing application a service access token without a refresh token")
def client_token(flow: SigningDriver) -> None:
    oauth_checks.check_service_token(flow.response(), evidence=flow.ev())
    flow.world.service_token = Secret(flow.response().field("access_token"))
    checks.check_no_refresh_for_client(flow.response(), evidence=flow.ev())


@when("the signing application logs in to the service with the signer's password")
def login(flow: SigningDriver) -> None:
    service_auth.login(flow, service_auth.login_style(flow))


@when("the signing application logs in to the service with the signer's password, asking to "
      "be remembered")
def login_remembered(flow: SigningDriver) -> None:
    service_auth.login(flow, service_auth.login_style(flow), remember_me=True)


@when("the signing application logs in to the service with a wrong password")
def login_wrong(flow: SigningDriver) -> None:
    service_auth.login(flow, service_auth.login_style(flow), password="wrong-password-0")


@when("the signing application logs in to the service with the refresh token")
def login_refresh(flow: SigningDriver) -> None:
    refresh = flow.established("refresh token", flow.world.notes.get("login_refresh"))
    service_auth.login(flow, refresh_token=str(refresh))


@then("the login gives the signing application a service access token")
def login_token(flow: SigningDriver) -> None:
    checks.check_login_token(flow.response(), evidence=flow.ev())
    flow.world.service_token = Secret(flow.response().field("access_token"))


@then("the login gives the signing application a service access token and a refresh token")
def login_token_refresh(flow: SigningDriver) -> None:
    checks.check_login_token(flow.response(), refresh=True, evidence=flow.ev())
    flow.world.service_token = Secret(flow.response().field("access_token"))
    flow.world.notes["login_refresh"] = Secret(flow.response().field("refresh_token"))


@when("the signing application revokes the service access token at the service")
def revoke_access(flow: SigningDriver) -> None:
    token = flow.established("service access token", flow.world.service_token)
    service_auth.revoke(flow, str(token), "access_token")


@when("the signing application revokes the refresh token at the service")
def revoke_refresh(flow: SigningDriver) -> None:
    refresh = flow.established("refresh token", flow.world.notes.get("login_refresh"))
    service_auth.revoke(flow, str(refresh), "refresh_token")


@then("the service confirms the revocation")
def revoked(flow: SigningDriver) -> None:
    checks.check_revoked(flow.response(), evidence=flow.ev())


@when("the signing application obtains a service token from outside the service")
def external_token(flow: SigningDriver) -> None:
    flow.established("service token from outside the service", service_auth.external(flow).token)
