"""Steps that spend one authorization in parts: over several signHash calls, in a batch mixed
with an unauthorized hash, and at the edges of its stated lifetime."""

from __future__ import annotations

from pytest_bdd import given, then, when

from cscsuite.checks import signing, spending
from cscsuite.checks.verification import check_signature_count_and_order
from cscsuite.driver_signing import SigningDriver


def _half(flow: SigningDriver) -> int:
    """Where the first half of the scenario's hashes ends (at least one hash)."""
    return max(1, len(flow.world.hashes) // 2)


def _sign_part(flow: SigningDriver, hashes: list[bytes]) -> None:
    flow.world.notes["part"] = hashes
    flow.sign(flow.usual_algorithm(), hashes=hashes)


@when("the signer authorizes as many signatures as the credential may sign at once without "
      "naming the hashes")
def authorize_limit_unbound(flow: SigningDriver) -> None:
    flow.authorize_signing(num=flow.multisign_limit(), bind=False)


@when("the signing application signs the first half of the hashes")
def sign_first_half(flow: SigningDriver) -> None:
    _sign_part(flow, flow.world.hashes[:_half(flow)])


@when("the signing application signs the rest of the hashes")
def sign_rest(flow: SigningDriver) -> None:
    _sign_part(flow, flow.world.hashes[_half(flow):])


@when("the signing application signs the next hash together with a hash that was not authorized")
def sign_next_and_foreign(flow: SigningDriver) -> None:
    """Within what is left of the count: only the unauthorized hash makes it wrong."""
    authorized = flow.world.hashes
    foreign = flow.compute_hashes(1)  # same hash algorithm, never authorized
    flow.world.hashes = authorized
    _sign_part(flow, authorized[_half(flow):_half(flow) + 1] + foreign)


@when("the signing application signs the first hash once more")
def sign_first_again(flow: SigningDriver) -> None:
    _sign_part(flow, flow.world.hashes[:1])


@given("the activation token is about to expire")
@when("the activation token is about to expire")
def sad_nearly_expired(flow: SigningDriver) -> None:
    flow.wait_until_just_before_expiry(flow.token_response())


@then("the service signs those hashes")
def part_signed(flow: SigningDriver) -> None:
    part, w = flow.world.notes["part"], flow.world
    signing.check_signatures_returned(flow.response(), w.signatures, len(part),
                                      evidence=flow.ev())
    check_signature_count_and_order(flow.certificate(), part, w.signatures, flow.sign_algorithm(),
                                    w.hash_algorithm, w.sign_algorithm_params, evidence=flow.ev())


@then("the service signs those hashes with what is left of the authorization")
def rest_signed(flow: SigningDriver) -> None:
    resp = flow.response()
    flow.world.evidence.fact("split spending", "allowed" if resp.status == 200 else
                             f"refused after the first call (HTTP {resp.status} {resp.error})")
    if resp.status == 200:
        part_signed(flow)
    else:
        spending.check_rest_signed(resp, evidence=flow.ev())


@then("the refusal carries no signature")
def no_signature(flow: SigningDriver) -> None:
    spending.check_no_signatures(flow.response(), evidence=flow.ev())
