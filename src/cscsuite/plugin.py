"""The suite's pytest plugin: options, report header, fixtures, version ids, errors of use.

Every pytest-bdd scenario runs once per CSC API version, chosen at collection time: the test ids
read ``...[v1]`` and ``...[v2]``. Errors of use (malformed profile, missing secret, unreachable
target, no browser) are reported as one ``ERROR:`` line before any scenario runs.
"""

from __future__ import annotations

import inspect
import logging
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from cscsuite import bdd_lookup, browser_breaker, companions, deviations, option_paths, tags
from cscsuite.adapters import make_adapter
from cscsuite.adapters.base import CscApi
from cscsuite.checks.base import ConformanceError, record_finding, set_strict
from cscsuite.evidence import Evidence
from cscsuite.http import ApiClient
from cscsuite.profile import Profile
from cscsuite.redact import RedactingFilter, redact
from cscsuite.reporting.aggregate import LOGINS_PROPERTY
from cscsuite.scheduling import spread_waits
from cscsuite.server_errors import InternalServerError
from cscsuite.session import (
    SESSION_KEY,
    WORKER_URL_KEY,
    UsageProblem,
    check_browser,
    open_session,
    suite_session,
    target_session,
)
from cscsuite.target import Target
from cscsuite.world import World

#: The evidence of a test, for other plugins (reporting) that want to read it.
EVIDENCE_KEY = pytest.StashKey[Evidence]()
VERSIONS = ("v1", "v2")
_NOT_APPLICABLE = "n/a"
# A HarnessError is reported as an error; an internal server error never passes a scenario;
# the fixtures of each instance's target.
pytest_plugins = ["cscsuite.verdicts", "cscsuite.server_errors", "cscsuite.plugin_targets"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cscsuite", "CSC conformance suite")
    group.addoption("--profile", dest="csc_profile", default="sandbox", metavar="NAME_OR_PATH",
                    help="target profile: a name in targets/ or a path to a .toml (default "
                         "sandbox)")
    group.addoption("--base-url", dest="csc_base_url", default=None, metavar="URL",
                    help="use this running service instead of starting the embedded one")
    group.addoption("--csc-api", dest="csc_api", choices=("v1", "v2", "both"), default=None,
                    help="API versions to test (default: what the profile lists)")
    group.addoption("--sandbox-defect", dest="csc_sandbox_defects", action="append",
                    default=[], metavar="NAME",
                    help="start the embedded service with this defect on (repeatable)")
    group.addoption("--browser-path", dest="csc_browser_path", default=None, metavar="PATH",
                    help="browser executable (default: /usr/bin/chromium-headless-shell, else "
                         "/usr/bin/chromium, else Playwright's)")
    group.addoption("--browser-ws-endpoint", dest="csc_browser_ws_endpoint", default=None,
                    metavar="URL", help="connect to a remote Playwright browser server")
    group.addoption("--headed", dest="csc_headed", action="store_true",
                    help="show the browser during logins")
    group.addoption("--login-trace", dest="csc_login_trace", default="off",
                    choices=("off", "retain-on-failure"),
                    help="record a Playwright trace of every login and keep the scrubbed trace "
                         "of failed ones (costs about a sixth of each login; default off: a "
                         "failed login keeps a masked screenshot and the page's HTML)")
    group.addoption("--fresh-login-context", dest="csc_fresh_login_context",
                    action="store_true",
                    help="give every login a new browser context (default: one context per "
                         "worker, its cookies and site storage wiped between logins)")
    group.addoption("--csc-strict", dest="csc_strict", action="store_true",
                    help="make SHOULD-level findings fatal (a @should scenario or a SHOULD "
                         "check then fails like a MUST)")
    group.addoption("--csc-capabilities", dest="csc_capabilities", action="store_true",
                    help="list every capability a @needs_<name> tag or a profile's "
                         "[capabilities] table may name, and exit")
    parser.addini("csc_scenario_paths", "paths holding scenario tests (the embedded service "
                 "starts in the xdist controller only for runs that include them)",
                 type="args", default=["steps", "features"])


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """``--reports-dir /elsewhere`` must not move pytest's rootdir (see option_paths)."""
    option_paths.repair(early_config)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    """``--csc-capabilities``: the capability list, without loading a profile."""
    if not config.getoption("csc_capabilities", False):
        return None
    from cscsuite.capabilities import CAPABILITIES

    width = max(map(len, CAPABILITIES))
    print("capabilities (tag @needs_<name>; override in the profile's [capabilities]):")
    for name, meaning in CAPABILITIES.items():
        print(f"  {name:<{width}}  {meaning}")
    return 0


def pytest_configure(config: pytest.Config) -> None:
    tags.register_markers(config)  # every Gherkin tag, once (the reporting plugin asks too)
    set_strict(bool(config.getoption("csc_strict")))
    bdd_lookup.install()  # pytest-bdd's search for step definitions, remembered
    try:
        session = open_session(config, reports_dir(config))
        deviation_list = deviations.per_target(session.profile, session.uses_sandbox)
    except (UsageProblem, deviations.DeviationsError) as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[SESSION_KEY] = session
    browser_breaker.register(config)  # the run's login circuit breaker (shared by xdist workers)
    config.stash[_DEVIATIONS_KEY] = deviation_list
    _install_log_redaction(config)
    if hasattr(config.hook, "pytest_configure_node"):  # pytest-xdist is active
        config.pluginmanager.register(_XdistHooks(), "cscsuite-xdist")


def _install_log_redaction(config: pytest.Config) -> None:
    """Every log record pytest captures or shows is redacted first."""
    filt = RedactingFilter()
    logging_plugin = config.pluginmanager.get_plugin("logging-plugin")
    for attr in ("caplog_handler", "report_handler", "log_file_handler", "log_cli_handler"):
        handler = getattr(logging_plugin, attr, None)
        if isinstance(handler, logging.Handler):
            handler.addFilter(filt)
    for handler in logging.getLogger().handlers:
        handler.addFilter(filt)


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.stash.get(SESSION_KEY, None)
    if session is not None:
        session.close()


def reports_dir(config: pytest.Config) -> Path:
    """``--reports-dir`` belongs to the reporting plugin; ``reports`` when it is absent."""
    raw = config.getoption("reports_dir", default=None) or "reports"
    path = Path(raw)
    return path if path.is_absolute() else Path(config.invocation_params.dir) / path


def pytest_report_header(config: pytest.Config) -> list[str]:
    session = config.stash.get(SESSION_KEY, None)
    if session is None:
        return []
    try:
        version = metadata.version("csc-conformance-suite")
    except metadata.PackageNotFoundError:
        version = "unknown"
    lines = [f"cscsuite {version}: profile {session.profile.name} "
             f"({session.profile.source_path})",
             f"cscsuite target: {session.describe_target()}",
             f"cscsuite API versions: {', '.join(session.versions)}"]
    if session.defects:
        lines.append(f"cscsuite sandbox defects: {', '.join(session.defects)}")
    if session.uses_sandbox and session.profile.companions:
        lines.append(f"cscsuite companions: {companions.describe(session.profile)}")
    return [redact(line) for line in lines]


# -- version parametrisation and collection ---------------------------------------------------

_VERSIONED_ARGS = frozenset({"csc_version", "api", "world"})


def _runs_per_version(metafunc: pytest.Metafunc) -> bool:
    """pytest-bdd scenarios, and tests that ask for a versioned fixture themselves."""
    if "_pytest_bdd_example" in metafunc.fixturenames:
        return True
    return bool(_VERSIONED_ARGS & set(inspect.signature(metafunc.function).parameters))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One instance per tested API version, each on the target that runs it: the profile's own
    (id ``[v1]``) or the companion its needs route it to (id ``[v1@<companion>]``)."""
    if "csc_version" not in metafunc.fixturenames or not _runs_per_version(metafunc):
        return
    session = suite_session(metafunc.config)
    names = [m.name for m in metafunc.definition.iter_markers()]
    only = [v for v in VERSIONS if f"{v}_only" in names]
    versions = [v for v in session.versions if not only or v in only] or [_NOT_APPLICABLE]
    pairs = [(v, companions.route(session.profile, names, v, embedded=session.uses_sandbox))
             for v in versions]
    metafunc.parametrize(("csc_version", "csc_target"), pairs,
                         ids=[companions.instance_id(v, t) for v, t in pairs])


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop scenarios that fit no tested version; mark known deviations as strict xfail."""
    skipped = [i for i in items if deviations.item_version(i) == _NOT_APPLICABLE]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [i for i in items if deviations.item_version(i) != _NOT_APPLICABLE]
    _apply_test_timeout(config, items)
    spread_waits(items, int(getattr(config, "workerinput", {}).get("workercount", 0)))
    stale = [dev for name, devs in config.stash[_DEVIATIONS_KEY].items() for dev in
             deviations.apply([i for i in items if companions.item_target(i) == name], devs)]
    config.stash[deviations.STALE_KEY] = stale
    if hasattr(config, "workeroutput"):
        config.workeroutput["cscsuite_stale"] = [vars(d) for d in stale]


_DEVIATIONS_KEY = pytest.StashKey[dict[str, list[deviations.Deviation]]]()


def _apply_test_timeout(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Bound every scenario by the profile's ``timeouts.test_s`` (pytest-timeout), unless the
    scenario or the command line sets its own limit."""
    suite = config.stash.get(SESSION_KEY, None)
    if suite is None or not config.pluginmanager.hasplugin("timeout"):
        return
    if config.getoption("timeout", None):
        return
    marker = pytest.mark.timeout(suite.profile.timeouts.test_s)
    for item in items:
        if _needs_target(item) and item.get_closest_marker("timeout") is None:
            item.add_marker(marker)


#: Scenario steps request fixtures at run time, so a scenario needs the target by definition.
_TARGET_USERS = frozenset({"target", "profile", "api", "world", "_pytest_bdd_example"})


def _needs_target(item: pytest.Item) -> bool:
    return bool(_TARGET_USERS & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    """Start and probe the target (and find the browser) before the first scenario runs."""
    config = session.config
    if config.option.collectonly or not any(_needs_target(i) for i in session.items):
        return
    routed = Counter(companions.item_target(i) for i in session.items)
    del routed[companions.PRIMARY]
    _prepare(config, browser=any(i.get_closest_marker("browser") for i in session.items),
             companions_needed=[name for name, _ in routed.most_common()])


def _prepare(config: pytest.Config, *, browser: bool,
             companions_needed: Sequence[str] = ()) -> None:
    """Discover the target, start the companions the scenarios need (in the background) and
    find the browser when a scenario logs in."""
    suite = suite_session(config)
    try:
        target = suite.discover()
        suite.start_companions(companions_needed)  # the most needed first
        companion_logins = any(logs_in_profile(suite.profile.companions[n].profile)
                               for n in companions_needed)
        if browser and (logs_in(target, suite.profile) or companion_logins):
            check_browser(config)
    except UsageProblem as exc:
        raise pytest.UsageError(str(exc)) from None
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and suite.sandbox is not None:
        reporter.write_line(f"cscsuite: embedded reference service at {target.base_url}")


def logs_in(target: Target, profile: Profile) -> bool:
    """Whether a scenario can log in at all: an authorization server and a login recipe
    (a target without OAuth needs no browser, whatever the scenarios' @browser tags)."""
    return any(target.endpoints.values()) and logs_in_profile(profile)


def logs_in_profile(profile: Profile) -> bool:
    """Whether the profile's signer has a login recipe (the static half of ``logs_in``)."""
    signer = profile.identities.get("signer")
    return bool(signer and signer.login)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    stale = deviations.stale(config)
    if not stale:
        return
    terminalreporter.section("stale known deviations", yellow=True)
    for dev in stale:
        terminalreporter.write_line(f"{dev.describe()}: matched no scenario; remove it")


class _XdistHooks:
    """The controller starts the embedded service once and hands its URL to every worker."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        config = session.config
        if (hasattr(config, "workerinput") or not _distributed(config)
                or config.option.collectonly or not _includes_scenarios(config)):
            return
        _prepare(config, browser=False)

    def pytest_configure_node(self, node: Any) -> None:
        suite = suite_session(node.config)
        if suite.base_url:
            node.workerinput[WORKER_URL_KEY] = suite.base_url

    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        stale = getattr(node, "workeroutput", {}).get("cscsuite_stale")
        if stale is not None:
            node.config.stash[deviations.STALE_KEY] = [deviations.Deviation(**d) for d in stale]


def _distributed(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) or bool(
        getattr(config.option, "dist", "no") != "no")


def _includes_scenarios(config: pytest.Config) -> bool:
    """Whether the run's paths reach the scenario test paths (ini ``csc_scenario_paths``)."""
    root = Path(config.rootpath)
    scenario_paths = [(root / p).resolve() for p in config.getini("csc_scenario_paths")]
    for arg in config.args:
        path = (Path(config.invocation_params.dir) / arg.split("::")[0]).resolve()
        if any(path == s or path in s.parents or s in path.parents for s in scenario_paths):
            return True
    return False


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Generator[None, object, object]:
    """A ``@should`` scenario's ConformanceError is a finding, not a failure (unless
    ``--csc-strict``). Anything else (a harness failure, a plain assert) still fails."""
    if pyfuncitem.get_closest_marker("should") is None:
        return (yield)
    try:
        return (yield)
    except ConformanceError as err:
        if isinstance(err, InternalServerError):
            raise  # a crash is never a mere finding
        record_finding(err)  # re-raises under --csc-strict
        return True


# -- fixtures ---------------------------------------------------------------------------------

@pytest.fixture
def csc_version(pytestconfig: pytest.Config) -> str:
    """The API version under test (parametrised per scenario; else the first one)."""
    return suite_session(pytestconfig).versions[0]


@pytest.fixture
def evidence(request: pytest.FixtureRequest) -> Iterator[Evidence]:
    """This test's evidence; written under ``reports/evidence/`` at teardown."""
    ev = Evidence(request.node.nodeid, reports_dir(request.config))
    ev.properties = request.node.user_properties
    request.node.stash[EVIDENCE_KEY] = ev
    yield ev
    out = ev.write()
    request.node.user_properties.append(("evidence_dir", str(
        out.relative_to(ev.reports_dir))))
    discovered = target_session(request.config, companions.item_target(request.node)).target
    if discovered is not None:  # credentials this process discovered: the report's Run section
        request.node.user_properties.extend(
            (f"run.{k}{discovered.suffix()}", v) for k, v in discovered.credentials.drain())


@pytest.fixture
def api(pytestconfig: pytest.Config, csc_version: str, csc_target: str, target: Target,
        evidence: Evidence) -> CscApi:
    """The version adapter for this test, recording into its evidence."""
    suite = target_session(pytestconfig, csc_target)
    http = ApiClient(suite.http, evidence, timeout_s=suite.profile.timeouts.request_s)
    return make_adapter(csc_version, http, target.csc_base_url(csc_version))


@pytest.fixture
def world(request: pytest.FixtureRequest, api: CscApi, profile: Profile,
          evidence: Evidence) -> Iterator[World]:
    """Per-scenario state the steps share; its browser logins go to the reports."""
    names = frozenset(mark.name for mark in request.node.iter_markers())
    state = World(api=api, profile=profile, evidence=evidence, tags=names)
    yield state
    if state.logins:
        request.node.user_properties.append((LOGINS_PROPERTY, state.logins))


@pytest.fixture(scope="session")
def browser_pool(pytestconfig: pytest.Config) -> Iterator[Any]:
    """One browser per worker, launched on first use."""
    from cscsuite.browser import BrowserPool

    pool = BrowserPool(executable_path=pytestconfig.getoption("csc_browser_path"),
                       ws_endpoint=pytestconfig.getoption("csc_browser_ws_endpoint"),
                       headless=not pytestconfig.getoption("csc_headed"),
                       trace=pytestconfig.getoption("csc_login_trace"),
                       reuse_contexts=not pytestconfig.getoption("csc_fresh_login_context"),
                       **browser_breaker.login_options(
                           pytestconfig, suite_session(pytestconfig).profile.timeouts))
    yield pool
    pool.close()
