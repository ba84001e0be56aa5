"""The signHash matrix, derived from what the target offers [CSC1 §11.5, §11.9; CSC2 §11.10].

A fixed table of algorithms misses what a target advertises and nobody wrote down (SHA-512 with
RSA, say). Here the pairs come from the target: every OID of a credential's ``key/algo``, with
the hash it implies, or, for an algorithm that takes its hash separately (``rsaEncryption``,
``id-ecPublicKey``, the bare BSI plain-ECDSA arc) and for RSASSA-PSS, with every hash the target
supports. The target never lists its hashes (``supportedHashTypes`` says ``dtbsr``, not which
digest), so "supported" means implied by an algorithm it advertises (a credential's ``key/algo``
or v2 ``info.signAlgorithms``); with none implied, SHA-256, the one hash every CSC client uses.

RSASSA-PSS runs with the salt lengths RFC 8017 §9.1.1 allows, at the three points that differ:
the digest length (RFC 4055 §3.1, the usual choice), zero (the smallest) and the largest the key
permits (``emLen - hLen - 2``); plus, in v2, the parameters ``info.signAlgorithms.algoParams``
publishes for PSS when they are none of those. MGF1 uses the signature's hash.

An OID the suite cannot verify (an unknown algorithm, or one implying an unknown hash) is not
signed: there is nothing to judge the value against. It is kept as ``Unverifiable`` and shown in
the report, so nothing the target advertises disappears without a word.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from asn1crypto import algos

from cscsuite.crypto import oids
from cscsuite.crypto.errors import BadAlgorithmParameters
from cscsuite.crypto.signatures import parse_pss_params

#: The suite's preference order of hashes (the strongest common ones first, legacy last).
HASH_ORDER = (oids.SHA256, oids.SHA384, oids.SHA512, oids.SHA3_256, oids.SHA3_384, oids.SHA3_512,
              oids.SHA224, oids.SHA1)

HASH_LABELS = {oids.SHA1: "SHA-1", oids.SHA224: "SHA-224", oids.SHA256: "SHA-256",
               oids.SHA384: "SHA-384", oids.SHA512: "SHA-512", oids.SHA3_256: "SHA3-256",
               oids.SHA3_384: "SHA3-384", oids.SHA3_512: "SHA3-512"}

SCHEME_LABELS = {"pkcs1v15": "RSA PKCS#1 v1.5", "pss": "RSASSA-PSS", "ecdsa-der": "ECDSA",
                 "ecdsa-plain": "plain ECDSA"}


@dataclass(frozen=True)
class Pair:
    """One signature algorithm with one hash (and, for PSS, its DER parameters)."""

    sign_algorithm: str  # OID sent as signAlgo
    hash_algorithm: str  # OID of the digest (implied, separate, or the PSS parameters' hash)
    scheme: str  # oids.Scheme
    separate_hash: bool = False  # the hash OID is sent (hashAlgo / hashAlgorithmOID)
    params: bytes | None = None  # signAlgoParams (RSASSA-PSS-params)
    salt: int | None = None
    params_from_info: bool = False

    @property
    def label(self) -> str:
        text = f"{SCHEME_LABELS[self.scheme]} {HASH_LABELS.get(self.hash_algorithm, '?')}"
        if self.separate_hash:
            text += ", hash sent separately"
        if self.salt is not None:
            text += f" salt {self.salt}" + (" (info's algoParams)" if self.params_from_info
                                            else "")
        return f"{text} [{self.sign_algorithm}]"


@dataclass(frozen=True)
class Unverifiable:
    """An advertised algorithm the suite cannot judge, and why."""

    sign_algorithm: str
    reason: str

    @property
    def label(self) -> str:
        return f"{self.sign_algorithm}: {self.reason}"


def supported_hashes(advertised: Iterable[str]) -> tuple[str, ...]:
    """The hashes the advertised algorithms imply and the suite knows, in ``HASH_ORDER``;
    SHA-256 when none implies a hash."""
    implied = {algo.hash_oid for oid in advertised
               if (algo := oids.SIGN_ALGORITHMS.get(oid)) is not None and algo.hash_oid}
    found = tuple(h for h in HASH_ORDER if h in implied)
    return found or (oids.SHA256,)


def max_pss_salt(key_bits: int, hash_oid: str) -> int:
    """The largest salt RFC 8017 §9.1.1 allows: emLen - hLen - 2, emLen = ceil((modBits-1)/8)."""
    return (key_bits - 1 + 7) // 8 - oids.digest_size(hash_oid) - 2


def pss_salts(hash_oid: str, key_bits: int | None) -> list[int]:
    """Digest length, zero and the largest salt (the last only when the key size is known)."""
    salts = [oids.digest_size(hash_oid), 0]
    if key_bits:
        salts.append(max_pss_salt(key_bits, hash_oid))
    return list(dict.fromkeys(s for s in salts if s >= 0))


def pss_params(hash_oid: str, salt: int, trailer: int = 1) -> bytes:
    """DER RSASSA-PSS-params (RFC 8017 A.2.3): the hash, MGF1 with it, the salt, and the
    trailer field (1, the only one RFC 4055 §3.1 allows, is the DER default and left out)."""
    name = oids.HASHES[hash_oid][0]
    fields: dict[str, object] = {
        "hash_algorithm": {"algorithm": name},
        "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": name}},
        "salt_length": salt,
    }
    if trailer != 1:
        fields["trailer_field"] = trailer
    return algos.RSASSAPSSParams(fields).dump()


def _pss_pairs(hashes: Sequence[str], key_bits: int | None,
               published: Sequence[bytes]) -> list[Pair]:
    pairs = [Pair(oids.RSASSA_PSS, h, "pss", params=pss_params(h, salt), salt=salt)
             for h in hashes for salt in pss_salts(h, key_bits)]
    known = {(p.hash_algorithm, p.salt) for p in pairs}
    for der in published:
        try:
            parsed = parse_pss_params(der)
        except BadAlgorithmParameters:
            continue  # not usable params: discovery_* judges info; nothing to sign with here
        if parsed.hash_oid != parsed.mgf_hash_oid or (parsed.hash_oid, parsed.salt_length) \
                not in known:
            pairs.append(Pair(oids.RSASSA_PSS, parsed.hash_oid, "pss", params=der,
                              salt=parsed.salt_length, params_from_info=True))
    return pairs


def derive_pairs(key_algos: Iterable[str], hashes: Sequence[str], key_bits: int | None = None,
                 published_pss: Sequence[bytes] = ()) -> tuple[list[Pair], list[Unverifiable]]:
    """Every pair one credential's ``key/algo`` offers, and what the suite cannot verify."""
    pairs: list[Pair] = []
    unverifiable: list[Unverifiable] = []
    for oid in dict.fromkeys(key_algos):
        algo = oids.SIGN_ALGORITHMS.get(oid)
        if algo is None:
            unverifiable.append(Unverifiable(oid, "an algorithm the suite does not know"))
        elif algo.scheme == "pss":
            pairs += _pss_pairs(hashes, key_bits, published_pss)
        elif algo.hash_oid is None:
            pairs += [Pair(oid, h, algo.scheme, separate_hash=True) for h in hashes]
        elif algo.hash_oid in oids.HASHES:
            pairs.append(Pair(oid, algo.hash_oid, algo.scheme))
        else:
            unverifiable.append(Unverifiable(oid, f"implies hash {algo.hash_oid}, which the "
                                                  f"suite does not know"))
    return pairs, unverifiable


def one_per_scheme(pairs: Sequence[Pair], prefer_hash: str | None = None) -> list[Pair]:
    """One pair of each signature scheme (PKCS#1 v1.5, PSS, DER ECDSA, plain ECDSA): the first
    with ``prefer_hash`` where the scheme has one, else the first."""
    seen: dict[str, Pair] = {}
    for pair in pairs:
        if pair.scheme not in seen or (pair.hash_algorithm == prefer_hash
                                       and seen[pair.scheme].hash_algorithm != prefer_hash):
            seen[pair.scheme] = pair
    return list(seen.values())


def batches(pairs: Sequence[Pair], per_authorization: int) -> list[list[Pair]]:
    """Pairs grouped so that one credential authorization covers each group: one hash algorithm
    per group (v2 binds one ``hashAlgorithmOID``), at most ``per_authorization`` (the
    credential's ``multisign``) pairs each, in the order of the pairs."""
    size = max(per_authorization, 1)
    by_hash: dict[str, list[Pair]] = {}
    for pair in pairs:
        by_hash.setdefault(pair.hash_algorithm, []).append(pair)
    return [group[i:i + size] for group in by_hash.values() for i in range(0, len(group), size)]


def published_pss_params(sign_algorithms: Sequence[str], params: Sequence[str]) -> list[bytes]:
    """The DER parameters v2 ``info.signAlgorithms.algoParams`` publishes next to RSASSA-PSS
    (the lists run in parallel); a text that is not base64 is left to the discovery checks."""
    out: list[bytes] = []
    for algo, text in zip(sign_algorithms, params, strict=False):
        if algo == oids.RSASSA_PSS and text:
            try:
                out.append(base64.b64decode(text, validate=True))
            except ValueError:
                continue
    return out
