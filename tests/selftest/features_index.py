"""The scenarios in ``features/*.feature``, indexed by stable id (``@id_<area>_<nnn>``), read with
the official Gherkin parser (the one pytest-bdd uses), so expectations are checked against the
features as pytest-bdd sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from gherkin.parser import Parser

from selftest.processes import REPO_ROOT

FEATURES_DIR = REPO_ROOT / "features"
STABLE_ID = re.compile(r"^id_[a-z0-9_]+_\d+$")


@dataclass(frozen=True)
class ScenarioEntry:
    stable_id: str
    name: str
    feature: str  # file name
    tags: frozenset[str]  # without "@", feature + rule + scenario + examples tags


def _names(node: dict[str, Any]) -> set[str]:
    return {t["name"].lstrip("@") for t in node.get("tags", [])}


def _scenarios(children: list[dict[str, Any]], inherited: set[str], feature: str,
               ) -> list[ScenarioEntry]:
    found: list[ScenarioEntry] = []
    for child in children:
        if "rule" in child:
            rule = child["rule"]
            found += _scenarios(rule.get("children", []), inherited | _names(rule), feature)
        elif "scenario" in child:
            sc = child["scenario"]
            tags = inherited | _names(sc)
            for examples in sc.get("examples", []):
                tags |= _names(examples)
            for sid in sorted(t for t in tags if STABLE_ID.match(t)):
                found.append(ScenarioEntry(sid, sc.get("name", ""), feature, frozenset(tags)))
    return found


def index(features_dir: Path = FEATURES_DIR) -> dict[str, ScenarioEntry]:
    """Stable id -> scenario. A duplicated id is an error in the features, reported loudly."""
    by_id: dict[str, ScenarioEntry] = {}
    for path in sorted(features_dir.glob("*.feature")):
        doc = cast(dict[str, Any], Parser().parse(path.read_text(encoding="utf-8")))
        feature = doc.get("feature") or {}
        for entry in _scenarios(feature.get("children", []), _names(feature), path.name):
            if entry.stable_id in by_id:
                other = by_id[entry.stable_id]
                raise ValueError(f"stable id {entry.stable_id} used twice: {other.feature} "
                                 f"and {entry.feature}")
            by_id[entry.stable_id] = entry
    return by_id
