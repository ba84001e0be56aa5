"""id_signhash_009's "an algorithm without the hash algorithm it needs": an algorithm the
credential's own key/algo offers that implies no hash, so the refusal can only be for the missing
hash algorithm [CSC1 §11.9]; a credential offering none skips instead of being refused for the
algorithm."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from cscsuite.adapters.base import CredentialInfo
from cscsuite.driver_signing import SigningDriver
from cscsuite.vocabulary import ALGORITHMS

RSA_ALGOS = ("1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1")
EC_ALGOS = ("1.2.840.10045.4.3.2", "0.4.0.127.0.7.1.1.4.1.3", "0.4.0.127.0.7.1.1.4.1")


def _chosen(algos: tuple[str, ...]) -> str:
    cred = CredentialInfo("c", "enabled", algos, None, None, "valid", (), {}, "implicit", "1", 1,
                          None)
    stub: Any = SimpleNamespace(credential=lambda: cred)
    return SigningDriver.separate_hash_algorithm(stub)


@pytest.mark.parametrize("algos", [RSA_ALGOS, EC_ALGOS], ids=["RSA", "EC"])
def test_the_algorithm_is_one_the_key_offers_and_implies_no_hash(algos: tuple[str, ...]) -> None:
    algorithm = ALGORITHMS[_chosen(algos)]
    assert algorithm.oid in algos and algorithm.send_hash


def test_a_key_offering_only_algorithms_with_a_hash_skips_with_the_reason() -> None:
    with pytest.raises(pytest.skip.Exception, match="offers no signature algorithm that leaves"):
        _chosen(("1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3"))
