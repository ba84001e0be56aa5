"""What the suite's Gherkin tags mean: area, stable id, spec clauses and their links.

Tag conventions (docs/architecture.md): an area tag (``@signhash``), clause tags (``@csc1_11_9``,
``@rfc9126_2_2``), a stable id (``@id_signhash_007``), ``@should``, ``@v1_only``/``@v2_only``,
``@browser`` and ``@needs_<capability>``. Tags arrive here without the ``@``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cscsuite.tags import AREAS

_CLAUSE = re.compile(r"^(csc1|csc2|x962|etsi\d{6}|rfc(\d{3,5}))_([0-9a-z_]+)$", re.IGNORECASE)
_PRIMESIGN = {"ps_live": "observed on the live test system", "ps_web": "PrimeSign web page",
              "ps_kc": "PrimeSign's Keycloak fork", "ps_seed": "project brief (seed)"}
_STABLE_ID = re.compile(r"^id_([a-z0-9]+(?:_[a-z0-9]+)*?)_(\d+)$", re.IGNORECASE)
_MARKERS = {"should", "v1_only", "v2_only", "browser", "slow", "wip"}
_DOCUMENTS = {"csc1": "CSC API v1.0.4.0", "csc2": "CSC API v2.x", "x962": "ANSI X9.62"}


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


def clean(tag: str) -> str:
    return tag[1:] if tag.startswith("@") else tag


def clause_of(tag: str) -> Clause | None:
    """The clause a tag cites, or None when the tag is not a clause tag."""
    tag = clean(tag)
    if tag.lower() in _PRIMESIGN:
        source = _PRIMESIGN[tag.lower()]
        return Clause(tag, f"PrimeSign: {source}", "PrimeSign", source,
                      "#clause-" + tag.lower().replace("_", "-"))
    match = _CLAUSE.match(tag)
    if not match:
        return None
    doc_key, rfc_no, rest = match.group(1).lower(), match.group(2), match.group(3)
    section = ".".join(p for p in rest.split("_") if p)
    if rfc_no:
        document = f"RFC {rfc_no}"
        url = f"https://www.rfc-editor.org/rfc/rfc{rfc_no}#section-{section}"
        return Clause(tag, f"{document} §{section}", document, section, url)
    if doc_key.startswith("etsi"):
        document = prefix = f"ETSI {doc_key[4:7]} {doc_key[7:]}"
    else:
        document, prefix = _DOCUMENTS[doc_key], doc_key.upper()
    anchor = "#clause-" + tag.lower().replace("_", "-")
    return Clause(tag, f"{prefix} §{section}", document, section, anchor)


def clauses_of(tags: Iterable[str]) -> list[Clause]:
    found = [c for c in (clause_of(t) for t in tags) if c is not None]
    return sorted(found, key=lambda c: c.tag)


def stable_id_of(tags: Iterable[str]) -> str:
    for tag in tags:
        tag = clean(tag)
        if _STABLE_ID.match(tag):
            return tag
    return ""


def area_of(tags: Iterable[str]) -> str:
    """The scenario's area: its area tag, else its stable id (``id_<area>_<nnn>``), else the first
    plain tag."""
    tags = sorted(clean(t) for t in tags)
    for tag in tags:
        if tag in AREAS:
            return tag
    for tag in tags:
        match = _STABLE_ID.match(tag)
        if match:
            return match.group(1)
    for tag in tags:
        if is_plain(tag):
            return tag
    return ""


def is_plain(tag: str) -> bool:
    """A tag that is none of the structured kinds (clause, id, marker, capability, example)."""
    tag = clean(tag)
    return not (
        clause_of(tag)
        or _STABLE_ID.match(tag)
        or tag in _MARKERS
        or tag.startswith("needs_")
        or tag in ("v1", "v2")
    )
