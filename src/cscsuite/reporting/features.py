"""The feature files as documentation: parsed with the official Gherkin parser (gherkin-official).

The page renders every feature from its source, so a feature that did not run (deselected,
filtered by version, or before its steps exist) still documents the expected behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gherkin.parser import Parser
from gherkin.token_scanner import TokenScanner


@dataclass
class DocStep:
    keyword: str
    text: str
    line: int
    datatable: list[list[str]] = field(default_factory=list)
    docstring: str | None = None


@dataclass
class DocExamples:
    name: str
    tags: list[str]
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line, cells)


@dataclass
class DocScenario:
    keyword: str
    name: str
    line: int
    tags: list[str]
    description: str
    steps: list[DocStep]
    examples: list[DocExamples]
    rule: str = ""

    def example_tags(self, values: dict[str, str]) -> list[str]:
        """Tags of the Examples block whose row holds ``values`` (pytest-bdd drops them)."""
        for block in self.examples:
            for _, cells in block.rows:
                if dict(zip(block.header, cells, strict=False)) == values:
                    return block.tags
        return []


@dataclass
class DocFeature:
    path: str  # relative to the project root, "/" separators
    keyword: str
    name: str
    line: int
    description: str
    tags: list[str]
    background: list[DocStep]
    scenarios: list[DocScenario]
    error: str = ""


def _tags(node: dict[str, Any]) -> list[str]:
    return [t["name"].lstrip("@") for t in node.get("tags", [])]


def _step(raw: dict[str, Any]) -> DocStep:
    table = raw.get("dataTable") or {}
    rows = [[c["value"] for c in r["cells"]] for r in table.get("rows", [])]
    doc = raw.get("docString")
    return DocStep(raw["keyword"].strip(), raw["text"], raw["location"]["line"], rows,
                   doc["content"] if doc else None)


def _scenario(raw: dict[str, Any], rule: str) -> DocScenario:
    examples = []
    for block in raw.get("examples", []):
        header = [c["value"] for c in (block.get("tableHeader") or {}).get("cells", [])]
        rows = [(r["location"]["line"], [c["value"] for c in r["cells"]])
                for r in block.get("tableBody", [])]
        examples.append(DocExamples(block.get("name", ""), _tags(block), header, rows))
    return DocScenario(raw["keyword"], raw["name"], raw["location"]["line"], _tags(raw),
                       raw.get("description", "").strip(), [_step(s) for s in raw["steps"]],
                       examples, rule)


def _children(children: list[dict[str, Any]], rule: str, bg: list[DocStep],
              out: list[DocScenario]) -> None:
    for child in children:
        if "background" in child and not rule:
            bg.extend(_step(s) for s in child["background"]["steps"])
        elif "scenario" in child:
            out.append(_scenario(child["scenario"], rule))
        elif "rule" in child:
            _children(child["rule"]["children"], child["rule"]["name"] or "Rule", bg, out)


def parse_feature(path: Path, root: Path) -> DocFeature:
    """Parse one file; a syntax error becomes a feature carrying the error, never an exception."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    try:
        doc: dict[str, Any] = dict(Parser().parse(TokenScanner(path.read_text(encoding="utf-8"))))
    except Exception as exc:  # gherkin raises CompositeParserException and friends
        return DocFeature(rel, "Feature", path.stem, 1, "", [], [], [], error=str(exc))
    feat = doc.get("feature")
    if not feat:
        return DocFeature(rel, "Feature", path.stem, 1, "", [], [], [], error="empty file")
    background: list[DocStep] = []
    scenarios: list[DocScenario] = []
    _children(feat.get("children", []), "", background, scenarios)
    return DocFeature(rel, feat["keyword"], feat["name"], feat["location"]["line"],
                      feat.get("description", "").strip(), _tags(feat), background, scenarios)


def load_features(features_dir: Path, root: Path) -> list[DocFeature]:
    """Every ``*.feature`` under ``features_dir``, sorted by path."""
    if not features_dir.is_dir():
        return []
    return [parse_feature(p, root) for p in sorted(features_dir.rglob("*.feature"))]
