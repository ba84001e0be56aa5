"""junit.xml for CI gates: one testcase per scenario instance, with documentation properties.

Written from our own records (not pytest's ``--junitxml``) so that test names are scenario names,
every text is redacted, and the file can be rewritten at checkpoints of an interrupted run.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

from cscsuite import tags as tagmod
from cscsuite.reporting.model import ScenarioResult

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: object) -> str:
    return _ILLEGAL.sub("?", str(value))


def testcase_name(rec: ScenarioResult) -> str:
    name = rec.display_name
    if rec.example:
        name += " (" + ", ".join(f"{k}={v}" for k, v in rec.example.items()) + ")"
    return name


def _properties(parent: ET.Element, props: list[tuple[str, str]]) -> None:
    el = ET.SubElement(parent, "properties")
    for name, value in props:
        ET.SubElement(el, "property", name=_text(name), value=_text(value))


def _testcase(suite: ET.Element, rec: ScenarioResult) -> None:
    case = ET.SubElement(suite, "testcase", classname=_text(rec.feature_name or
                                                             rec.nodeid.split("::")[0]),
                         name=_text(testcase_name(rec)), time=f"{rec.duration:.3f}")
    if rec.feature_file:
        case.set("file", rec.feature_file)
        case.set("line", str(rec.scenario_line))
    props = [("nodeid", rec.nodeid), ("scenario", rec.scenario_name),
             ("feature", rec.feature_name), ("api_version", rec.api_version),
             ("target", rec.target),
             ("stable_id", rec.stable_id), ("area", rec.area), ("tags", " ".join(rec.tags)),
             ("spec_clauses", " ".join(c.label for c in tagmod.clauses_of(rec.tags))),
             ("outcome", rec.outcome)]
    if rec.evidence_dir:
        props.append(("evidence", rec.evidence_dir))
    props += [(label, value) for label, value in rec.facts.items()]
    props += [("finding", f"[{f.clause}] {f.requirement}") for f in rec.findings]
    _properties(case, [(k, v) for k, v in props if v])
    detail = _text(rec.details or rec.message)
    if rec.outcome == "failed":
        ET.SubElement(case, "failure", message=_text(rec.message)).text = detail
    elif rec.outcome in ("error", "xpassed"):
        ET.SubElement(case, "error", message=_text(rec.message)).text = detail
    elif rec.outcome in ("skipped", "xfailed", "not run"):
        ET.SubElement(case, "skipped", message=_text(rec.message or rec.outcome))
    steps = "\n".join(f"{s.status:>9}  {s.keyword} {s.name}" for s in rec.steps)
    if steps:
        ET.SubElement(case, "system-out").text = _text(steps)


def _counts(recs: list[ScenarioResult]) -> dict[str, str]:
    return {
        "tests": str(len(recs)),
        "failures": str(sum(r.outcome == "failed" for r in recs)),
        "errors": str(sum(r.outcome in ("error", "xpassed") for r in recs)),
        "skipped": str(sum(r.outcome in ("skipped", "xfailed", "not run") for r in recs)),
        "time": f"{sum(r.duration for r in recs):.3f}",
    }


def render(results: list[ScenarioResult], run: dict[str, Any]) -> str:
    """The complete junit.xml text; one testsuite per feature file (plain tests grouped apart)."""
    groups: dict[str, list[ScenarioResult]] = defaultdict(list)
    for rec in sorted(results, key=lambda r: (r.feature_file, r.scenario_line, r.nodeid)):
        groups[rec.feature_file or "(plain tests)"].append(rec)
    root = ET.Element("testsuites", {"name": "cscsuite", **_counts(results)})
    for name, recs in groups.items():
        suite = ET.SubElement(root, "testsuite", {"name": _text(name), **_counts(recs)})
        if run.get("started_at"):
            suite.set("timestamp", str(run["started_at"]))
        _properties(suite, [(k, str(v)) for k, v in sorted(run.items())
                            if isinstance(v, str | int | float) and v != ""])
        for rec in recs:
            _testcase(suite, rec)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
