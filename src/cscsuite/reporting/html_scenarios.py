"""HTML for features and scenarios: Gherkin text with each step's result per scenario instance."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from cscsuite import tags as tagmod
from cscsuite.reporting.features import DocFeature, DocScenario, DocStep
from cscsuite.reporting.model import ScenarioResult, overall
from cscsuite.reporting.redaction import redact_data

STATUS_LABEL = {"passed": "passed", "failed": "failed", "error": "error", "skipped": "skipped",
                "xfailed": "known deviation", "xpassed": "unexpectedly passed",
                "not run": "not run", "undefined": "undefined"}
MAX_EVIDENCE_FILES = 40
MAX_IMAGE = 400_000  # bytes; larger screenshots are linked only


def css(status: str) -> str:
    return "st-" + status.replace(" ", "")


def badge(status: str, text: str = "") -> str:
    label = text or STATUS_LABEL.get(status, status)
    return f'<span class="badge {css(status)}">{escape(label)}</span>'


def tag_chips(names: list[str]) -> str:
    chips = []
    for name in sorted(set(names)):
        clause = tagmod.clause_of(name)
        if clause is not None:
            ext = ' target="_blank" rel="noopener"' if clause.url.startswith("http") else ""
            chips.append(f'<a class="chip clause" href="{escape(clause.url)}"{ext} '
                         f'title="@{escape(name)}">{escape(clause.label)}</a>')
        elif name.startswith("id_"):
            chips.append(f'<span class="chip sid">{escape(name)}</span>')
        elif name == "should":
            chips.append('<span class="chip should" title="SHOULD-level requirement">SHOULD</span>')
        else:
            chips.append(f'<span class="chip">@{escape(name)}</span>')
    return f'<div class="chips">{"".join(chips)}</div>' if chips else ""


def instance_label(rec: ScenarioResult) -> str:
    label = rec.instance or "run"
    if rec.example:
        label += " · " + ", ".join(f"{k}={v}" for k, v in rec.example.items())
    return label


Column = tuple[str, list[ScenarioResult]]  # header label, the instances it stands for
_STEP_RANK = ("failed", "undefined", "passed", "skipped")


def columns(sc: DocScenario, recs: list[ScenarioResult]) -> list[Column]:
    """One column per instance; an outline with several example rows gets one per API version
    (and companion that ran it; its rows' outcomes are shown in the examples table instead)."""
    if sum(len(b.rows) for b in sc.examples) <= 1:
        return [(instance_label(r), [r]) for r in recs]
    instances = sorted({r.instance for r in recs})
    return [(v or "run", [r for r in recs if r.instance == v]) for v in instances]


def _step_status(line: int, recs: list[ScenarioResult]) -> tuple[str, str]:
    """Status of one step line over the instances of a column, plus the first error text."""
    found = [s for r in recs for s in r.steps if s.line == line]
    if not found:
        return "n/a", ""
    status = min((s.status for s in found),
                 key=lambda st: _STEP_RANK.index(st) if st in _STEP_RANK else 0)
    if status == "skipped":
        ran = any(r.outcome not in ("skipped", "xfailed") for r in recs)
        status = "not run" if ran else "skipped"
    error = next((s.error for s in found if s.error), "")
    return status, error


def _step_cell(line: int, column: Column) -> str:
    label, recs = column
    status, error = _step_status(line, recs)
    if status == "n/a":
        return '<td class="res"><span class="rs muted">n/a</span></td>'
    title = f"{label}: {STATUS_LABEL.get(status, status)}" + (f" ({error})" if error else "")
    return (f'<td class="res" title="{escape(title)}"><span class="dot {css(status)}"></span>'
            f'<span class="rs">{escape(STATUS_LABEL.get(status, status))}</span></td>')


_PLACEHOLDER = re.compile(r"&lt;([^&]+?)&gt;")


def _gherkin_text(text: str) -> str:
    return _PLACEHOLDER.sub(r'<span class="ph">&lt;\1&gt;</span>', escape(text))


def _step_row(step: DocStep, cols: list[Column], background: bool) -> str:
    cells = "".join(_step_cell(step.line, c) for c in cols) or \
        '<td class="res"><span class="rs muted">not run</span></td>'
    extra = ""
    if step.datatable:
        rows = "".join("<tr>" + "".join(f"<td>{_gherkin_text(c)}</td>" for c in row) + "</tr>"
                       for row in step.datatable)
        extra += f'<table class="dt">{rows}</table>'
    if step.docstring is not None:
        extra += f'<pre class="docstring">{_gherkin_text(step.docstring)}</pre>'
    cls = "step bg" if background else "step"
    return (f'<tr class="{cls}"><td class="txt"><span class="kw">{escape(step.keyword)}</span> '
            f'{_gherkin_text(step.text)}{extra}</td>{cells}</tr>')


def _row_badges(header: list[str], cells: list[str], cols: list[Column]) -> str:
    values = dict(zip(header, cells, strict=False))
    out = []
    for _, recs in cols:
        rec = next((r for r in recs if r.example == values), None)
        out.append(f"<td>{badge(rec.outcome) if rec else badge('not run')}</td>")
    return "".join(out)


def _examples(sc: DocScenario, cols: list[Column]) -> str:
    per_row = sum(len(b.rows) for b in sc.examples) > 1 and cols
    out = []
    for block in sc.examples:
        head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
        if per_row:
            head += "".join(f'<th class="vcol">{escape(label)}</th>' for label, _ in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + (_row_badges(block.header, cells, cols) if per_row else "") + "</tr>"
            for _, cells in block.rows)
        name = f": {escape(block.name)}" if block.name else ""
        out.append(f'<div class="examples"><div class="exh">Examples{name}{tag_chips(block.tags)}'
                   f'</div><table class="dt"><tr>{head}</tr>{body}</table></div>')
    return "".join(out)


def _exchange_title(ex: Any) -> str:
    if not isinstance(ex, dict):
        return "exchange"
    req: dict[str, Any] = ex["request"] if isinstance(ex.get("request"), dict) else ex
    resp: dict[str, Any] = ex["response"] if isinstance(ex.get("response"), dict) else {}
    method = str(req.get("method", "")).upper()
    url = str(req.get("url", ""))
    status = resp.get("status", resp.get("status_code", ex.get("status", "")))
    parts = (method, url, f"→ {status}" if status != "" else "")
    return " ".join(p for p in parts if p) or "exchange"


def _thumbnail(png: Path) -> str:
    """A failed login's screenshot, inlined (the page must not load anything)."""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (f'<figure class="shot"><img alt="{escape(png.name)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{escape(png.name)}</figcaption>'
            "</figure>")


def evidence_html(rec: ScenarioResult, reports: Path) -> str:
    """Inline the (already redacted, re-redacted here) exchanges and link every attachment."""
    if not rec.evidence_dir:
        return ""
    folder = reports / rec.evidence_dir
    if not folder.is_dir():
        return ""
    where = escape(rec.evidence_dir)
    parts = [f'<div class="evidence"><div class="evh">Evidence '
             f'<a href="{where}/">{where}/</a></div>']
    exchanges_file = folder / "exchanges.json"
    if exchanges_file.is_file():
        try:
            data = json.loads(exchanges_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        items = data.get("exchanges", data) if isinstance(data, dict) else data
        if isinstance(items, list):
            for ex in redact_data(items):
                body = escape(json.dumps(ex, indent=2, ensure_ascii=False))
                parts.append(f'<details class="ex"><summary>{escape(_exchange_title(ex))}'
                             f'</summary><pre>{body}</pre></details>')
    files = sorted(p for p in folder.rglob("*") if p.is_file())[:MAX_EVIDENCE_FILES]
    parts += [_thumbnail(p) for p in files if p.suffix == ".png" and p.stat().st_size < MAX_IMAGE]
    links = [f'<a href="{escape(p.relative_to(reports).as_posix())}">{escape(p.name)}</a>'
             for p in files]
    if links:
        parts.append(f'<div class="files">Attachments: {" · ".join(links)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _skip_line(rec: ScenarioResult) -> str:
    """Why an instance did not run, in the page itself (not only in a tooltip)."""
    reason = rec.message.splitlines()[0] if rec.message else "no reason given"
    return (f'<div class="skipline">{badge(rec.outcome)} <b>{escape(instance_label(rec))}</b>: '
            f"{escape(reason)}</div>")


def _facts(rec: ScenarioResult) -> str:
    """What the scenario established and reported (a document's PAdES level, for one)."""
    return "".join(f'<div class="fact"><b>{escape(label)}</b>: {escape(value)}</div>'
                   for label, value in rec.facts.items())


def _instance_detail(rec: ScenarioResult, reports: Path) -> str:
    bad = rec.outcome in ("failed", "error", "xpassed")
    graded = rec.should or bool(rec.findings)
    if rec.outcome in ("skipped", "not run") and not graded:
        return _skip_line(rec)
    if not (bad or graded or rec.outcome == "xfailed"):
        return (f'<div class="detail {css(rec.outcome)}"><div class="dh">{badge(rec.outcome)} '
                f'<b>{escape(instance_label(rec))}</b></div>{_facts(rec)}</div>'
                if rec.facts else "")
    parts = [f'<div class="detail {css(rec.outcome)}"><div class="dh">{badge(rec.outcome)} '
             f'<b>{escape(instance_label(rec))}</b> <code>{escape(rec.nodeid)}</code></div>']
    if rec.message:
        parts.append(f'<div class="msg">{escape(rec.message)}</div>')
    parts.append(_facts(rec))
    if rec.details and bad:
        parts.append(f'<details class="tb"><summary>Traceback and details</summary>'
                     f'<pre>{escape(rec.details)}</pre></details>')
    for f in rec.findings:
        parts.append(f'<div class="finding"><b>SHOULD [{escape(f.clause)}]</b> '
                     f'{escape(f.requirement)}<br>expected: {escape(f.expected)}<br>'
                     f'actual: {escape(f.actual)}</div>')
    if bad or graded:
        parts.append(evidence_html(rec, reports))
    parts.append("</div>")
    return "".join(parts)


def scenario_status(recs: list[ScenarioResult]) -> str:
    return overall([r.outcome for r in recs])


def _column_head(column: Column) -> str:
    label, recs = column
    status = overall([r.outcome for r in recs])
    reasons = "; ".join(sorted({r.message.splitlines()[0] for r in recs if r.message}))
    title = f' title="{escape(reasons)}"' if reasons else ""
    return f'<th class="res"{title}>{escape(label)}<br>{badge(status)}</th>'


def scenario_html(doc: DocFeature, sc: DocScenario, recs: list[ScenarioResult],
                  reports: Path) -> str:
    status = scenario_status(recs)
    all_tags = sorted(set(doc.tags) | set(sc.tags))
    area = tagmod.area_of(all_tags)
    findings = sum(len(r.findings) for r in recs)
    recs = sorted(recs, key=lambda r: (r.api_version, list(r.example.values()), r.nodeid))
    cols = columns(sc, recs)
    heads = "".join(_column_head(c) for c in cols) or '<th class="res">result</th>'
    rows = [_step_row(s, cols, True) for s in doc.background]
    rows += [_step_row(s, cols, False) for s in sc.steps]
    anchor = f"sc-{doc.path}-{sc.line}".replace("/", "-").replace(".", "-")
    rule = f'<span class="rule">Rule: {escape(sc.rule)}</span> ' if sc.rule else ""
    desc = f'<p class="desc">{escape(sc.description)}</p>' if sc.description else ""
    flag = f' <span class="badge st-finding">{findings} finding(s)</span>' if findings else ""
    return (
        f'<article class="scenario {css(status)}" id="{escape(anchor)}" '
        f'data-status="{escape(status)}" data-area="{escape(area)}" '
        f'data-findings="{findings}">'
        f'<header>{rule}<span class="kw">{escape(sc.keyword)}:</span> '
        f'<span class="scname">{escape(sc.name)}</span> {badge(status)}{flag}'
        f'<span class="loc">{escape(doc.path)}:{sc.line}</span></header>'
        f'{tag_chips(sc.tags)}{desc}'
        f'<table class="steps"><thead><tr><th class="txt">Step</th>{heads}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>{_examples(sc, cols)}'
        f'{"".join(_instance_detail(r, reports) for r in recs)}</article>'
    )


def feature_html(doc: DocFeature, results: dict[int, list[ScenarioResult]],
                 reports: Path) -> str:
    """One collapsible feature; open when something in it failed or carries findings."""
    statuses = Counter(scenario_status(results.get(sc.line, [])) for sc in doc.scenarios)
    findings = sum(len(r.findings) for recs in results.values() for r in recs)
    area = tagmod.area_of(doc.tags) or next(
        (tagmod.area_of(sc.tags) for sc in doc.scenarios if tagmod.area_of(sc.tags)), "")
    status = overall(list(statuses))
    is_open = " open" if status in ("failed", "error", "xpassed") or findings else ""
    counts = '<span class="muted">scenarios:</span> ' + " ".join(
        badge(s, f"{n} {STATUS_LABEL.get(s, s)}") for s, n in sorted(statuses.items()))
    body = [f'<p class="desc">{escape(doc.description)}</p>' if doc.description else ""]
    if doc.error:
        body.append(f'<div class="detail st-error">This file does not parse: '
                    f"{escape(doc.error)}</div>")
    body += [scenario_html(doc, sc, results.get(sc.line, []), reports) for sc in doc.scenarios]
    return (
        f'<details class="feature {css(status)}" data-area="{escape(area)}" '
        f'data-status="{escape(status)}"{is_open}><summary><span class="kw">'
        f'{escape(doc.keyword)}:</span> <span class="fname">{escape(doc.name)}</span> '
        f'<span class="loc">{escape(doc.path)}</span> <span class="counts">{counts}</span>'
        f'</summary>{tag_chips(doc.tags)}{"".join(body)}</details>'
    )
