"""cucumber.json for test-management tools (Xray, the Jenkins cucumber plugin).

Built from our records plus the parsed feature files, which closes pytest-bdd's gaps: example-table
tags become scenario tags, datatables and docstrings are emitted, ``match.location`` names the step
function. Durations are nanoseconds, as the Cucumber JSON format defines them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from cscsuite.reporting.features import DocFeature, DocScenario
from cscsuite.reporting.model import ScenarioResult

_STATUS = {"passed": "passed", "failed": "failed", "undefined": "undefined", "skipped": "skipped"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _tags(names: list[str], line: int) -> list[dict[str, Any]]:
    return [{"name": "@" + n, "line": line} for n in sorted(set(names))]


def _doc_scenario(doc: DocFeature | None, line: int) -> DocScenario | None:
    if doc is None:
        return None
    return next((s for s in doc.scenarios if s.line == line), None)


def _step(step: Any, doc_sc: DocScenario | None, doc: DocFeature | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "keyword": step.keyword + " ", "name": step.name, "line": step.line,
        "match": {"location": step.location},
        "result": {"status": _STATUS.get(step.status, "skipped"),
                   "duration": int(step.duration * 1_000_000_000)},
    }
    if step.error:
        out["result"]["error_message"] = step.error
    source = [s for s in (doc.background if doc else []) + (doc_sc.steps if doc_sc else [])
              if s.line == step.line]
    if source and source[0].datatable:
        out["rows"] = [{"cells": row} for row in source[0].datatable]
    if source and source[0].docstring is not None:
        out["doc_string"] = {"value": source[0].docstring, "line": step.line + 1}
    return out


def _steps(rec: ScenarioResult, doc_sc: DocScenario | None,
           doc: DocFeature | None) -> list[dict[str, Any]]:
    """The steps, with the scenario's verdict where no step carries it: an error before the
    first step (a harness error in set-up) fails the first step not passed, and a skipped
    scenario's first step says why it was skipped."""
    steps = [_step(s, doc_sc, doc) for s in rec.steps]
    statuses = [s["result"]["status"] for s in steps]
    if not steps:
        return steps
    if rec.outcome in ("failed", "error") and not {"failed", "undefined"} & set(statuses):
        index = next((i for i, st in enumerate(statuses) if st != "passed"), len(steps) - 1)
        steps[index]["result"].update(status="failed", error_message=rec.message or rec.outcome)
    elif rec.outcome in ("skipped", "not run") and rec.message:
        steps[0]["result"].setdefault("error_message", f"{rec.outcome}: {rec.message}")
    return steps


def render(results: list[ScenarioResult], docs: list[DocFeature]) -> list[dict[str, Any]]:
    """The Cucumber JSON document (a list of features) for the scenario records."""
    by_path = {d.path: d for d in docs}
    grouped: dict[str, list[ScenarioResult]] = defaultdict(list)
    for rec in results:
        if rec.is_scenario:
            grouped[rec.feature_file].append(rec)
    features = []
    for path, recs in sorted(grouped.items()):
        doc = by_path.get(path)
        feature_id = _slug(recs[0].feature_name)
        elements = []
        for rec in sorted(recs, key=lambda r: (r.scenario_line, r.nodeid)):
            doc_sc = _doc_scenario(doc, rec.scenario_line)
            tags = list(rec.tags) + (doc_sc.example_tags(rec.example) if doc_sc else [])
            elements.append({
                "id": f"{feature_id};{_slug(rec.nodeid.split('::')[-1])}",
                "keyword": doc_sc.keyword if doc_sc else "Scenario",
                "name": rec.display_name, "line": rec.scenario_line, "description": "",
                "type": "scenario", "tags": _tags(tags, max(rec.scenario_line - 1, 1)),
                "steps": _steps(rec, doc_sc, doc),
            })
        features.append({
            "id": feature_id, "uri": path, "keyword": doc.keyword if doc else "Feature",
            "name": recs[0].feature_name, "line": doc.line if doc else 1,
            "description": doc.description if doc else "",
            "tags": _tags(doc.tags if doc else [], max((doc.line if doc else 2) - 1, 1)),
            "elements": elements,
        })
    return features
