"""pytest plugin ``cscsuite.reporting.plugin``: every run leaves complete, redacted reports.

Options: ``--reports-dir`` (default ``reports``), ``--compare-with PATH`` (a previous summary.json)
and ``--reports-checkpoint SECONDS``. Step results are collected where tests run
(``collect.Collector``) and travel on the reports; the controller aggregates them and writes the
files at checkpoints during the run and once at the end, also after Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from cscsuite.reporting import allure_redaction, summary
from cscsuite.reporting import compare as cmp
from cscsuite.reporting.aggregate import Aggregator
from cscsuite.reporting.collect import Collector, stale_deviations
from cscsuite.reporting.paths import DEFAULT_REPORTS_DIR, evidence_dir, reports_dir
from cscsuite.reporting.redaction import redact_text
from cscsuite.reporting.writer import ReportWriter

__all__ = ["evidence_dir", "reports_dir"]
_EXIT_STATES = {0: "finished", 1: "finished", 2: "interrupted", 3: "internal error",
                4: "usage error", 5: "finished"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cscsuite-reports", "cscsuite reports")
    group.addoption("--reports-dir", dest="reports_dir", default=DEFAULT_REPORTS_DIR,
                    help="directory for junit.xml, cucumber.json, summary.json, index.html and "
                         "evidence/ (default: reports)")
    group.addoption("--compare-with", dest="compare_with", default=None, metavar="PATH",
                    help="a previous run's summary.json: list newly failing, newly passing and "
                         "disappeared tests in the page and the terminal")
    group.addoption("--reports-checkpoint", dest="reports_checkpoint", type=float, default=30.0,
                    metavar="SECONDS", help="rewrite the reports at most this often during the "
                    "run, so an interrupted run leaves them (0: after every test; default 30)")
    parser.addini("cscsuite_features_dir", "feature files rendered in index.html "
                  "(default: bdd_features_base_dir or 'features')", default="")


def _features_dir(config: pytest.Config) -> Path:
    raw = str(config.getini("cscsuite_features_dir") or "")
    if not raw:
        try:
            raw = str(config.getini("bdd_features_base_dir") or "")
        except ValueError:
            raw = ""
    path = Path(raw or "features")
    return path if path.is_absolute() else Path(str(config.rootpath)) / path


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Collector(), "cscsuite-reporting-collector")
    allure_redaction.register(config)
    if hasattr(config, "workerinput") or _runs_nothing(config):
        return  # xdist worker: only the controller writes reports
    previous = None
    path = config.getoption("compare_with")
    if path:
        try:
            previous = summary.load(Path(path))
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None
    config.pluginmanager.register(ReportingSession(config, previous), "cscsuite-reporting")


def _runs_nothing(config: pytest.Config) -> bool:
    """``--collect-only`` and pytest-bdd's ``--generate-missing`` run no test: no report."""
    return bool(config.option.collectonly or getattr(config.option, "generate_missing", False))


def _option(config: pytest.Config, name: str) -> Any:
    try:
        return config.getoption(name)
    except ValueError:
        return None


def _strict(config: pytest.Config) -> bool:
    try:
        return bool(config.getini("strict"))
    except ValueError:
        return False


def _suite_facts(config: pytest.Config) -> dict[str, str]:
    """Profile, target and service facts from the suite plugin's session, when it is loaded."""
    try:
        from cscsuite.plugin import SESSION_KEY
    except ImportError:
        return {}
    session = config.stash.get(SESSION_KEY, None)
    if session is None:
        return {}
    facts = {"profile": str(getattr(session.profile, "name", "")),
             "profile_file": str(getattr(session.profile, "source_path", "")),
             "target": str(session.describe_target()),
             "api_versions": ", ".join(getattr(session, "versions", ()))}
    if getattr(session, "defects", ()):
        facts["sandbox_defects"] = ", ".join(session.defects)
    target = getattr(session, "target", None)
    infos = getattr(target, "info", None) if target is not None else None
    if isinstance(infos, dict):
        facts["service"] = "; ".join(
            f"{v}: {getattr(i, 'name', '')} {getattr(i, 'specs', '')}".strip()
            for v, i in sorted(infos.items()))
    return {k: v for k, v in facts.items() if v}


class ReportingSession:
    """Controller-side state of one run: aggregation, checkpoints, final write, terminal lines."""

    def __init__(self, config: pytest.Config, previous: dict[str, Any] | None) -> None:
        self.config = config
        self.previous = previous
        self.reports = reports_dir(config)
        self.writer = ReportWriter(self.reports, _features_dir(config), Path(str(config.rootpath)))
        self.aggregator = Aggregator()
        self.started = time.time()
        self.last_write = 0.0
        self.final_written = False
        self.last_summary: dict[str, Any] = {}
        self._old_sigterm: Any = None

    # -- run facts ------------------------------------------------------------------------------

    def run_info(self, state: str, exitstatus: int | None) -> dict[str, Any]:
        cfg = self.config
        versions = sorted({r.record.api_version for r in self.aggregator.states.values()
                           if r.record.api_version})
        info: dict[str, Any] = {
            "profile": _option(cfg, "csc_profile") or "",
            "target": _option(cfg, "csc_base_url") or "",
            "api_versions": ", ".join(versions),
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "duration_s": round(time.time() - self.started, 1),
            "workers": str(_option(cfg, "numprocesses") or ""),
            "strict": "yes" if _strict(cfg) else "",
            "command": redact_text("pytest " + " ".join(cfg.invocation_params.args), 2000),
            "state": state,
            "exitstatus": exitstatus,
            "versions": summary.tool_versions(),
        }
        info.update(_suite_facts(cfg))
        info.update(self.aggregator.run_properties)  # "run.<key>" user properties win
        return info

    def comparison(self) -> dict[str, Any] | None:
        if self.previous is None:
            return None
        results = self.aggregator.results(finished=True)
        return cmp.compare(self.previous, results, str(_option(self.config, "compare_with")))

    def write(self, state: str, exitstatus: int | None) -> None:
        finished = state != "running"
        stale = list(self.aggregator.stale_deviations)
        stale += [d for d in stale_deviations(self.config) if d not in stale]
        self.last_summary = self.writer.write(
            self.aggregator.results(finished=finished), self.run_info(state, exitstatus),
            stale=stale, comparison=self.comparison())
        self.last_write = time.time()

    # -- hooks ----------------------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.reports.mkdir(parents=True, exist_ok=True)
        self._install_sigterm()
        self.write("running", None)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.aggregator.add(report)
        interval = float(_option(self.config, "reports_checkpoint") or 0.0)
        if report.when == "teardown" and time.time() - self.last_write >= interval:
            self.write("running", None)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        state = _EXIT_STATES.get(int(exitstatus), f"exit {int(exitstatus)}")
        if session.shouldstop and int(exitstatus) not in (0, 1, 5):
            state = "interrupted"
        self.write(state, int(exitstatus))
        self.final_written = True

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if not self.final_written:
            self.write("aborted", None)
            self.final_written = True
        self._restore_sigterm()

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        tr = terminalreporter
        tr.section("cscsuite reports")
        for path in ("index.html", "junit.xml", "cucumber.json", "summary.json"):
            tr.write_line(f"{path:14} {self.reports / path}")
        doc = self.last_summary
        if doc.get("findings"):
            tr.write_line(f"SHOULD-level findings: {len(doc['findings'])} "
                          "(see index.html#findings)")
        if doc.get("stale_deviations"):
            tr.write_line(f"stale deviations: {len(doc['stale_deviations'])} "
                          "(known deviations that no longer happen: remove them)", yellow=True)
        for err in self.writer.errors:
            tr.write_line("report not written: " + err.splitlines()[0], red=True)
        if doc.get("comparison"):
            tr.section("cscsuite: compared with previous run")
            for line in cmp.terminal_lines(doc["comparison"]):
                tr.write_line(line, red=line.startswith("NEWLY FAILING") and
                              not line.endswith(": 0"))

    # -- SIGTERM (CI timeouts) ------------------------------------------------------------------

    def _install_sigterm(self) -> None:
        """Turn SIGTERM into KeyboardInterrupt so a CI timeout still gets final reports."""
        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL or os.name == "nt":
            return

        def on_term(signum: int, frame: FrameType | None) -> None:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            print("\ncscsuite: SIGTERM received, writing reports", file=sys.stderr)
            raise KeyboardInterrupt

        self._old_sigterm = signal.signal(signal.SIGTERM, on_term)

    def _restore_sigterm(self) -> None:
        if self._old_sigterm is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._old_sigterm)
            self._old_sigterm = None
