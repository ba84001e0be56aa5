"""The signHash matrix: pairs derived from key/algo and the supported hashes, PSS parameters, the
plan's choice of credentials and authorizations, and a failing or missing pair failing the check."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any

import pytest
from checks_helpers import error, resp
from suite_crypto_factory import digest, ec_key, make_cert, name, rsa_key, sign_ecdsa, sign_rsa

from cscsuite import matrix_run
from cscsuite.checks.base import ConformanceError
from cscsuite.checks.signing import check_matrix, pair_problem
from cscsuite.credential_discovery import CredentialFacts, Discovery
from cscsuite.crypto import oids as o
from cscsuite.crypto.signatures import parse_pss_params
from cscsuite.outcomes import HarnessError
from cscsuite.sign_matrix import (
    batches,
    derive_pairs,
    max_pss_salt,
    one_per_scheme,
    pss_params,
    pss_salts,
    published_pss_params,
    supported_hashes,
)
from cscsuite.sign_matrix_plan import FULL, PER_SCHEME, plan

RSA_ENC, PSS, BSI = o.RSA_ENCRYPTION, o.RSASSA_PSS, o.BSI_PLAIN_ARC
SHA256_RSA, SHA384_RSA, SHA512_RSA = ("1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12",
                                      "1.2.840.113549.1.1.13")
ECDSA_256, ECDSA_384, ECDSA_512 = ("1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3",
                                   "1.2.840.10045.4.3.4")
RSA_ALGOS = (RSA_ENC, SHA256_RSA, SHA384_RSA, SHA512_RSA, PSS)
EC_ALGOS = (ECDSA_256, ECDSA_384, ECDSA_512, BSI + ".3", BSI)
SHA2 = (o.SHA256, o.SHA384, o.SHA512)


def facts(cid: str, algos: tuple[str, ...] = RSA_ALGOS, *, key: str = "rsa", size: int = 2048,
          curve: str | None = None, multisign: int = 1, mode: str = "oauth2code",
          status: str = "valid") -> CredentialFacts:
    return CredentialFacts(cid, key_type=key, key_size=size, curve=curve, key_status="enabled",
                           cert_status=status, multisign=multisign, auth_mode=mode,
                           sign_algorithms=algos)


# --- pair derivation -------------------------------------------------------------------------

def test_supported_hashes_are_those_the_advertised_algorithms_imply() -> None:
    assert supported_hashes([RSA_ENC, SHA512_RSA, ECDSA_384]) == (o.SHA384, o.SHA512)
    assert supported_hashes(RSA_ALGOS + EC_ALGOS) == SHA2


def test_without_an_implied_hash_only_sha256_is_supported() -> None:
    assert supported_hashes([RSA_ENC, PSS, BSI, "1.2.3.4"]) == (o.SHA256,)


def test_an_implied_hash_gives_one_pair_and_a_separate_hash_one_per_supported_hash() -> None:
    pairs, unverifiable = derive_pairs([RSA_ENC, SHA512_RSA], SHA2)
    assert unverifiable == []
    got = [(p.sign_algorithm, p.hash_algorithm, p.separate_hash) for p in pairs]
    assert got == [(RSA_ENC, o.SHA256, True), (RSA_ENC, o.SHA384, True),
                   (RSA_ENC, o.SHA512, True), (SHA512_RSA, o.SHA512, False)]


def test_sha512_with_rsa_is_signed_when_advertised() -> None:
    """The issue's motivation: a fixed table never signed SHA-512 with RSA."""
    pairs, _ = derive_pairs(RSA_ALGOS, SHA2, key_bits=2048)
    assert any(p.sign_algorithm == SHA512_RSA and p.hash_algorithm == o.SHA512 for p in pairs)
    assert len(pairs) == 3 + 3 + 3 * 3  # implied, separate, PSS (3 salts per hash)


def test_the_bare_bsi_arc_takes_every_supported_hash_and_stays_plain() -> None:
    pairs, _ = derive_pairs(EC_ALGOS, SHA2)
    arc = [p for p in pairs if p.sign_algorithm == BSI]
    assert [p.hash_algorithm for p in arc] == list(SHA2)
    assert {p.scheme for p in arc} == {"ecdsa-plain"} and all(p.separate_hash for p in arc)


def test_an_algorithm_the_suite_cannot_verify_is_kept_as_unverifiable() -> None:
    pairs, unverifiable = derive_pairs([SHA256_RSA, "1.2.3.4.5"], SHA2)
    assert [p.sign_algorithm for p in pairs] == [SHA256_RSA]
    assert [u.sign_algorithm for u in unverifiable] == ["1.2.3.4.5"]
    assert "does not know" in unverifiable[0].label


# --- RSASSA-PSS --------------------------------------------------------------------------------

def test_pss_salts_are_the_digest_length_zero_and_the_largest_the_key_allows() -> None:
    assert max_pss_salt(2048, o.SHA256) == 256 - 32 - 2
    assert pss_salts(o.SHA256, 2048) == [32, 0, 222]
    assert pss_salts(o.SHA512, 3072) == [64, 0, 384 - 64 - 2]
    assert pss_salts(o.SHA256, None) == [32, 0]


def test_pss_params_match_the_spec_notes_encoding() -> None:
    """spec-notes §5.2: SHA-256 / MGF1-SHA-256 / salt 32 with NULL hash parameters."""
    assert base64.b64encode(pss_params(o.SHA256, 32)).decode() == (
        "MDSgDzANBglghkgBZQMEAgEFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgEFAKIDAgEg")


@pytest.mark.parametrize("hash_oid", SHA2)
def test_pss_params_round_trip_with_mgf1_of_the_same_hash(hash_oid: str) -> None:
    for salt in pss_salts(hash_oid, 2048):
        parsed = parse_pss_params(pss_params(hash_oid, salt))
        assert (parsed.hash_oid, parsed.mgf_hash_oid, parsed.salt_length) == (
            hash_oid, hash_oid, salt)


def test_every_pss_salt_verifies_a_signature_made_with_it() -> None:
    key = rsa_key()
    cert = make_cert(name("Alice"), key)
    pairs, _ = derive_pairs([PSS], (o.SHA256,), key_bits=2048)
    for pair in pairs:
        d = digest()
        sig = sign_rsa(key, d, pss_salt=pair.salt)
        assert pair_problem(resp(), [sig], cert, d, PSS, o.SHA256, pair.params) is None
        other_salt = pss_params(o.SHA256, 1)
        assert pair_problem(resp(), [sig], cert, d, PSS, o.SHA256, other_salt) is not None


def test_published_pss_params_add_a_pair_only_when_they_differ() -> None:
    same = pss_params(o.SHA256, 32)
    odd = pss_params(o.SHA384, 20)
    published = published_pss_params(
        [SHA256_RSA, PSS, PSS, PSS], ["", base64.b64encode(same).decode(),
                                      base64.b64encode(odd).decode(), "not base64!"])
    assert published == [same, odd]
    pairs, _ = derive_pairs([PSS], (o.SHA256,), 2048, published)
    extra = [p for p in pairs if p.params_from_info]
    assert [(p.hash_algorithm, p.salt) for p in extra] == [(o.SHA384, 20)]
    assert "algoParams" in extra[0].label


# --- the plan and its authorizations ---------------------------------------------------------

def test_each_algorithm_list_runs_in_full_on_the_cheapest_credential() -> None:
    creds = [facts("rsa-oauth"), facts("rsa-implicit", multisign=5, mode="implicit"),
             facts("rsa-explicit", multisign=5, mode="explicit"),
             facts("rsa3072", size=3072), facts("p256", EC_ALGOS, key="ec", size=256,
                                                curve="P-256"),
             facts("p384", EC_ALGOS, key="ec", size=384, curve="P-384"),
             facts("expired", status="expired")]
    made = plan(creds, SHA2)
    coverage = {p.facts.credential_id: p.coverage for p in made.planned}
    assert coverage == {"rsa-implicit": FULL, "rsa3072": PER_SCHEME, "p256": FULL,
                        "p384": PER_SCHEME}
    assert made.represented == {"rsa-explicit": "rsa-implicit", "rsa-oauth": "rsa-implicit"}
    per_scheme = next(p for p in made.planned if p.facts.credential_id == "p384")
    assert sorted((p.scheme, p.hash_algorithm) for p in per_scheme.pairs) == [
        ("ecdsa-der", o.SHA384), ("ecdsa-plain", o.SHA384)]


def test_a_full_matrix_signs_every_pair_with_every_usable_credential() -> None:
    creds = [facts("a", multisign=5, mode="implicit"), facts("b"), facts("c", size=3072),
             facts("d", status="revoked")]
    made = plan(creds, SHA2, full=True)
    assert [(p.facts.credential_id, p.coverage, len(p.pairs)) for p in made.planned] == [
        ("a", FULL, 15), ("b", FULL, 15), ("c", FULL, 15)]
    assert made.represented == {} and made.authorizations == 3 + 15 + 15


def test_a_different_algorithm_list_on_the_same_key_runs_in_full() -> None:
    made = plan([facts("a", (SHA256_RSA,)), facts("b", (SHA256_RSA, SHA512_RSA))], SHA2)
    assert [p.coverage for p in made.planned] == [FULL, FULL]


def test_one_authorization_covers_up_to_multisign_pairs_of_one_hash() -> None:
    pairs, _ = derive_pairs(RSA_ALGOS, SHA2, key_bits=2048)
    groups = batches(pairs, 5)
    assert len(groups) == 3
    assert all(len({p.hash_algorithm for p in g}) == 1 and len(g) == 5 for g in groups)
    assert len(batches(pairs, 1)) == len(pairs)
    made = plan([facts("m", multisign=5, mode="implicit")], SHA2)
    assert (made.pair_count, made.authorizations) == (15, 3)


def test_one_per_scheme_keeps_the_first_pair_of_each_scheme() -> None:
    pairs, _ = derive_pairs(RSA_ALGOS, SHA2, key_bits=2048)
    assert [(p.scheme, p.sign_algorithm) for p in one_per_scheme(pairs)] == [
        ("pkcs1v15", RSA_ENC), ("pss", PSS)]


def test_no_usable_credential_plans_nothing() -> None:
    assert plan([facts("x", status="revoked")], SHA2).planned == ()


# --- judging ---------------------------------------------------------------------------------

def test_a_refused_pair_fails_the_matrix_naming_it() -> None:
    problem = pair_problem(error(400, "invalid_request"), [], b"", b"", SHA512_RSA, o.SHA512, None)
    assert problem is not None and "400" in problem
    with pytest.raises(ConformanceError) as err:
        check_matrix([("alice SHA-256 with RSA", None), ("alice SHA-512 with RSA", problem)])
    assert "1 of 2 pairs failed" in str(err.value)
    assert "alice SHA-512 with RSA: refused" in str(err.value)


def test_a_wrong_encoding_fails_the_pair() -> None:
    key = ec_key()
    cert, d = make_cert(name("Alice"), key), digest()
    der = sign_ecdsa(key, d)
    assert pair_problem(resp(), [der], cert, d, ECDSA_256, o.SHA256, None) is None
    plain = sign_ecdsa(key, d, plain=True)
    assert pair_problem(resp(), [plain], cert, d, BSI + ".3", o.SHA256, None) is None
    for algo, value in ((BSI + ".3", der), (ECDSA_256, plain)):
        problem = pair_problem(resp(), [value], cert, d, algo, o.SHA256, None)
        assert problem is not None and problem.startswith("encoding_confusion")
    rsa_cert, rsa_sig = make_cert(name("Alice"), rsa_key()), sign_rsa(rsa_key(), d)
    assert pair_problem(resp(), [rsa_sig], rsa_cert, d, SHA256_RSA, o.SHA256, None) is None
    short = pair_problem(resp(), [rsa_sig[1:]], rsa_cert, d, SHA256_RSA, o.SHA256, None)
    assert short is not None and short.startswith("wrong_length")
    assert "2 signatures" in str(pair_problem(resp(), [der, der], cert, d, ECDSA_256, o.SHA256,
                                              None))


def test_a_matrix_without_a_single_pair_does_not_pass() -> None:
    with pytest.raises(pytest.skip.Exception, match="no algorithm the suite can sign"):
        matrix_run.judge(_fake(), [])


def test_every_pair_passing_passes() -> None:
    check_matrix([("a", None), ("b", None)])


# --- running: every pair is attempted --------------------------------------------------------

class _Evidence:
    def __init__(self) -> None:
        self.facts: dict[str, str] = {}

    def fact(self, label: str, value: str) -> None:
        self.facts[label] = value


class _Flow:
    """Just what matrix_run drives: an RSA signer that refuses ``refused`` algorithms and whose
    authorization breaks (the suite's fault) for hashes of ``broken``."""

    def __init__(self, refused: frozenset[str] = frozenset(), broken: str | None = None,
                 credentials: tuple[CredentialFacts, ...] = (), no_pin: str = "") -> None:
        self.key = rsa_key()
        self.cert = make_cert(name("Alice"), self.key)
        self.refused, self.broken, self.no_pin = refused, broken, no_pin
        self.world = SimpleNamespace(hashes=[], hash_algorithm=None, sad=None, signatures=[],
                                     evidence=_Evidence(), profile=SimpleNamespace(
                                         run=SimpleNamespace(sign_matrix="reduced")))
        self.found = Discovery("v1", "signer", credentials)
        self.info = SimpleNamespace(sign_algorithms=(), sign_algorithm_params=())
        self.signed: list[str] = []
        self.authorizations = 0

    def discovered_credentials(self) -> Discovery:
        return self.found

    def use_credential_id(self, credential_id: str) -> None:
        self.credential_id = credential_id

    def certificate(self) -> bytes:
        return self.cert

    def authorize_signing(self) -> None:
        if self.credential_id == self.no_pin:
            pytest.skip("target lacks capability 'explicit_credential' as far as this profile "
                        "goes: no PIN")
        if self.world.hash_algorithm == self.broken:
            raise HarnessError("the login page never settled")
        self.authorizations += 1
        self.world.sad = "sad"

    def sign(self, algo: Any, *, hashes: list[bytes], params: bytes | None) -> Any:
        self.signed.append(algo.oid)
        if algo.oid in self.refused:
            self.world.signatures = []
            return error(400, "invalid_request")
        implied = o.SIGN_ALGORITHMS[algo.oid].hash_oid or self.world.hash_algorithm
        salt = parse_pss_params(params).salt_length if params else None
        self.world.signatures = [sign_rsa(self.key, hashes[0], o.HASHES[implied][0],
                                          pss_salt=salt)]
        return resp()

    def ev(self) -> str:
        return "exchanges.json#1"


def _fake(**options: Any) -> Any:
    """The fake as the driver the matrix functions take."""
    return _Flow(**options)


def _run(flow: Any) -> list[matrix_run.PairResult]:
    made = plan([facts("alice-rsa", multisign=5, mode="implicit")], SHA2)
    made, results, left_out = matrix_run.run(flow, made)
    matrix_run.report(flow, made, results, left_out)
    return results


def test_every_pair_is_signed_and_verified_and_reported() -> None:
    flow = _fake()
    results = _run(flow)
    assert len(results) == len(flow.signed) == 15 and flow.authorizations == 3
    matrix_run.judge(flow, results)
    assert flow.world.evidence.facts["matrix"].startswith("15 pairs on 1 credentials, "
                                                          "3 authorizations, 0 failed")
    listed = flow.world.evidence.facts["signed with alice-rsa (RSA 2048, every pair)"]
    assert listed.count(" ok") == 15 and "SHA-512 [1.2.840.113549.1.1.13] ok" in listed


def test_a_refused_pair_fails_after_every_other_pair_ran() -> None:
    flow = _fake(refused=frozenset({SHA512_RSA}))
    results = _run(flow)
    assert len(flow.signed) == 15
    with pytest.raises(ConformanceError) as err:
        matrix_run.judge(flow, results)
    assert "1 of 15 pairs failed" in str(err.value)
    assert "RSA PKCS#1 v1.5 SHA-512 [1.2.840.113549.1.1.13]: refused" in str(err.value)


def test_pairs_the_suite_could_not_attempt_end_as_an_error_not_a_failure() -> None:
    flow = _fake(broken=o.SHA384)
    results = _run(flow)
    assert len(flow.signed) == 10
    with pytest.raises(HarnessError, match="5 pairs could not be attempted"):
        matrix_run.judge(flow, results)


def test_a_credential_the_profile_cannot_authorize_hands_its_pairs_to_the_next() -> None:
    creds = (facts("explicit", multisign=5, mode="explicit"), facts("oauth"))
    flow = _fake(credentials=creds, no_pin="explicit")
    made, results, left_out = matrix_run.run(flow, matrix_run.matrix_plan(flow))
    assert [p.facts.credential_id for p in made.planned] == ["oauth"]
    assert {r.credential_id for r in results} == {"oauth"} and len(results) == 15
    assert "no PIN" in left_out["explicit"]
    matrix_run.report(flow, made, results, left_out)
    assert flow.world.evidence.facts["left out"].startswith("explicit: target lacks")


def test_a_matrix_no_credential_can_be_authorized_for_skips_with_the_reasons() -> None:
    flow = _fake(credentials=(facts("explicit", mode="explicit"),), no_pin="explicit")
    with pytest.raises(pytest.skip.Exception, match="explicit: target lacks"):
        matrix_run.run(flow, matrix_run.matrix_plan(flow))


def test_a_target_failure_wins_over_pairs_the_suite_could_not_attempt() -> None:
    flow = _fake(refused=frozenset({SHA256_RSA}), broken=o.SHA384)
    with pytest.raises(ConformanceError, match="1 of 10 pairs failed") as err:
        matrix_run.judge(flow, _run(flow))
    assert "and 5 pairs the suite could not attempt" in str(err.value)


def test_pss_params_leave_the_default_trailer_out_and_carry_another() -> None:
    from asn1crypto import algos

    from cscsuite.crypto import oids
    from cscsuite.sign_matrix import pss_params
    usual = pss_params(oids.SHA256, 32)
    assert algos.RSASSAPSSParams.load(usual)["trailer_field"].native == "trailer_field_bc"
    assert b"\xa3" not in usual  # [3] trailerField absent: DER omits a DEFAULT value
    odd = algos.RSASSAPSSParams.load(pss_params(oids.SHA256, 32, trailer=0))
    assert odd["trailer_field"].native == 0 and odd["salt_length"].native == 32
