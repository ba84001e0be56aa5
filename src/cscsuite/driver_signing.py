"""The driver's credential and signing actions: read a credential, authorize it, sign hashes.

A signing scenario that expects a refusal depends on its set-up: the credential was read, the
code exchange yielded an activation token (SAD), an earlier signing worked. Each of these is
checked where it is used and raises ``HarnessError`` when it does not hold, so a service's
``400 invalid_request`` can only ever answer the defect under test, never a request the suite
broke (a SAD that silently went missing, say).
"""

from __future__ import annotations

from typing import Any

import pytest

from cscsuite import credential_auth
from cscsuite.adapters.base import (
    OMIT,
    ApiResponse,
    AuthorizationRequest,
    CredentialInfo,
    SignRequest,
)
from cscsuite.checks.base import expect
from cscsuite.credential_discovery import plainness
from cscsuite.driver import describe, response_outcome
from cscsuite.driver_credentials import CredentialsDriver
from cscsuite.driver_login import AUTHORIZATION_REQUEST
from cscsuite.outcomes import Granted, HarnessError, Outcome
from cscsuite.vocabulary import ALGORITHMS, Algorithm, pss_params
from cscsuite.world import Authorization, Secret

#: The algorithm of scenarios whose subject is not the algorithm (PrimeSign's usual one).
USUAL = "SHA-256 with RSA"

#: ``sign(sad=NO_SAD)``: the request carries no activation token (the scenario is about that).
NO_SAD: Any = OMIT


class SigningDriver(CredentialsDriver):
    """The full driver the steps use (fixture ``flow``)."""

    # --- credentials -----------------------------------------------------------------------------

    def credential(self) -> CredentialInfo:
        """The credential the scenario chose (set-up: it must have been read)."""
        if self.world.credential is None:
            raise HarnessError("no credential was read before it was used")
        return self.world.credential

    def certificate(self) -> bytes:
        """The credential's end-entity certificate (DER); a chain without one is the service's
        deviation (CSC1 §11.5: the chain was asked for)."""
        certs = self.credential().certificates
        expect(bool(certs), "CSC1-11.5", "credentials/info returns the certificates asked for",
               "at least the end-entity certificate", "no certificate", self.ev())
        return certs[0]

    def token_response(self) -> ApiResponse:
        """The token endpoint's answer of the current authorization (set-up: it must exist)."""
        auth = self.world.authorization
        if auth is None or auth.token_response is None:
            raise HarnessError("no token response: the authorization code was never exchanged")
        return auth.token_response

    def multisign_limit(self) -> int:
        return self.credential().multisign or 1

    # --- credential authorization ----------------------------------------------------------------

    def authorize_signing(self, *, num: int | None = None, bind: bool = True,
                          hashes: list[bytes] | None = None, attempt: bool = False,
                          **fields: Any) -> Authorization:
        """Authorize the credential the way its mode demands; the SAD lands in ``world.sad``."""
        cred = self.world.credential
        hashes = self.world.hashes if hashes is None else hashes
        count = num if num is not None else len(hashes)
        if credential_auth.mechanism(cred) == "direct":
            self.authorize_directly(count, hashes if bind else None)
            return self.world.authorization  # type: ignore[return-value]
        if cred is not None and "credential_id" not in fields and "signature_qualifier" \
                not in fields:
            fields["credential_id"] = cred.credential_id
        req = self.request("credential", num_signatures=count,
                           hashes=hashes if bind else None,
                           hash_algorithm=self.world.hash_algorithm if bind else None, **fields)
        return self.authorize_request(req, attempt=attempt)

    def authorize_request(self, req: AuthorizationRequest, *, attempt: bool = False,
                          url: str | None = None) -> Authorization:
        """Log in for a credential request and exchange the code for the SAD. With ``attempt``
        a refusal is recorded (``world.outcome``); a granted code must still yield a SAD."""
        self.world.sad = None
        if attempt:
            outcome = self.attempt(req, url=url, expected_at=AUTHORIZATION_REQUEST)
        else:
            self.login(req, url=url)
            outcome = self.world.outcome  # type: ignore[assignment]
        auth = self.world.authorization
        assert auth is not None
        if isinstance(outcome, Granted):
            self.world.sad = self.establish_tokens(auth)
            self.world.outcome = outcome
        return auth

    def authorize_directly(self, count: int, hashes: list[bytes] | None,
                           **factors: Any) -> ApiResponse:
        """credentials/authorize (implicit and explicit credentials); the answer is not judged."""
        cred = self.world.credential
        if cred is None:
            raise HarnessError("no credential was chosen before authorizing it")
        resp = credential_auth.authorize(self, cred, count, hashes, factors)
        self.world.response, self.world.outcome = resp, None
        sad = resp.field("SAD")
        self.world.sad = Secret(sad) if isinstance(sad, str) and sad else None
        self.world.authorization = Authorization(scope="credential", access_token=self.world.sad,
                                                 error=resp.error, token_response=resp)
        return resp

    def activation_token(self) -> Secret:
        """The SAD the scenario established; its absence is the suite's failure, not the
        service's, and must never turn into a request without one."""
        if self.world.sad:
            return self.world.sad
        last = self.world.outcome
        why = describe(last) if last is not None else "no credential authorization ran"
        raise HarnessError(f"there is no activation token to present ({why})")

    # --- signing ---------------------------------------------------------------------------------

    def usual_algorithm(self) -> str:
        """What a scenario that is not about algorithms signs with: SHA-256 with RSA where the
        credential's ``key/algo`` offers it (or names nothing), else an algorithm of its key, so
        an EC-only provider is judged on the rule, not refused for the algorithm."""
        cred = self.credential()
        if not cred.key_algos or ALGORITHMS[USUAL].oid in cred.key_algos:
            return USUAL
        return credential_auth.signing_algorithm(cred, self.world.hash_algorithm)

    def other_credential(self) -> tuple[str, str]:
        """Another usable credential of the signer than the scenario's, found by discovery, and
        an algorithm it offers for the scenario's hashes, so its signHash can be refused for
        the activation token only [CSC1 §11.9]. The same key family as the scenario's first;
        a signer with one usable credential skips with what discovery found."""
        mine = self.credential()
        found = self.discovered_credentials()
        others = [f for f in found.facts if f.usable and f.credential_id != mine.credential_id]
        if not others:
            self.refusal_fails(found)
            pytest.skip(f"target lacks capability 'second_credential' for {self.api.version}: "
                        f"the signer has one usable credential ({found.found()})")
        family = "ec" if credential_auth.ec_key(mine) else "rsa"
        other = min(others, key=lambda f: (f.key_type != family, plainness(f)))
        usual = ALGORITHMS[USUAL].oid
        algo = USUAL if not other.sign_algorithms or usual in other.sign_algorithms \
            else credential_auth.key_algorithm(other.sign_algorithms, self.world.hash_algorithm)
        self.world.evidence.fact("other credential", other.describe())
        return other.credential_id, algo

    def separate_hash_algorithm(self) -> str:
        """A signature algorithm the credential's ``key/algo`` offers that implies no hash, so
        signHash must name the hash algorithm [CSC1 §11.9]: RSA or plain ECDSA with a separate
        hash. Skips when it offers none: sending another would be refused for the algorithm."""
        cred = self.credential()
        families = ("ecdsa", "plain_ecdsa") if credential_auth.ec_key(cred) else ("rsa",)
        names = [name for name, a in ALGORITHMS.items() if a.send_hash and (
            a.oid in cred.key_algos if cred.key_algos else a.family in families)]
        if not names:
            pytest.skip(f"the credential's key/algo offers no signature algorithm that leaves "
                        f"the hash algorithm to be named ({', '.join(cred.key_algos)})")
        return names[0]

    def foreign_algorithm(self) -> str:
        """A signature algorithm of the other key family than the credential's [CSC1 §11.9]."""
        return USUAL if credential_auth.ec_key(self.credential()) else "ECDSA with SHA-256"

    def sign(self, algorithm: str | Algorithm, *, hashes: list[bytes] | None = None,
             credential_id: str | None = None, sad: Any = "world", sad_in_header: bool = False,
             overrides: dict[str, Any] | None = None, client_data: str | None = None,
             token: Any = "world", params: bytes | None = None) -> ApiResponse:
        """signHash with the scenario's SAD (``sad="world"``), another value, or ``NO_SAD``;
        ``params`` are the signAlgoParams (by default the PSS parameters of the algorithm)."""
        algo = ALGORITHMS[algorithm] if isinstance(algorithm, str) else algorithm
        hashes = self.world.hashes if hashes is None else hashes
        cred_id = credential_id or (self.world.credential.credential_id
                                    if self.world.credential is not None else None)
        if cred_id is None:
            raise HarnessError("no credential was chosen before signing")
        overrides = dict(overrides or {})
        if sad is NO_SAD:
            overrides["sad"], sad = OMIT, None
        elif sad == "world":
            sad = self.activation_token()
        if params is None and algo.pss_hash:
            params = pss_params(algo.pss_hash)
        self.world.sign_algorithm, self.world.sign_algorithm_params = algo.oid, params
        req = SignRequest(
            credential_id=cred_id, hashes=list(hashes), sign_algorithm=algo.oid,
            hash_algorithm=self.world.hash_algorithm if algo.send_hash else None,
            sign_algorithm_params=params, sad=sad, sad_in_header=sad_in_header,
            overrides=overrides, client_data=client_data or self.world.notes.get("client_data"))
        resp = self.api.sign_hashes(self.world.service_token if token == "world" else token, req)
        self.world.response, self.world.outcome = resp, None
        self.world.signings.append(response_outcome(resp, "signHash", self.ev(resp)))
        self.world.signatures = self.api.parse_signatures(resp) if resp.status == 200 else []
        self.world.notes["algorithm"] = algo
        return resp

    def sign_algorithm(self) -> str:
        """The OID the last signing used (set-up: a signing must have run)."""
        if not self.world.sign_algorithm:
            raise HarnessError("no signing ran before its signatures were judged")
        return self.world.sign_algorithm

    def sign_again(self, algorithm: str) -> ApiResponse:
        """Sign once more with the same SAD; the first signing must have worked, or "used up"
        is not what the second answer can show."""
        first: Outcome | None = self.world.signings[-1] if self.world.signings else None
        if not isinstance(first, Granted):
            why = describe(first) if first is not None else "it never ran"
            raise HarnessError(f"the first signing with the activation token did not work: "
                               f"{why}", self.ev())
        return self.sign(algorithm)
