"""The Gherkin tag vocabulary: the one definition of every tag, its markers and its meaning.

Fixed tags (areas and flags) are registered by name. Open families are validated by pattern:
spec clauses (``@csc1_11_9``, ``@rfc9126_2_2``, ``@etsi319412_5``), PrimeSign sources
(``@ps_live``), stable ids (``@id_signhash_007``, the area must be a known one) and capability
gates (``@needs_par``, the capability must be one of ``cscsuite.capabilities.CAPABILITIES``). A
tag in a feature file that fits neither is left unregistered, so the run fails with pytest's "not
found in markers" error naming it; a misspelt ``@needs_`` tag is a collection error of its own
(``check_needs_tag``). The reports read clauses, areas and stable ids from here too.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
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

#: What a QA engineer calls each area (the report's headings).
AREA_TITLES: dict[str, str] = {
    "discovery": "Service discovery",
    "credentials": "Credentials",
    "service_auth": "Service authorization",
    "credential_auth": "Credential authorization",
    "rar": "Rich authorization requests",
    "par": "Pushed authorization requests",
    "token": "Token endpoint",
    "signhash": "Signing hashes",
    "verification": "Signature verification",
    "account_token": "Account tokens",
    "revoke": "Token revocation",
    "client_data": "Client data",
    "login": "Browser login",
    "errors": "Error responses",
    "document": "Signed documents",
}

#: Flag tags with a fixed meaning.
FLAGS: dict[str, str] = {
    "should": "a SHOULD requirement: a violation is a finding, fatal only with --csc-strict",
    "v1_only": "the capability exists in CSC API v1 only",
    "v2_only": "the capability exists in CSC API v2 only",
    "browser": "a real browser login happens in this scenario",
    "waits": "the scenario waits out a lifetime the target states (seconds of idle time)",
}

CLAUSE_RE = re.compile(r"^(csc[12]|rfc\d{3,5}|etsi\d{6}|x962)(_\d+)+$")
PS_RE = re.compile(r"^ps_(live|web|kc|seed)$")
ID_RE = re.compile(r"^id_(?P<area>[a-z_]+?)_(?P<num>\d{3})$")
NEEDS_RE = re.compile(r"^needs_(?P<name>[a-z0-9_]+)$")

_PRIMESIGN = {"live": "observed on the live test system", "web": "PrimeSign web page",
              "kc": "PrimeSign's Keycloak fork", "seed": "project brief (seed)"}
_DOCUMENTS = {"csc1": "CSC API v1.0.4.0", "csc2": "CSC API v2.x", "x962": "ANSI X9.62"}


@cache
def capability_names() -> frozenset[str]:
    """The capabilities a ``@needs_<name>`` tag may name (imported late: a heavier module)."""
    from cscsuite.capabilities import CAPABILITIES

    return frozenset(CAPABILITIES)


def clean(tag: str) -> str:
    return tag[1:] if tag.startswith("@") else tag


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
    needs = NEEDS_RE.match(tag)
    if needs:
        return "needs" if needs.group("name") in capability_names() else None
    return None


def describe(tag: str) -> str:
    """The marker description pytest shows in ``--markers``."""
    known = {**AREAS, **FLAGS}
    if tag in known:
        return known[tag]
    return {"clause": "specification clause", "id": "stable scenario id",
            "needs": "runs only when the target offers this capability"}.get(kind(tag) or "", "")


# -- feature files and markers ----------------------------------------------------------------


def feature_tags(features_dir: Path) -> set[str]:
    """Every tag used in the feature files under ``features_dir`` (without the ``@``)."""
    return set(tag_locations(features_dir))


def tag_locations(features_dir: Path) -> dict[str, list[Path]]:
    """Every tag used under ``features_dir`` with the feature files that use it."""
    found: dict[str, list[Path]] = {}
    for path in sorted(features_dir.rglob("*.feature")):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("@"):
                for tag in (t.lstrip("@") for t in stripped.split() if t.startswith("@")):
                    if path not in found.setdefault(tag, []):
                        found[tag].append(path)
    return found


_REGISTERED: weakref.WeakSet[Any] = weakref.WeakSet()


def register_markers(config: Any, features_dir: Path | None = None) -> list[str]:
    """Register every allowed tag as a marker (once per config); returns the refused tags."""
    base = features_dir or features_dir_of(config)
    used = feature_tags(base) if base.is_dir() else set()
    allowed = set(AREAS) | set(FLAGS) | {f"needs_{n}" for n in capability_names()}
    allowed |= {t for t in used if kind(t)}
    if features_dir is not None or config not in _REGISTERED:
        for tag in sorted(allowed):
            config.addinivalue_line("markers", f"{tag}: {describe(tag)}")
        _REGISTERED.add(config)
    return sorted(used - allowed)


def features_dir_of(config: Any) -> Path:
    """The feature files' directory: ``bdd_features_base_dir`` or ``<rootdir>/features``."""
    root = Path(str(getattr(config, "rootpath", ".")))
    try:
        base = config.getini("bdd_features_base_dir") or ""
    except (ValueError, KeyError):
        base = ""
    candidate = root / base if base else root / "features"
    return candidate if candidate.name == "features" or not (root / "features").is_dir() \
        else root / "features"


class UnknownCapabilityTag(Exception):
    """A ``@needs_<name>`` tag names no known capability (a typo would silently skip)."""


def check_needs_tag(tag: str, features_dir: Path, root: Path | None = None) -> None:
    """Raise ``UnknownCapabilityTag`` naming the tag, its feature files and the known names."""
    needs = NEEDS_RE.match(clean(tag))
    if needs is None or needs.group("name") in capability_names():
        return
    files = tag_locations(features_dir).get(clean(tag), []) if features_dir.is_dir() else []
    where = ", ".join(_shown(p, root) for p in files) or "a feature file"
    raise UnknownCapabilityTag(
        f"unknown capability tag @{clean(tag)} in {where}: known capabilities are "
        f"{', '.join(sorted(capability_names()))} (cscsuite/capabilities.py)")


def _shown(path: Path, root: Path | None) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() if root else str(path)
    except ValueError:
        return str(path)


# -- what a tag means in the reports ----------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """A spec clause cited by a tag: a label such as ``RFC 9126 §2.2`` and where to read it."""

    tag: str
    label: str
    document: str
    section: str
    url: str  # external link for RFCs, in-page anchor for the rest

    @property
    def anchor(self) -> str:
        return "clause-" + self.tag.lower().replace("_", "-")


def clause_of(tag: str) -> Clause | None:
    """The clause a tag cites, or None when the tag is not a clause tag."""
    tag = clean(tag)
    anchor = "#clause-" + tag.lower().replace("_", "-")
    if PS_RE.match(tag):
        source = _PRIMESIGN[tag[3:]]
        return Clause(tag, f"PrimeSign: {source}", "PrimeSign", source, anchor)
    if not CLAUSE_RE.match(tag):
        return None
    head, *nums = tag.split("_")
    section = ".".join(nums)
    if head.startswith("rfc"):
        document = f"RFC {head[3:]}"
        url = f"https://www.rfc-editor.org/rfc/{head}#section-{section}"
        return Clause(tag, f"{document} §{section}", document, section, url)
    if head.startswith("etsi"):
        document = prefix = f"ETSI {head[4:7]} {head[7:]}"
    else:
        document, prefix = _DOCUMENTS[head], head.upper()
    return Clause(tag, f"{prefix} §{section}", document, section, anchor)


def clauses_of(tags: Iterable[str]) -> list[Clause]:
    found = [c for c in (clause_of(t) for t in tags) if c is not None]
    return sorted(found, key=lambda c: c.tag)


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


def stable_id_of(tags: Iterable[str]) -> str:
    return next((clean(t) for t in tags if ID_RE.match(clean(t))), "")


def area_of(tags: Iterable[str]) -> str:
    """The scenario's area: its area tag, else the area its stable id names, else ""."""
    names = sorted(clean(t) for t in tags)
    found = next((t for t in names if t in AREAS), None)
    if found is None:
        found = next((m.group("area") for m in map(ID_RE.match, names) if m), "")
    return found


def area_title(area: str) -> str:
    """The business name of an area (``signhash`` -> "Signing hashes")."""
    return AREA_TITLES.get(area, area.replace("_", " ").capitalize() if area else "")


# -- what a scenario's tags say about its logins ------------------------------------------------

#: Areas whose subject is a login or an authorization: every such scenario logs in for the
#: login or authorization under test, never with a shared token in its place.
LOGIN_AREAS = frozenset({"login", "service_auth", "credential_auth", "rar", "par",
                         "account_token", "revoke", "token"})
#: Areas whose subject is the service access token itself (how it is granted, exchanged,
#: refreshed or revoked): a service token such a scenario needs is its own, never a shared one.
#: The others use a service token only to reach the API (credential, PAR and RAR scenarios read
#: the credential with it and log in for their own credential authorization).
OWN_SERVICE_TOKEN_AREAS = frozenset({"login", "service_auth", "token", "account_token",
                                     "revoke"})


def about_login(tags: Iterable[str]) -> bool:
    """Whether a scenario's subject is a login or an authorization: its area says so, or it is
    tagged ``@browser`` (the signer authorizes in it, e.g. the hashes a signing binds)."""
    names = {clean(t) for t in tags}
    return area_of(names) in LOGIN_AREAS or "browser" in names


def shares_service_token(tags: Iterable[str]) -> bool:
    """Whether a scenario may use the worker's shared service token (one login per identity,
    client and scope) instead of logging in for one of its own."""
    return area_of(tags) not in OWN_SERVICE_TOKEN_AREAS
