"""index.html: one self-contained page (inline CSS/JS, no external assets) a QA engineer reads.

Sections, top to bottom: run facts and verdict, per-area overview, nightly comparison, findings,
stale deviations, every feature as Gherkin with step results per instance, plain tests, and the
spec clauses cited. Everything works without JavaScript (native ``<details>``); the script only
adds filtering.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from cscsuite import tags as tagmod
from cscsuite.reporting import coverage, logins, summary
from cscsuite.reporting.features import DocFeature
from cscsuite.reporting.html_scenarios import STATUS_LABEL, badge, css, feature_html
from cscsuite.reporting.model import ScenarioResult, is_bad

_COLUMNS = ("passed", "failed", "error", "xfailed", "xpassed", "skipped", "not run")


def _asset(name: str) -> str:
    return resources.files("cscsuite.reporting").joinpath(name).read_text(encoding="utf-8")


def _facts(run: dict[str, Any]) -> str:
    keys = [("profile", "Profile"), ("profile_file", "Profile file"), ("target", "Target"),
            ("api_versions", "API versions"), ("service", "Service"),
            ("sandbox_defects", "Sandbox defects"), ("started_at", "Started"),
            ("duration_s", "Duration (s)"), ("generated_at", "Generated"), ("workers", "Workers"),
            ("strict", "SHOULD findings fatal"), ("min_run_percent", "Minimum run (%)"),
            ("command", "Command")]
    rows = [(label, run[k]) for k, label in keys if run.get(k) not in (None, "")]
    known = {k for k, _ in keys} | {"versions", "state", "exitstatus"}
    rows += [(k, v) for k, v in sorted(run.items()) if k not in known and isinstance(v, str)
             and not k.startswith(_CREDENTIALS)]
    versions = run.get("versions") or {}
    if versions:
        rows.append(("Tools", ", ".join(f"{k} {v}" for k, v in versions.items() if v)))
    return "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)


_CREDENTIALS = "credentials."
_CREDENTIAL_COLUMNS = (("id", "Credential"), ("key", "Key"), ("scal", "SCAL"),
                       ("multisign", "multisign"), ("status", "Key/cert status"),
                       ("auth_mode", "authMode"), ("roles", "Roles filled"), ("note", "Note"))


def _credentials(run: dict[str, Any]) -> str:
    """The credentials discovery found per API version and identity, with the roles they fill
    (run properties ``credentials.<version>.<identity>``, JSON)."""
    blocks = []
    for key in sorted(k for k in run if k.startswith(_CREDENTIALS)):
        try:
            found = json.loads(str(run[key]))
        except ValueError:
            continue
        head = "".join(f"<th>{label}</th>" for _, label in _CREDENTIAL_COLUMNS)
        rows = "".join("<tr>" + "".join(
            f"<td>{escape(', '.join(row.get(k) or []) if k == 'roles' else str(row.get(k, '')))}"
            f"</td>" for k, _ in _CREDENTIAL_COLUMNS) + "</tr>" for row in found.get("rows", []))
        problem = (f"<p class='muted'>Discovery failed: {escape(str(found['problem']))}</p>"
                   if found.get("problem") else "")
        blocks.append(f"<h3>Credentials: {escape(key[len(_CREDENTIALS):])}</h3>{problem}"
                      f"<table class='list'><tr>{head}</tr>{rows}</table>")
    return "".join(blocks)


def _logins(results: list[ScenarioResult]) -> str:
    """The run's browser logins and its login budget (a row of the run table)."""
    text = logins.describe(logins.figures(results))
    return f"<tr><th>Browser logins</th><td>{escape(text)}</td></tr>"


def _verdict(results: list[ScenarioResult], run: dict[str, Any]) -> str:
    bad = sum(is_bad(r.outcome) for r in results)
    n = f"{len(results)} {coverage.of(results).unit}"
    state = run.get("state", "finished")
    if state != "finished":
        what = {"running": "still running, or killed"}.get(str(state), str(state))
        return (f'<div class="verdict st-error">INCOMPLETE ({escape(what)}): '
                f"{n} reported, {bad} failing</div>")
    if not results:
        return '<div class="verdict st-skipped">NO TESTS RAN</div>'
    verdict = summary.verdict(results, run)
    if verdict == "failed":
        return f'<div class="verdict st-failed">FAILED: {bad} of {n}</div>'
    if verdict == "below minimum":
        minimum = coverage.minimum_message(coverage.of(results), float(run["min_run_percent"]))
        return f'<div class="verdict st-failed">FAILED: {escape(minimum)}</div>'
    if verdict == "not run":
        return f'<div class="verdict st-skipped">NOT RUN: all {n} skipped</div>'
    findings = sum(len(r.findings) for r in results)
    extra = f" (with {findings} SHOULD finding(s))" if findings else ""
    return f'<div class="verdict st-passed">PASSED: {n}{extra}</div>'


def _coverage(results: list[ScenarioResult]) -> str:
    if not results:
        return ""
    return f'<p class="coverage">{escape(coverage.of(results).headline(max_reasons=10))}</p>'


def _tally(results: list[ScenarioResult]) -> str:
    counts = Counter(r.outcome for r in results)
    chips = [badge(s, f"{counts[s]} {STATUS_LABEL[s]}") for s in _COLUMNS if counts[s]]
    chips.insert(0, f'<span class="unit">{coverage.of(results).unit}:</span>')
    findings = sum(len(r.findings) for r in results)
    if findings:
        chips.append(f'<span class="badge st-finding">{findings} SHOULD finding(s)</span>')
    return f'<div class="tally">{" ".join(chips)}</div>'


def _area_mark(counts: Counter[str]) -> str:
    """FAIL, NOT RUN (nothing exercised: all skipped) or OK."""
    if any(is_bad(c) for c in counts):
        return badge("failed", "FAIL")
    if coverage.nothing_ran(c for c in counts if counts[c]):
        return badge("skipped", "NOT RUN")
    return badge("passed", "OK")


def _overview(results: list[ScenarioResult]) -> str:
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in results:
        table[(r.area or "(plain tests)", r.api_version or "-")][r.outcome] += 1
    head = "".join(f'<th class="num">{escape(STATUS_LABEL[c])}</th>' for c in _COLUMNS)
    rows = []
    for (area, version), counts in sorted(table.items(),
                                          key=lambda kv: (tagmod.area_title(kv[0][0]), kv[0])):
        total = sum(counts.values())
        bar = "".join(f'<span class="seg {css(c)}" style="width:{100 * counts[c] / total:.1f}%" '
                      f'title="{counts[c]} {escape(STATUS_LABEL[c])}"></span>'
                      for c in _COLUMNS if counts[c])
        cells = "".join(f'<td class="num {css(c) if counts[c] else "zero"}">{counts[c] or ""}</td>'
                        for c in _COLUMNS)
        plain = area == "(plain tests)"
        title = "Other tests" if plain else tagmod.area_title(area)
        tag = "" if plain else f' <span class="muted">@{escape(area)}</span>'
        rows.append(f'<tr><td><a href="#" data-area-link="{escape(area)}">{escape(title)}</a>'
                    f"{tag}</td>"
                    f"<td>{escape(version)}</td><td>{_area_mark(counts)}</td>{cells}"
                    f"<td>{total}</td>"
                    f'<td class="barcell"><div class="bar">{bar}</div></td></tr>')
    if not rows:
        return "<p class='muted'>No results in this run.</p>"
    return (f'<table class="overview"><thead><tr><th>Area</th><th>Version</th><th>Verdict</th>'
            f"{head}<th>Total (instances)</th><th></th></tr></thead><tbody>{''.join(rows)}"
            "</tbody></table>")


def _rows_table(rows: list[dict[str, str]], cls: str) -> str:
    if not rows:
        return '<p class="muted">none</p>'
    body = "".join(
        f"<tr><td>{escape(r['name'])}<br><code>{escape(r['nodeid'])}</code></td>"
        f"<td>{badge(r['before'].replace('absent', 'not run'), r['before'])}</td>"
        f"<td>{badge(r['now'].replace('absent', 'not run'), r['now'])}</td>"
        f"<td>{escape(r.get('message', ''))}</td></tr>" for r in rows)
    return (f'<table class="list {cls}"><thead><tr><th>Test</th><th>Before</th><th>Now</th>'
            f"<th>Reason</th></tr></thead><tbody>{body}</tbody></table>")


def _comparison(cmp: dict[str, Any] | None) -> str:
    if not cmp:
        return ""
    parts = [f'<section id="comparison"><h2>Compared with the previous run</h2><p class="muted">'
             f"{escape(cmp.get('previous', ''))} · generated "
             f"{escape(cmp.get('previous_generated_at', ''))}</p>"]
    for key, title in (("newly_failing", "Newly failing"), ("newly_passing", "Newly passing"),
                       ("disappeared", "Disappeared"), ("new", "New tests"),
                       ("changed", "Other changes")):
        rows = cmp.get(key, [])
        if rows or key in ("newly_failing", "newly_passing", "disappeared"):
            parts.append(f"<h3>{title} ({len(rows)})</h3>{_rows_table(rows, key)}")
    return "".join(parts) + "</section>"


def _findings(results: list[ScenarioResult]) -> str:
    rows = [(r, f) for r in results for f in r.findings]
    if not rows:
        return ('<section id="findings"><h2>Findings (SHOULD level)</h2>'
                '<p class="muted">No SHOULD-level findings.</p></section>')
    body = "".join(
        f"<tr><td>{escape(f.clause)}</td><td>{escape(f.requirement)}</td>"
        f"<td>{escape(f.expected)}</td><td>{escape(f.actual)}</td>"
        f"<td>{escape(r.display_name)}<br><code>{escape(r.nodeid)}</code></td></tr>"
        for r, f in rows)
    return (f'<section id="findings"><h2>Findings (SHOULD level): {len(rows)}</h2>'
            '<p class="muted">Violations of SHOULD requirements: they fail the run only with '
            "--csc-strict.</p>"
            f'<table class="list"><thead><tr><th>Clause</th><th>Requirement</th><th>Expected</th>'
            f"<th>Actual</th><th>Scenario</th></tr></thead><tbody>{body}</tbody></table></section>")


def _stale(stale: list[dict[str, str]]) -> str:
    if not stale:
        body = '<p class="muted">No stale deviations: every known deviation still happens.</p>'
    else:
        body = "<ul>" + "".join(
            "<li>" + " · ".join(f"<b>{escape(k)}</b>: {escape(v)}" for k, v in e.items()) + "</li>"
            for e in stale) + "</ul>"
    return f'<section id="stale"><h2>Stale deviations ({len(stale)})</h2>{body}</section>'


def _plain_tests(results: list[ScenarioResult]) -> str:
    plain = [r for r in results if not r.is_scenario]
    if not plain:
        return ""
    body = "".join(f'<tr class="{css(r.outcome)}" data-status="{escape(r.outcome)}">'
                   f"<td><code>{escape(r.nodeid)}</code></td><td>{badge(r.outcome)}</td>"
                   f"<td>{escape(r.message)}</td></tr>" for r in plain)
    return (f'<section id="plain"><h2>Other tests ({len(plain)})</h2><table class="list">'
            f"<tbody>{body}</tbody></table></section>")


def _clauses(docs: list[DocFeature]) -> str:
    cited: dict[str, list[tuple[str, str]]] = defaultdict(list)
    clauses = {}
    for doc in docs:
        for sc in doc.scenarios:
            for c in tagmod.clauses_of(set(doc.tags) | set(sc.tags)):
                clauses[c.tag] = c
                cited[c.tag].append((sc.name, f"sc-{doc.path}-{sc.line}".replace("/", "-")
                                     .replace(".", "-")))
    items = []
    for tag in sorted(clauses, key=lambda t: (clauses[t].document, clauses[t].section)):
        c = clauses[tag]
        where = (f'<a href="{escape(c.url)}" target="_blank" rel="noopener">{escape(c.url)}</a>'
                 if c.url.startswith("http") else escape(c.document))
        refs = ", ".join(f'<a href="#{escape(a)}">{escape(n)}</a>' for n, a in cited[tag])
        items.append(f'<li id="{escape(c.anchor)}"><b>{escape(c.label)}</b> ({where}): {refs}</li>')
    return (f'<section id="clauses"><h2>Spec clauses cited</h2><ul class="clauses">{"".join(items)}'
            f"</ul></section>") if items else ""


def _filters(areas: list[str]) -> str:
    options = "".join(f'<option value="{escape(a)}">{escape(tagmod.area_title(a))}</option>'
                      for a in areas)
    buttons = "".join(f'<button type="button" data-filter="{k}">{label}</button>'
                      for k, label in (("all", "All"), ("bad", "Failed / error"),
                                       ("passed", "Passed"), ("skipped", "Skipped"),
                                       ("xfailed", "Known deviation"), ("not run", "Not run"),
                                       ("findings", "With findings")))
    return (f'<div class="filters js-only" role="toolbar">{buttons}<select id="area-filter">'
            f'<option value="">All areas</option>{options}</select><input id="text-filter" '
            f'type="search" placeholder="Filter by text…"> <button type="button" id="expand">'
            'Expand all</button><button type="button" id="collapse">Collapse all</button></div>')


def render(results: list[ScenarioResult], docs: list[DocFeature], run: dict[str, Any],
           reports: Path, *, stale: list[dict[str, str]],
           comparison: dict[str, Any] | None) -> str:
    """The complete page."""
    by_scenario: dict[str, dict[int, list[ScenarioResult]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        if r.is_scenario:
            by_scenario[r.feature_file][r.scenario_line].append(r)
    known = {d.path for d in docs}
    orphan = sorted({r.feature_file for r in results if r.is_scenario} - known)
    features = [feature_html(d, by_scenario.get(d.path, {}), reports) for d in docs]
    doc_areas = {tagmod.area_of(set(d.tags) | set(s.tags)) for d in docs for s in d.scenarios}
    areas = sorted(({r.area for r in results} | doc_areas) - {""})
    orphan_note = "".join(f'<p class="detail st-error">Results for {escape(p)}, which is not under '
                          f"the features directory.</p>" for p in orphan)
    title = f"CSC conformance: {run.get('profile') or 'run'}"
    compare_link = '<a href="#comparison">Comparison</a>' if comparison else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{_asset("report.css")}</style></head>
<body class="nojs">
<header class="top"><h1>{escape(title)}</h1>{_verdict(results, run)}{_tally(results)}
{_coverage(results)}<nav><a href="#overview">Overview</a> {compare_link}
<a href="#findings">Findings</a> <a href="#stale">Stale deviations</a>
<a href="#features">Features</a> <a href="#clauses">Spec clauses</a></nav></header>
<main>
<section id="run"><h2>Run</h2>
<table class="facts">{_facts(run)}{_logins(results)}</table>{_credentials(run)}
</section>
<section id="overview"><h2>Overview by area</h2>{_overview(results)}</section>
{_comparison(comparison)}{_findings(results)}{_stale(stale)}
<section id="features"><h2>Features ({len(docs)})</h2>{_filters(areas)}{orphan_note}
{"".join(features) or '<p class="muted">No feature files found.</p>'}</section>
{_plain_tests(results)}{_clauses(docs)}
</main><footer>Generated by cscsuite · {escape(str(run.get("generated_at", "")))} ·
statuses: {" ".join(badge(s) for s in _COLUMNS)}</footer>
<script>{_asset("report.js")}</script></body></html>
"""

