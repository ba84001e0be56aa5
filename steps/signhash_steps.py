"""Steps of sign_hash.feature and verification.feature."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_bdd import given, parsers, then, when

from cscsuite.adapters.base import OMIT
from cscsuite.checks import signing
from cscsuite.checks import verification as verify
from steps.vocabulary import ALGORITHMS


@given(parsers.parse("the credential supports {algorithm}"))
def credential_supports(flow, algorithm):
    if ALGORITHMS[algorithm].oid not in flow.world.credential.key_algos:
        pytest.skip(f"the credential does not offer {algorithm}")


@when(parsers.re(r"the signing application signs the hashes with (?P<algorithm>"
                 + "|".join(ALGORITHMS) + r"|<algorithm>)"))
def sign(flow, algorithm):
    flow.sign(algorithm)


@when("the signing application signs the hashes with SHA-256 with RSA again")
def sign_again(flow):
    flow.sign("SHA-256 with RSA")


@when("the signing application signs all the hashes with SHA-256 with RSA")
def sign_all(flow):
    flow.sign("SHA-256 with RSA")


@when("the signing application asks for a signature of a hash that was not authorized")
def sign_other_hash(flow):
    other = flow.compute_hashes(1)
    flow.sign("SHA-256 with RSA", hashes=other)


@when("the signing application signs the hashes with SHA-256 with RSA using the signer's RSA 3072 "
      "credential")
def sign_with_other_credential(flow):
    flow.sign("SHA-256 with RSA", credential_id=flow.credential_id("RSA 3072"))


@when("the activation token has expired")
def sad_expired(flow):
    flow.wait_for_expiry(flow.world.authorization.token_response.field("expires_in"))


WHERE = {"as the bearer token instead of the activation token": True,
         "as the activation token with the service token": False}


@when(parsers.parse("the signing application signs the hashes with SHA-256 with RSA presenting "
                    "the credential token {where}"))
def sign_token_placement(flow, where):
    flow.sign("SHA-256 with RSA", sad_in_header=WHERE[where])


BAD_INPUT = {
    "an algorithm the key does not support": ("ECDSA with SHA-256", {}),
    "RSA without naming the hash algorithm": ("RSA with a separate hash algorithm",
                                              {"hash_algorithm": OMIT}),
    "an empty list of hashes": ("SHA-256 with RSA", {"hashes": []}),
    "hashes that are not a list": ("SHA-256 with RSA", {"hashes": "abc"}),
    "a hash that is not base64": ("SHA-256 with RSA", {"hashes": ["!!"]}),
    "a hash one byte too short": ("SHA-256 with RSA", {"hashes": "short"}),
    "client data that is not text": ("SHA-256 with RSA", {"client_data": 5}),
    "RSASSA-PSS without its parameters": ("RSASSA-PSS with SHA-256",
                                          {"sign_algorithm_params": OMIT}),
    "an unknown operation mode": ("SHA-256 with RSA", {"operation_mode": "X"}),
}


@when(parsers.re(r"the signing application signs the hashes with (?P<bad>"
                 + "|".join(BAD_INPUT) + r"|<bad input>)"))
def sign_bad_input(flow, bad):
    algorithm, overrides = BAD_INPUT[bad]
    if overrides.get("hashes") == "short":
        overrides = {"hashes": [h[:-1] for h in flow.world.hashes]}
    flow.sign(algorithm, overrides=overrides)


@when("the signing application signs the hashes with SHA-256 with RSA and an invented "
      "activation token")
def sign_invented_sad(flow):
    flow.sign("SHA-256 with RSA", sad="invented-activation-token-0000")


@when("the signing application signs the hashes with SHA-256 with RSA without an activation "
      "token")
def sign_without_sad(flow):
    flow.sign("SHA-256 with RSA", sad=None)


@then("the service returns one signature per hash in the order of the hashes")
def signatures_in_order(flow):
    w = flow.world
    signing.check_signatures_returned(w.response, w.signatures, len(w.hashes), evidence=flow.ev())
    verify.check_signature_count_and_order(w.credential.certificates[0], w.hashes, w.signatures,
                                           w.sign_algorithm, w.hash_algorithm,
                                           w.sign_algorithm_params, evidence=flow.ev())


@then(parsers.parse("each signature value has the encoding of {algorithm}"))
def signature_encoding(flow, algorithm):
    for sig in flow.world.signatures:
        signing.check_encoding(ALGORITHMS[algorithm].family, sig,
                               flow.world.credential.certificates[0], evidence=flow.ev())


@then("each signature verifies with the signer's certificate")
def signatures_verify(flow):
    w = flow.world
    expected = len(w.hashes)
    signing.check_signatures_returned(w.response, w.signatures, expected, evidence=flow.ev())
    for digest, sig in zip(w.hashes, w.signatures, strict=True):
        verify.check_signature_verifies(w.credential.certificates[0], digest, sig,
                                        w.sign_algorithm, w.hash_algorithm,
                                        w.sign_algorithm_params, evidence=flow.ev())


# --- verification.feature ----------------------------------------------------------------------

@then("the certificate chain validates against the target's trust anchors")
def chain_trusted(flow):
    if not flow.target.trust_anchors:
        pytest.skip("the profile lists no trust anchors")
    verify.check_chain_trusted(flow.world.credential.certificates, flow.target.trust_anchors,
                               datetime.now(UTC), evidence=flow.ev())


@then("the certificate chain was valid at signing time")
def chain_valid_at_signing(flow):
    verify.check_valid_at(flow.world.credential.certificates, datetime.now(UTC),
                          evidence=flow.ev())
    chain_trusted(flow)


@then("the certificate allows non-repudiation signatures")
def non_repudiation(flow):
    verify.check_key_usage_non_repudiation(flow.world.credential.certificates[0],
                                           evidence=flow.ev())


@then("the certificate details agree with the certificate")
def cert_info_agrees(flow):
    verify.check_cert_info_matches(flow.world.credential.cert_info,
                                   flow.world.credential.certificates[0], evidence=flow.ev())


@then("the certificate carries the qualified certificate statements")
def qc_statements(flow):
    verify.check_qc_statements(flow.world.credential.certificates[0], evidence=flow.ev())


@then("the certificate is valid at this moment")
def valid_now(flow):
    verify.check_valid_at(flow.world.credential.certificates[:1], datetime.now(UTC),
                          evidence=flow.ev())


