"""Steps of sign_hash.feature and verification.feature."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from cscsuite import credential_auth, matrix_run
from cscsuite.adapters.base import OMIT
from cscsuite.checks import signing
from cscsuite.checks import verification as verify
from cscsuite.crypto import oids
from cscsuite.crypto.certs import summarize
from cscsuite.driver_signing import NO_SAD, SigningDriver
from cscsuite.sign_matrix import max_pss_salt, pss_params


@given("the signer's credentials with the algorithm and hash pairs each one advertises")
def matrix_planned(flow: SigningDriver) -> None:
    flow.world.notes["matrix"] = matrix_run.matrix_plan(flow)


@when("the signer authorizes each credential and the signing application signs a document hash "
      "with each pair")
def matrix_signed(flow: SigningDriver) -> None:
    made, results, left_out = matrix_run.run(flow, flow.world.notes["matrix"])
    flow.world.notes["matrix_results"] = results
    matrix_run.report(flow, made, results, left_out)


@then("each signature verifies with its credential's certificate in the encoding of its algorithm")
def matrix_verified(flow: SigningDriver) -> None:
    matrix_run.judge(flow, flow.world.notes["matrix_results"])


@when("the signing application signs the hashes with an algorithm of the credential's key")
def sign_with_key_algorithm(flow: SigningDriver) -> None:
    flow.sign(credential_auth.signing_algorithm(flow.credential(), flow.world.hash_algorithm))


@when("the signing application signs the hashes with the credential's usual algorithm")
def sign_usual(flow: SigningDriver) -> None:
    flow.sign(flow.usual_algorithm())


@when("the signing application signs the hashes with the credential's usual algorithm again")
def sign_again(flow: SigningDriver) -> None:
    flow.sign_again(flow.usual_algorithm())


@when("the signing application signs all the hashes with the credential's usual algorithm")
def sign_all(flow: SigningDriver) -> None:
    flow.sign(flow.usual_algorithm())


@when("the signing application asks for a signature of a hash that was not authorized")
def sign_other_hash(flow: SigningDriver) -> None:
    authorized = flow.world.hashes  # kept: a later step may sign the authorized ones
    flow.sign(flow.usual_algorithm(), hashes=flow.compute_hashes(1))
    flow.world.hashes = authorized


@when("the signing application signs the hashes using another credential of the signer")
def sign_with_other_credential(flow: SigningDriver) -> None:
    other, algorithm = flow.other_credential()
    flow.sign(algorithm, credential_id=other)


@when("the activation token has expired")
def sad_expired(flow: SigningDriver) -> None:
    flow.wait_for_expiry(flow.token_response())


WHERE = {"as the bearer token instead of the activation token": True,
         "as the activation token with the service token": False}


@when(parsers.parse("the signing application signs the hashes with the credential's usual "
                    "algorithm presenting the credential token {where}"))
def sign_token_placement(flow: SigningDriver, where: str) -> None:
    flow.sign(flow.usual_algorithm(), sad_in_header=WHERE[where])


#: Bad input → (algorithm, overrides); USUAL, FOREIGN and SEPARATE are resolved against the
#: credential.
USUAL, FOREIGN, SEPARATE = "usual", "foreign", "separate"
BAD_INPUT: dict[str, tuple[str, dict[str, Any]]] = {
    "an algorithm the key does not support": (FOREIGN, {}),
    "an algorithm without the hash algorithm it needs": (SEPARATE, {"hash_algorithm": OMIT}),
    "an empty list of hashes": (USUAL, {"hashes": []}),
    "hashes that are not a list": (USUAL, {"hashes": "abc"}),
    "a hash that is not base64": (USUAL, {"hashes": ["!!"]}),
    "a hash one byte too short": (USUAL, {"hashes": "short"}),
    "client data that is not text": (USUAL, {"client_data": 5}),
    "RSASSA-PSS without its parameters": ("RSASSA-PSS with SHA-256",
                                          {"sign_algorithm_params": OMIT}),
    "RSASSA-PSS parameters whose trailer field is not 1": (
        "RSASSA-PSS with SHA-256", {"params": pss_params(oids.SHA256, 32, trailer=0)}),
    "an unknown operation mode": (USUAL, {"operation_mode": "X"}),
}


@when(parsers.re(r"the signing application signs the hashes with (?P<bad>"
                 + "|".join(BAD_INPUT) + r"|<bad input>)"))
def sign_bad_input(flow: SigningDriver, bad: str) -> None:
    algorithm, overrides = BAD_INPUT[bad]
    resolve = {USUAL: flow.usual_algorithm, FOREIGN: flow.foreign_algorithm,
               SEPARATE: flow.separate_hash_algorithm}
    algorithm = resolve[algorithm]() if algorithm in resolve else algorithm
    if overrides.get("hashes") == "short":
        overrides = {"hashes": [h[:-1] for h in flow.world.hashes]}
    overrides = dict(overrides)
    flow.sign(algorithm, overrides=overrides, params=overrides.pop("params", None))


#: Salt phrase -> bytes beyond the largest salt RFC 8017 §9.1.1 allows for the key and SHA-256.
PSS_SALTS = {"a salt one byte longer than the key allows": 1, "the largest salt the key allows": 0}


@when(parsers.re(r"the signing application signs the hashes with RSASSA-PSS and "
                 r"(?P<salt>" + "|".join(PSS_SALTS) + ")"))
def sign_pss_salt(flow: SigningDriver, salt: str) -> None:
    length = max_pss_salt(summarize(flow.certificate()).key_bits, oids.SHA256) + PSS_SALTS[salt]
    flow.sign("RSASSA-PSS with SHA-256", params=pss_params(oids.SHA256, length))


@when("the signing application signs the hashes with the credential's usual algorithm and an "
      "invented activation token")
def sign_invented_sad(flow: SigningDriver) -> None:
    flow.sign(flow.usual_algorithm(), sad="invented-activation-token-0000")


@when("the signing application signs the hashes with the credential's usual algorithm without "
      "an activation token")
def sign_without_sad(flow: SigningDriver) -> None:
    flow.sign(flow.usual_algorithm(), sad=NO_SAD)


@then("the service returns one signature per hash in the order of the hashes")
def signatures_in_order(flow: SigningDriver) -> None:
    w, cert = flow.world, flow.certificate()
    signing.check_signatures_returned(flow.response(), w.signatures, len(w.hashes),
                                      evidence=flow.ev())
    verify.check_signature_count_and_order(cert, w.hashes, w.signatures, flow.sign_algorithm(),
                                           w.hash_algorithm, w.sign_algorithm_params,
                                           evidence=flow.ev())


@then("each signature verifies with the signer's certificate")
def signatures_verify(flow: SigningDriver) -> None:
    w, cert = flow.world, flow.certificate()
    signing.check_signatures_returned(flow.response(), w.signatures, len(w.hashes),
                                      evidence=flow.ev())
    for digest, sig in zip(w.hashes, w.signatures, strict=True):
        verify.check_signature_verifies(cert, digest, sig, flow.sign_algorithm(), w.hash_algorithm,
                                        w.sign_algorithm_params, evidence=flow.ev())


# --- verification.feature ----------------------------------------------------------------------

@then("the certificate chain validates against the target's trust anchors")
def chain_trusted(flow: SigningDriver) -> None:
    if not flow.target.trust_anchors:
        pytest.skip("the profile lists no trust anchors")
    verify.check_chain_trusted(flow.credential().certificates, flow.target.trust_anchors,
                               datetime.now(UTC), evidence=flow.ev())


@then("the certificate chain was valid at signing time")
def chain_valid_at_signing(flow: SigningDriver) -> None:
    verify.check_valid_at(flow.credential().certificates, datetime.now(UTC), evidence=flow.ev())
    chain_trusted(flow)


@then("the certificate allows non-repudiation signatures")
def non_repudiation(flow: SigningDriver) -> None:
    verify.check_key_usage_non_repudiation(flow.certificate(), evidence=flow.ev())


@then("the certificate details agree with the certificate")
def cert_info_agrees(flow: SigningDriver) -> None:
    verify.check_cert_info_matches(flow.credential().cert_info, flow.certificate(),
                                   evidence=flow.ev())


@then("the certificate carries the qualified certificate statements")
def qc_statements(flow: SigningDriver) -> None:
    verify.check_qc_statements(flow.certificate(), evidence=flow.ev())


@then("the certificate is valid at this moment")
def valid_now(flow: SigningDriver) -> None:
    verify.check_valid_at(flow.credential().certificates[:1], datetime.now(UTC),
                          evidence=flow.ev())
