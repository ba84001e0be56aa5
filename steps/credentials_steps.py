"""Steps of credentials.feature: listing and reading credentials."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from cscsuite.adapters.base import OMIT
from cscsuite.checks import credentials as checks
from cscsuite.checks import verification
from cscsuite.driver_signing import SigningDriver
from steps.vocabulary import INFO_OPTIONS, LIST_OPTIONS, split_phrases


def _options(table: dict[str, dict[str, object]], text: str) -> dict[str, object]:
    options: dict[str, object] = {}
    for phrase in split_phrases(text):
        options.update(table[phrase])
    return options


@when("the signing application lists the credentials")
def list_credentials(flow: SigningDriver) -> None:
    flow.world.response = flow.api.list_credentials(flow.world.service_token)


@when(parsers.re(r"the signing application lists the credentials asking for "
                 r"(?P<text>[^\"]+?)(?: and the certificates \"(?P<certs>\w+)\")?"))
def list_with_options(flow: SigningDriver, text: str, certs: str) -> None:
    options = _options(LIST_OPTIONS, text) | ({"certificates": certs} if certs else {})
    flow.world.response = flow.api.list_credentials(flow.world.service_token, **options)


@when(parsers.parse('the signing application lists the credentials of the user "{user}"'))
def list_for_user(flow: SigningDriver, user: str) -> None:
    flow.world.response = flow.api.list_credentials(flow.world.service_token, user_id=user)


@when(parsers.parse('the signing application lists the credentials from the page marker '
                    '"{marker}"'))
def list_from_marker(flow: SigningDriver, marker: str) -> None:
    flow.world.response = flow.api.list_credentials(flow.world.service_token, page_token=marker)


@when("the signing application lists the credentials one per page until the last page")
def list_paged(flow: SigningDriver) -> None:
    ids, pages = flow.api.list_all_credential_ids(flow.world.service_token, page_size=1)
    flow.world.notes.update(paged_ids=ids, pages=[p.body for p in pages], page_answers=pages)
    flow.world.response = flow.api.list_credentials(flow.world.service_token, max_results=100)


@then("the answer lists the credential identifiers")
def lists_ids(flow: SigningDriver) -> None:
    checks.check_credential_ids(flow.response().body, evidence=flow.ev())


@then("the signer's signing credential is among them")
def signer_listed(flow: SigningDriver) -> None:
    checks.check_listed(checks.credential_ids(flow.response().body),
                        flow.credential_id("signing"), evidence=flow.ev())


@then("every page holds at most one credential")
def page_sizes(flow: SigningDriver) -> None:
    checks.check_page_sizes(flow.world.notes["pages"], 1, evidence=flow.ev())


@then("the pages together hold every credential exactly once")
def pages_complete(flow: SigningDriver) -> None:
    full, pages = flow.api.list_all_credential_ids(flow.world.service_token)
    for walk in (flow.world.notes["page_answers"], pages):
        checks.check_pages_followed(walk, evidence=flow.ev(walk[-1] if walk else None))
    checks.check_pages_complete(flow.world.notes["paged_ids"], full, evidence=flow.ev())


@then("every listed credential comes with its details")
def infos_present(flow: SigningDriver) -> None:
    checks.check_credential_infos(flow.response().body, evidence=flow.ev())


@then("the answer carries no credential details")
def infos_absent(flow: SigningDriver) -> None:
    checks.check_no_credential_infos(flow.response().body, evidence=flow.ev())


@then("if the service confirms the filter, every listed credential is usable for signing")
def only_valid(flow: SigningDriver) -> None:
    checks.check_only_valid(flow.response().body, evidence=flow.ev())


@then("every listed credential carries its certificate details and authorization mode")
def list_details(flow: SigningDriver) -> None:
    infos = flow.api.parse_credential_infos(flow.response().body)
    checks.check_list_details(infos, evidence=flow.ev())


READ_TARGETS = {
    "a credential without naming it": OMIT,
    "a credential named by a number": 123,
    "an unknown credential": "no-such-credential-0000",
}


@when(parsers.re(r"the signing application reads (?P<which>a credential without naming it|"
                 r"a credential named by a number|an unknown credential|<which credential>)"))
def read_bad_credential(flow: SigningDriver, which: str) -> None:
    body = flow.api.apply({}, {"credential_id": READ_TARGETS[which]})
    flow.world.response = flow.api.call("credentials/info", body, flow.world.service_token)


@when(parsers.re(r"the signing application reads the signer's (?P<role>[\w -]+?|<role>) credential"
                 r"(?: asking for (?P<text>[^\"]+?))?"))
def read_credential(flow: SigningDriver, role: str, text: str) -> None:
    flow.read_credential(flow.credential_id(role), **_options(INFO_OPTIONS, text or ""))


@when(parsers.parse('the signing application reads the signer\'s signing credential asking for '
                    'the certificates "{value}"'))
def read_with_certificates(flow: SigningDriver, value: str) -> None:
    flow.read_credential(flow.credential_id("signing"), certificates=value)


@then("the answer carries no certificate")
def no_certificate(flow: SigningDriver) -> None:
    checks.check_certificate_count(flow.credential(), 0, evidence=flow.ev())


@then("the answer carries exactly one certificate")
def one_certificate(flow: SigningDriver) -> None:
    checks.check_certificate_count(flow.credential(), 1, evidence=flow.ev())


@then("the certificate's public key matches the declared key length and curve")
def key_matches(flow: SigningDriver) -> None:
    cred = flow.credential()
    verification.check_key_matches_cert(cred.key_len, cred.key_curve, cred.certificates[0],
                                        cred.key_algos, evidence=flow.ev())


@then("the first certificate is the end-entity certificate")
@then("each certificate is issued by the next one")
def chain_order(flow: SigningDriver) -> None:
    verification.check_chain_order(flow.credential().certificates, evidence=flow.ev())


@then("the certificate details are all present")
def cert_info_present(flow: SigningDriver) -> None:
    checks.check_cert_info_format(flow.credential().cert_info, evidence=flow.ev())


@then("the serial number is hexadecimal")
def serial_hex(flow: SigningDriver) -> None:
    checks.check_serial_hex(flow.credential().cert_info, evidence=flow.ev())


@then("the validity dates are generalized times")
def dates_format(flow: SigningDriver) -> None:
    checks.check_dates_format(flow.credential().cert_info, evidence=flow.ev())


@then("the answer carries no certificate details")
def cert_info_absent(flow: SigningDriver) -> None:
    verification.check_cert_info_absent(flow.credential().cert_info, evidence=flow.ev())


@then("the key status and certificate status are documented values")
def status_values(flow: SigningDriver) -> None:
    checks.check_status_values(flow.credential(), evidence=flow.ev())


@then("the curve is given exactly when the key is an elliptic curve key")
def curve_iff_ec(flow: SigningDriver) -> None:
    checks.check_curve_iff_ec(flow.credential(), evidence=flow.ev())


@then("the sole control level and the multi-signature limit are well-formed")
def scal_multisign(flow: SigningDriver) -> None:
    checks.check_scal_multisign(flow.credential().raw, evidence=flow.ev())


@then("the authorization mode is one of implicit, explicit or OAuth")
@then("PIN and OTP details are present only when the mode is explicit")
def auth_mode_v1(flow: SigningDriver) -> None:
    checks.check_auth_mode_v1(flow.credential().raw, evidence=flow.ev())


@then("the authorization mode is one of explicit or OAuth")
@then("authorization objects are present only when the mode is explicit")
def auth_mode_v2(flow: SigningDriver) -> None:
    checks.check_auth_mode_v2(flow.credential().raw, evidence=flow.ev())


@then("every key algorithm of the credential is advertised by the service")
def key_algos_advertised(flow: SigningDriver) -> None:
    checks.check_key_algos_advertised(flow.credential().key_algos,
                                      flow.info.sign_algorithms, evidence=flow.ev())


@then(parsers.parse('the key is reported as "{status}"'))
def key_status(flow: SigningDriver, status: str) -> None:
    checks.check_key_status(flow.credential(), status, evidence=flow.ev())


@then(parsers.parse('the certificate is reported as "{status}"'))
def cert_status(flow: SigningDriver, status: str) -> None:
    checks.check_cert_status(flow.credential(), status, evidence=flow.ev())
