"""Steps over every credential of the signer: declared keys, certificate profile, revocation."""

from __future__ import annotations

import pytest
from pytest_bdd import then, when

from cscsuite import revocation_sources
from cscsuite.adapters.base import CredentialInfo
from cscsuite.checks import cert_profile, revocation_info, verification
from cscsuite.driver_signing import SigningDriver


def _every(flow: SigningDriver) -> list[CredentialInfo]:
    return flow.world.notes["every_credential"]


#: The reason the OCSP scenarios skip on a target whose certificates name no responder.
NO_RESPONDER = "no certificate of the signer names an OCSP responder"


def _ev(item: CredentialInfo | revocation_sources.Case) -> str:
    return f"credential {item.credential_id}"


@when("the signing application reads every credential of the signer with its certificate chain")
def read_every(flow: SigningDriver) -> None:
    flow.world.notes["every_credential"] = flow.read_every_credential()


@then("each credential's declared key length and curve match its certificate")
def every_key_matches(flow: SigningDriver) -> None:
    for cred in _every(flow):
        verification.check_key_matches_cert(cred.key_len, cred.key_curve, cred.certificates[0],
                                            cred.key_algos, evidence=_ev(cred))


@then("no certificate marks its key identifiers critical")
def key_identifiers(flow: SigningDriver) -> None:
    for cred in _every(flow):
        cert_profile.check_key_identifiers_non_critical(cred.certificates,
                                                        evidence=_ev(cred))


@then("each signer certificate marks its key usage critical")
def signer_key_usage(flow: SigningDriver) -> None:
    for cred in _every(flow):
        cert_profile.check_signer_key_usage_critical(cred.certificates[0],
                                                     evidence=_ev(cred))


@then("each signer certificate names where its issuer's certificate is, which serves it")
def ca_issuers(flow: SigningDriver) -> None:
    for cred in _every(flow):
        if len(cred.certificates) < 2:
            pytest.skip(f"credential {cred.credential_id} came without its issuer's certificate")
        cert_profile.check_ca_issuers(cred.certificates[0], cred.certificates[1],
                                      evidence=_ev(cred))


@then("each certificate authority marks its key usage critical")
def ca_key_usage(flow: SigningDriver) -> None:
    chains = {cert: None for cred in _every(flow) for cert in cred.certificates}
    cert_profile.check_ca_key_usage_critical(list(chains), evidence="every credential's chain")


@then("the revocation list each certificate names lists it exactly when it is revoked")
def crl_lists(flow: SigningDriver) -> None:
    cases = revocation_sources.crl_cases(_every(flow))
    flow.world.evidence.fact("certificates checked against their CRL", str(len(cases)))
    for case in cases:
        revocation_info.check_crl_lists(case, evidence=_ev(case))
        revocation_info.check_crl_number(case, evidence=_ev(case))


@then("the status responder each certificate names answers revoked exactly when it is revoked")
def ocsp_answers(flow: SigningDriver) -> None:
    cases = _ocsp_cases(flow, get=False)
    flow.world.evidence.fact("certificates checked with their OCSP responder", str(len(cases)))
    for case in cases:
        revocation_info.check_ocsp_status(case, evidence=_ev(case))


def _ocsp_cases(flow: SigningDriver, *, get: bool) -> list[revocation_sources.Case]:
    cases = revocation_sources.ocsp_cases(_every(flow), get=get)
    if not cases:
        pytest.skip(NO_RESPONDER)
    return cases


@then("the status responder each certificate names answers a GET request as it answers a POST")
def ocsp_get(flow: SigningDriver) -> None:
    cases = _ocsp_cases(flow, get=True)
    flow.world.evidence.fact("certificates checked with their OCSP responder over GET",
                             str(len(cases)))
    for case in cases:
        revocation_info.check_ocsp_not_crashed(case.answer, evidence=_ev(case))
        revocation_info.check_ocsp_get(case, evidence=_ev(case))


@then("the status responder each certificate names does not vouch for a certificate never issued")
def ocsp_unissued(flow: SigningDriver) -> None:
    probes = revocation_sources.unissued_cases(_every(flow))
    if not probes:
        pytest.skip(NO_RESPONDER)
    for probe in probes:
        ev = f"serial {probe.serial:x} at {probe.answer.url}"
        revocation_info.check_ocsp_not_crashed(probe.answer, evidence=ev)
        resp = revocation_info.check_ocsp_unissued(probe, evidence=ev)
        revocation_info.check_ocsp_unissued_not_good(resp, probe.answer.url, evidence=ev)

