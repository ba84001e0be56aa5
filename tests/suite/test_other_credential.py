"""id_signhash_006's other credential: found by discovery, same key family first, an algorithm
it offers for the scenario's hashes; a signer with one usable credential skips with the reason."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from cscsuite.adapters.base import CredentialInfo
from cscsuite.credential_discovery import CredentialFacts, Discovery
from cscsuite.driver_signing import SigningDriver

SHA256 = "2.16.840.1.101.3.4.2.1"
RSA_ALGOS = ("1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11")
EC_ALGOS = ("1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3")


def _facts(cid: str, algos: tuple[str, ...], key: str, status: str = "valid") -> CredentialFacts:
    return CredentialFacts(cid, key_type=key, key_status="enabled", cert_status=status,
                           sign_algorithms=algos)


def _other(mine: str, algos: tuple[str, ...], found: list[CredentialFacts]) -> tuple[str, str]:
    facts: dict[str, str] = {}
    cred = CredentialInfo(mine, "enabled", algos, None, None, "valid", (), {}, "oauth2code",
                          "1", 1, None)
    stub: Any = SimpleNamespace(
        credential=lambda: cred, api=SimpleNamespace(version="v1"),
        discovered_credentials=lambda: Discovery("v1", "signer", tuple(found)),
        refusal_fails=lambda found: None,
        world=SimpleNamespace(hash_algorithm=SHA256,
                              evidence=SimpleNamespace(fact=facts.__setitem__)))
    chosen = SigningDriver.other_credential(stub)
    assert facts["other credential"].startswith(chosen[0])
    return chosen


def test_another_usable_credential_of_the_same_key_family_is_chosen() -> None:
    found = [_facts("rsa2048", RSA_ALGOS, "rsa"), _facts("p256", EC_ALGOS, "ec"),
             _facts("revoked", RSA_ALGOS, "rsa", "revoked"), _facts("rsa3072", RSA_ALGOS, "rsa")]
    assert _other("rsa2048", RSA_ALGOS, found) == ("rsa3072", "SHA-256 with RSA")


def test_an_ec_credential_signs_with_an_algorithm_of_its_own_key() -> None:
    found = [_facts("p256", EC_ALGOS, "ec"), _facts("p384", EC_ALGOS, "ec")]
    assert _other("p256", EC_ALGOS, found) == ("p384", "ECDSA with SHA-256")


def test_another_family_serves_when_the_signer_has_no_other_of_the_same() -> None:
    found = [_facts("rsa2048", RSA_ALGOS, "rsa"), _facts("p256", EC_ALGOS, "ec")]
    assert _other("rsa2048", RSA_ALGOS, found) == ("p256", "ECDSA with SHA-256")


def test_a_signer_with_one_usable_credential_skips_naming_the_capability() -> None:
    found = [_facts("rsa2048", RSA_ALGOS, "rsa"), _facts("gone", RSA_ALGOS, "rsa", "expired")]
    with pytest.raises(pytest.skip.Exception, match=r"second_credential.*one usable credential"):
        _other("rsa2048", RSA_ALGOS, found)
