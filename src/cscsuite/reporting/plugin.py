"""pytest plugin ``cscsuite.reporting.plugin``: every run leaves complete, redacted reports.

Options: ``--reports-dir`` (default ``reports``), ``--compare-with PATH`` (a previous summary.json),
``--reports-checkpoint SECONDS`` and ``--csc-min-run PERCENT``. Step results are collected where
tests run (``collect.Collector``) and travel on the reports; the controller aggregates them and
writes the files once the first result arrives, at checkpoints and at the end, also after Ctrl-C
or SIGTERM. A run that never starts (usage error, collection error, no test) leaves the previous
reports alone and writes ``summary.not-started.json`` beside them.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Generator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from cscsuite import tags
from cscsuite.reporting import allure_redaction, atomic, coverage, summary
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
    group.addoption("--csc-min-run", dest="csc_min_run", type=float, default=None,
                    metavar="PERCENT", help="fail the run when less than PERCENT of the scenario "
                    "instances ran (the rest skipped); default: the profile's [run] "
                    "min_run_percent, else no minimum")
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


class TagGuard:
    """Turns a misspelt ``@needs_<capability>`` tag into a collection error: it would otherwise
    skip its scenario on every target as an unknown capability."""

    def __init__(self, features_dir: Path, root: Path) -> None:
        self.features_dir = features_dir
        self.root = root

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_apply_tag(self, tag: str, function: Any) -> None:
        try:
            tags.check_needs_tag(tag, self.features_dir, self.root)
        except tags.UnknownCapabilityTag as exc:
            raise pytest.Collector.CollectError(str(exc)) from None


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Collector(), "cscsuite-reporting-collector")
    tags.register_markers(config)
    config.pluginmanager.register(TagGuard(tags.features_dir_of(config),
                                           Path(str(config.rootpath))), "cscsuite-tag-guard")
    allure_redaction.register(config)
    if hasattr(config, "workerinput") or _runs_nothing(config):
        return  # xdist worker: only the controller writes reports
    _min_run_option(config)
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
    """``--csc-strict`` (SHOULD findings fatal); False when the suite plugin is not loaded."""
    return bool(_option(config, "csc_strict"))


def _min_run_option(config: pytest.Config) -> float | None:
    given = _option(config, "csc_min_run")
    if given is not None and not 0 <= float(given) <= 100:
        raise pytest.UsageError(f"--csc-min-run={given:g}: give a percentage from 0 to 100")
    return None if given is None else float(given)


def _min_run(config: pytest.Config) -> float | None:
    """``--csc-min-run``, else the profile's ``[run] min_run_percent``."""
    given = _min_run_option(config)
    if given is not None:
        return given
    try:
        from cscsuite.plugin import SESSION_KEY
    except ImportError:
        return None
    session = config.stash.get(SESSION_KEY, None)
    run = getattr(getattr(session, "profile", None), "run", None)
    value = getattr(run, "min_run_percent", None)
    return None if value is None else float(value)


@pytest.hookimpl(wrapper=True)
def pytest_cmdline_main(config: pytest.Config) -> Generator[None, Any, Any]:
    """A usage error after configuration began (unreachable target, bad profile): the run never
    started, so say so beside the previous reports instead of replacing them."""
    try:
        return (yield)
    except pytest.UsageError as exc:
        if not hasattr(config, "workerinput") and not _runs_nothing(config):
            path = write_not_started(reports_dir(config), {"command": _command(config)},
                                     f"usage error: {exc}")
            print(f"cscsuite: the run did not start; the previous reports are left untouched "
                  f"(see {path})", file=sys.stderr)
        raise


NOT_STARTED = "summary.not-started.json"


def write_not_started(reports: Path, run: dict[str, Any], reason: str) -> Path:
    path = reports / NOT_STARTED
    atomic.write_json(path, summary.not_started(run, redact_text(reason, 2000)))
    return path


def _command(config: pytest.Config) -> str:
    return redact_text("pytest " + " ".join(config.invocation_params.args), 2000)


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
    embedded = bool(getattr(session, "uses_sandbox", False))
    if isinstance(infos, dict):
        facts["service"] = "; ".join(
            f"{v}: {'' if embedded else getattr(i, 'name', '')} {getattr(i, 'specs', '')}"
            .replace("  ", " ").strip() for v, i in sorted(infos.items()))
    if embedded and getattr(session.profile, "companions", None):
        from cscsuite.companions import describe

        facts["companions"] = describe(session.profile)
    if embedded:
        facts["target"] += " (embedded reference service)"
        facts["service"] = ("cscsandbox, PrimeSign personality"
                            + (f" ({facts['service']})" if facts.get("service") else ""))
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
        self.started_tests = False  # a test result arrived: the reports are this run's
        self.not_started: str = ""  # why the run never started, when it did not
        self.min_run: float | None = None  # resolved at session start (the profile is loaded)
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
            "strict": "yes (--csc-strict)" if _strict(cfg) else "",
            "min_run_percent": self.min_run,
            "command": _command(cfg),
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
        (self.reports / NOT_STARTED).unlink(missing_ok=True)  # this run did start

    # -- hooks ----------------------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.reports.mkdir(parents=True, exist_ok=True)
        self.min_run = _min_run(self.config)
        self._install_sigterm()

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self.aggregator.add_collect(report)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.aggregator.add(report)
        interval = float(_option(self.config, "reports_checkpoint") or 0.0)
        first = not self.started_tests
        self.started_tests = True
        if first or (report.when == "teardown" and time.time() - self.last_write >= interval):
            self.write("running", None)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        state = _EXIT_STATES.get(int(exitstatus), f"exit {int(exitstatus)}")
        if session.shouldstop and int(exitstatus) not in (0, 1, 5):
            state = "interrupted"
        self.final_written = True
        if not self.started_tests:
            self._write_not_started(session, int(exitstatus))
            return
        self.write(state, int(exitstatus))
        below = self.last_summary.get("coverage", {}).get("below_minimum")
        if below and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _write_not_started(self, session: pytest.Session, exitstatus: int) -> None:
        errors = self.aggregator.collection_errors
        if errors:
            reason = f"{len(errors)} collection error(s): " + "; ".join(errors[:3])
        elif exitstatus == pytest.ExitCode.INTERRUPTED:
            reason = "interrupted before the first test"
        elif self.aggregator.states:
            first = next(iter(self.aggregator.results(finished=True)))
            reason = f"every module was skipped, for example {first.nodeid}: {first.message}"
        else:
            reason = "no test ran (none collected, or all deselected)"
        self.not_started = reason
        write_not_started(self.reports, self.run_info("not-started", exitstatus), reason)
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if not self.final_written and self.started_tests:
            self.write("aborted", None)
            self.final_written = True
        self._restore_sigterm()

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        tr = terminalreporter
        tr.section("cscsuite reports")
        if self.not_started:
            tr.write_line(f"the run did not start: {self.not_started}", red=True)
            tr.write_line(f"previous reports left untouched; see {self.reports / NOT_STARTED}")
            return
        for path in ("index.html", "junit.xml", "cucumber.json", "summary.json"):
            tr.write_line(f"{path:14} {self.reports / path}")
        doc = self.last_summary
        cov = coverage.of(self.aggregator.results(finished=True))
        tr.write_line("coverage: " + cov.headline(), yellow=cov.ran < cov.total)
        if doc.get("coverage", {}).get("below_minimum") and self.min_run is not None:
            tr.write_line("FAILED: " + coverage.minimum_message(cov, self.min_run), red=True)
        elif cov.total and not cov.ran:
            tr.write_line("NOT RUN: every scenario instance was skipped on this target",
                          red=True)
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
