"""Running the signHash matrix through the driver, pair by pair, and reporting what ran.

Every planned pair is attempted even when an earlier one failed, so one run names every pair that
fails. A pair whose authorization the suite could not make (a broken login, say) is the suite's
problem, not the target's: it is kept apart and ends the scenario as an error when nothing the
target did failed. Each signed pair, each unverifiable algorithm and each credential another one
stood for is written to the report as facts (``fact.<label>``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from cscsuite.checks import signing
from cscsuite.credential_discovery import families, short
from cscsuite.crypto import oids
from cscsuite.driver import describe
from cscsuite.driver_signing import SigningDriver
from cscsuite.outcomes import HarnessError
from cscsuite.sign_matrix import HASH_LABELS, Pair, published_pss_params, supported_hashes
from cscsuite.sign_matrix_plan import Plan, Planned, plan
from cscsuite.vocabulary import Algorithm

#: oids.Scheme -> the vocabulary's encoding family.
_FAMILY = {"pkcs1v15": "rsa", "pss": "rsa", "ecdsa-der": "ecdsa", "ecdsa-plain": "plain_ecdsa"}


@dataclass(frozen=True)
class PairResult:
    """One pair on one credential: ``problem`` None when it signed and verified."""

    credential_id: str
    pair: Pair
    problem: str | None = None
    suite_error: bool = False  # the suite could not attempt it (not the target's fault)

    @property
    def label(self) -> str:
        return f"{short(self.credential_id)} {self.pair.label}"


def matrix_plan(flow: SigningDriver, left_out: Mapping[str, str] | None = None) -> Plan:
    """The plan for this version from discovery, without the credentials ``left_out``
    (credential -> why); skips when the signer has nothing usable."""
    found = flow.discovered_credentials()
    if found.problem:
        flow.refusal_fails(found)
        raise HarnessError(f"the signer's credentials could not be discovered: {found.problem}")
    info = flow.info
    hashes = supported_hashes(families([found]) | set(info.sign_algorithms))
    left_out = left_out or {}
    made = plan([f for f in found.facts if f.credential_id not in left_out], hashes,
                published_pss_params(info.sign_algorithms, info.sign_algorithm_params),
                full=flow.world.profile.run.sign_matrix == "full")
    if not made.planned:
        why = "; ".join(f"{short(c)}: {r}" for c, r in left_out.items()) or found.found()
        pytest.skip(f"no credential of the signer can sign (enabled key, valid certificate, "
                    f"factors the profile has): {why}")
    if not left_out:
        flow.world.evidence.fact("matrix hashes", ", ".join(HASH_LABELS[h] for h in hashes))
    return made


def run(flow: SigningDriver, made: Plan) -> tuple[Plan, list[PairResult], dict[str, str]]:
    """Sign and verify every planned pair, one credential authorization per batch. A credential
    the profile cannot authorize (a factor it lacks: the authorization skips) is left out and the
    rest planned again, so its pairs move to the next credential of its list. Returns the plan
    that ran, the results and the credentials left out (with why)."""
    results: dict[str, list[PairResult]] = {}
    left_out: dict[str, str] = {}
    done: set[tuple[str, str]] = set()
    todo = list(made.planned)
    while todo:
        entry = todo.pop(0)
        cid = entry.facts.credential_id
        try:
            results[cid] = _run_entry(flow, entry)
        except pytest.skip.Exception as exc:
            left_out[cid] = str(exc.msg)
            results.pop(cid, None)
            made = matrix_plan(flow, left_out)
            todo = [e for e in made.planned if (e.facts.credential_id, e.coverage) not in done]
            continue
        done.add((cid, entry.coverage))
    return made, [r for rs in results.values() for r in rs], left_out


def _run_entry(flow: SigningDriver, entry: Planned) -> list[PairResult]:
    flow.use_credential_id(entry.facts.credential_id)
    cert = flow.certificate()
    return [r for batch in entry.batches() for r in _run_batch(flow, entry, batch, cert)]


def _digest(hash_oid: str) -> bytes:
    return hashlib.new(oids.HASHES[hash_oid][0], secrets.token_bytes(32)).digest()


def _run_batch(flow: SigningDriver, entry: Planned, batch: list[Pair],
               cert: bytes) -> list[PairResult]:
    cid = entry.facts.credential_id
    digests = [_digest(p.hash_algorithm) for p in batch]
    flow.world.hashes, flow.world.hash_algorithm = digests, batch[0].hash_algorithm
    try:
        flow.authorize_signing()
    except HarnessError as exc:
        return [PairResult(cid, p, f"not attempted: {exc}", suite_error=True) for p in batch]
    if not flow.world.sad:
        why = describe(flow.outcome())
        return [PairResult(cid, p, f"not signed: the credential authorization did not give an "
                                   f"activation token ({why})") for p in batch]
    return [_sign_one(flow, cid, pair, digest, cert) for pair, digest in zip(batch, digests,
                                                                             strict=True)]


def _sign_one(flow: SigningDriver, cid: str, pair: Pair, digest: bytes,
              cert: bytes) -> PairResult:
    algo = Algorithm(pair.sign_algorithm, _FAMILY[pair.scheme], send_hash=pair.separate_hash)
    resp = flow.sign(algo, hashes=[digest], params=pair.params)
    problem = signing.pair_problem(resp, flow.world.signatures, cert, digest,
                                   pair.sign_algorithm, pair.hash_algorithm, pair.params)
    return PairResult(cid, pair, problem)


def report(flow: SigningDriver, made: Plan, results: list[PairResult],
           left_out: Mapping[str, str] | None = None) -> None:
    """The facts: a summary, the pairs per credential, what was not verifiable or represented,
    and the credentials the profile could not authorize."""
    fact = flow.world.evidence.fact
    if left_out:
        fact("left out", "; ".join(f"{short(c)}: {r}" for c, r in left_out.items()))
    failed = sum(1 for r in results if r.problem)
    fact("matrix", f"{len(results)} pairs on {len(made.planned)} credentials, "
                   f"{made.authorizations} authorizations, {failed} failed")
    for entry in made.planned:
        mine = [r for r in results if r.credential_id == entry.facts.credential_id]
        shown = "; ".join(f"{r.pair.label} {'ok' if not r.problem else 'FAILED'}" for r in mine)
        fact(f"signed with {short(entry.facts.credential_id)} ({entry.facts.key()}, "
             f"{entry.coverage})",
             shown or "no signature algorithm advertised")
        if entry.unverifiable:
            fact(f"not verifiable by the suite ({short(entry.facts.credential_id)})",
                 "; ".join(u.label for u in entry.unverifiable))
    if made.represented:
        fact("represented", "; ".join(f"{short(c)} by {short(r)}"
                                      for c, r in made.represented.items()))


def judge(flow: SigningDriver, results: list[PairResult]) -> None:
    """Fail naming every pair the target got wrong; else error on pairs the suite could not
    attempt (a broken login is not the target's fault). No pair at all is no pass: the
    credentials advertised nothing the suite can verify (the facts say what)."""
    if not results:
        pytest.skip("the signer's credentials advertise no algorithm the suite can sign and "
                    "verify (fact 'not verifiable by the suite')")
    target = [(r.label, r.problem) for r in results if not r.suite_error]
    broken = [f"{r.label}: {r.problem}" for r in results if r.suite_error]
    if any(problem for _, problem in target) or not broken:
        signing.check_matrix(target, broken, evidence=flow.ev())
    if broken:
        raise HarnessError(f"{len(broken)} pairs could not be attempted: " + "; ".join(broken))
