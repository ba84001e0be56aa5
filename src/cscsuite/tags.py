"""The Gherkin tag vocabulary, registered as pytest markers so ``--strict-markers`` catches typos.

Fixed tags (areas and flags) are registered by name. Open families are validated by pattern:
spec clauses (``@csc1_11_9``, ``@rfc9126_2_2``, ``@etsi319412_5``), PrimeSign sources
(``@ps_live``), stable ids (``@id_signhash_007``, the area must be a known one) and capability
gates (``@needs_par``). A tag in a feature file that fits neither is left unregistered, so the run
fails with pytest's "not found in markers" error naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: Area tags: one per scenario, naming the capability of the API it documents.
AREAS: dict[str, str] = {
    "discovery": "info in v1 and v2, authorization server discovery",
    "credentials": "credentials/list and credentials/info",
    "service_auth": "authorization code flow with scope service",
    "credential_auth": "credential authorization (scope credential, credentials/authorize)",
    "rar": "rich authorization requests of type credential (RFC 9396)",
    "par": "pushed authorization requests (RFC 9126)",
    "token": "token endpoint refusals",
    "signhash": "signatures/signHash and SAD rules",
    "verification": "signature and certificate verification",
    "account_token": "account_token variants (CSC1 8.3.1)",
    "revoke": "token revocation (RFC 7009 / CSC1 8.3.4)",
    "client_data": "clientData: transaction ids, amr_hint, robustness",
    "login": "browser login: password + SMS code, eID, consent",
    "errors": "error bodies, statuses, 401 for bad tokens, no 5xx",
    "document": "end to end: a PAdES signature over a real PDF validates",
}

#: Flag tags with a fixed meaning.
FLAGS: dict[str, str] = {
    "should": "a SHOULD requirement: a violation is a finding, fatal only with --strict",
    "v1_only": "the capability exists in CSC API v1 only",
    "v2_only": "the capability exists in CSC API v2 only",
    "browser": "a real browser login happens in this scenario",
}

CLAUSE_RE = re.compile(r"^(csc[12]|rfc\d{4}|etsi\d{6}|x962)(_\d+)+$")
PS_RE = re.compile(r"^ps_(live|web|kc|seed)$")
ID_RE = re.compile(r"^id_(?P<area>[a-z_]+?)_(?P<num>\d{3})$")
NEEDS_RE = re.compile(r"^needs_[a-z0-9_]+$")


def kind(tag: str) -> str | None:
    """What a tag is (area, flag, clause, id, needs), or None for a tag that is not allowed."""
    if tag in AREAS:
        return "area"
    if tag in FLAGS:
        return "flag"
    if CLAUSE_RE.match(tag) or PS_RE.match(tag):
        return "clause"
    match = ID_RE.match(tag)
    if match:
        return "id" if match.group("area") in AREAS else None
    if NEEDS_RE.match(tag):
        return "needs"
    return None


def describe(tag: str) -> str:
    """The marker description pytest shows in ``--markers``."""
    known = {**AREAS, **FLAGS}
    if tag in known:
        return known[tag]
    return {"clause": "specification clause", "id": "stable scenario id",
            "needs": "runs only when the target offers this capability"}.get(kind(tag) or "", "")


def feature_tags(features_dir: Path) -> set[str]:
    """Every tag used in the feature files under ``features_dir`` (without the ``@``)."""
    found: set[str] = set()
    for path in sorted(features_dir.rglob("*.feature")):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("@"):
                found.update(t.lstrip("@") for t in stripped.split() if t.startswith("@"))
    return found


def register_markers(config: Any, features_dir: Path | None = None) -> list[str]:
    """Register every allowed tag as a marker; returns the tags that were refused."""
    base = features_dir or _features_dir(config)
    used = feature_tags(base) if base.is_dir() else set()
    allowed = set(AREAS) | set(FLAGS) | {t for t in used if kind(t)}
    for tag in sorted(allowed):
        config.addinivalue_line("markers", f"{tag}: {describe(tag)}")
    return sorted(used - allowed)


def _features_dir(config: Any) -> Path:
    root = Path(str(getattr(config, "rootpath", ".")))
    try:
        base = config.getini("bdd_features_base_dir") or ""
    except (ValueError, KeyError):
        base = ""
    candidate = root / base if base else root / "features"
    return candidate if candidate.name == "features" or not (root / "features").is_dir() \
        else root / "features"


def clauses(tags: Iterable[str]) -> list[str]:
    """Clause tags as citations: ``csc1_11_9`` -> ``CSC1-11.9``, ``ps_kc`` -> ``PS-kc``."""
    out: list[str] = []
    for tag in tags:
        if PS_RE.match(tag):
            out.append("PS-" + tag[3:])
        elif CLAUSE_RE.match(tag):
            head, *nums = tag.split("_")
            out.append(f"{head.upper()}-{'.'.join(nums)}")
    return out


def area(tags: Iterable[str]) -> str | None:
    """The area tag among ``tags`` (the first one, there should be exactly one)."""
    return next((t for t in tags if t in AREAS), None)


def scenario_id(tags: Iterable[str]) -> str | None:
    """The stable id (``signhash_007``) among ``tags``."""
    return next((t[3:] for t in tags if ID_RE.match(t)), None)
