"""Which credential signs which pairs of the matrix, at the fewest credential authorizations.

Each authorization may cost a browser login (``oauth2code``) and covers at most ``multisign``
signatures, so signing every pair with every credential would cost hundreds of logins on a
target with many credentials. The plan keeps the coverage that differs and drops the repeats:

1. Every distinct ``key/algo`` list is signed in full (every pair) by the credential that is
   cheapest to authorize: ``credentials/authorize`` before OAuth, implicit before explicit, the
   largest ``multisign`` first.
2. Every other key (RSA modulus size, EC curve) signs one pair per signature scheme of its list
   (an EC key with the hash of its strength, P-384 with SHA-384): what changes with the key
   (modulus length, PSS salt limit, field size of plain ECDSA) is seen once per scheme.
3. A credential with the key and the list of one already planned adds nothing; the report names
   the credential that stood for it.

A profile's ``[run] sign_matrix = "full"`` drops rules 2 and 3: every usable credential signs
every pair (a nightly run's choice: on the sandbox 108 pairs and 60 authorizations per version,
about a minute each on a loaded 2-core machine, against 28 pairs and 16 authorizations).

Only usable credentials (enabled key, valid certificate) are planned: signing with the others is
refused by design and has its own scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cscsuite.credential_discovery import CredentialFacts
from cscsuite.crypto import oids
from cscsuite.sign_matrix import Pair, Unverifiable, batches, derive_pairs, one_per_scheme

FULL = "every pair"
PER_SCHEME = "one pair per signature scheme"


@dataclass(frozen=True)
class Planned:
    """One credential with the pairs it signs and why these."""

    facts: CredentialFacts
    pairs: tuple[Pair, ...]
    coverage: str  # FULL or PER_SCHEME
    unverifiable: tuple[Unverifiable, ...] = ()

    def batches(self) -> list[list[Pair]]:
        return batches(self.pairs, self.facts.multisign)


@dataclass(frozen=True)
class Plan:
    """The credentials to sign with, and those another one stood for."""

    planned: tuple[Planned, ...]
    represented: dict[str, str] = field(default_factory=dict)  # credential -> who stood for it

    @property
    def pair_count(self) -> int:
        return sum(len(p.pairs) for p in self.planned)

    @property
    def authorizations(self) -> int:
        return sum(len(p.batches()) for p in self.planned)


def authorization_cost(f: CredentialFacts) -> tuple[bool, bool, int, str]:
    """Sort key, cheapest first: direct authorization, no factors, most signatures per grant."""
    return (f.auth_mode not in ("implicit", "explicit"), f.auth_mode == "explicit",
            -f.multisign, f.credential_id)


def key_shape(f: CredentialFacts) -> tuple[str | None, int | None, str | None]:
    return f.key_type, f.key_size, f.curve


def plan(credentials: Sequence[CredentialFacts], hashes: Sequence[str],
         published_pss: Sequence[bytes] = (), *, full: bool = False) -> Plan:
    """The plan over the usable ``credentials`` (see the module docstring for the rules);
    ``full`` signs every pair with every one of them (profile ``[run] sign_matrix = "full"``)."""
    lists: set[frozenset[str]] = set()
    shapes: dict[tuple[str | None, int | None, str | None, frozenset[str]], str] = {}
    planned: list[Planned] = []
    represented: dict[str, str] = {}
    for f in sorted((c for c in credentials if c.usable), key=authorization_cost):
        algos = frozenset(f.sign_algorithms)
        shape = (*key_shape(f), algos)
        if shape in shapes and not full:
            represented[f.credential_id] = shapes[shape]
            continue
        pairs, unverifiable = derive_pairs(f.sign_algorithms, hashes, key_bits(f), published_pss)
        coverage = FULL if full or algos not in lists else PER_SCHEME
        chosen = pairs if coverage == FULL else one_per_scheme(pairs, curve_hash(f))
        planned.append(Planned(f, tuple(chosen), coverage, tuple(unverifiable)))
        lists.add(algos)
        shapes[shape] = f.credential_id
    return Plan(tuple(planned), represented)


#: The hash of an EC key's strength (FIPS 186-5 / SP 800-57): what a P-384 key signs with.
_CURVE_HASH = {"P-256": oids.SHA256, "P-384": oids.SHA384, "P-521": oids.SHA512}


def curve_hash(f: CredentialFacts) -> str | None:
    """The hash of an EC key's strength (None for RSA or an unknown curve)."""
    return _CURVE_HASH.get(f.curve) if f.curve else None


def key_bits(f: CredentialFacts) -> int | None:
    """The RSA modulus size (the PSS salt limit depends on it); None for other keys."""
    return f.key_size if f.key_type == "rsa" else None
