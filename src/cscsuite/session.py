"""The run's view of the target: profile, versions, the embedded service and discovery.

One ``SuiteSession`` per pytest process, kept in ``config.stash``. It starts the embedded service
at most once (in the xdist controller, whose URL the workers receive, or in the only process),
runs discovery lazily and turns every problem into one ``UsageProblem`` line.

The profile's companions (``cscsuite.companions``) are sessions of their own, kept by the
primary session keyed by companion name (``for_target``): each starts its embedded service in the
process that runs its scenarios, once, on first use (or ahead, in a background thread, when the
collected scenarios will need it: ``start_companions``), and stops with the primary at the end.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
import pytest

from cscsuite.companions import PRIMARY
from cscsuite.evidence import Evidence
from cscsuite.http import ApiClient, make_http_client
from cscsuite.outcomes import HarnessError
from cscsuite.profile import Profile, ProfileError, load_profile
from cscsuite.redact import REDACTOR
from cscsuite.service_auth import client_certificate
from cscsuite.target import READY_TIMEOUT_S, SandboxProcess, Target, TargetError, build_target

WORKER_URL_KEY = "cscsuite_base_url"
#: A companion starts while scenarios run, in every worker: on a busy machine that takes longer
#: than the primary's start alone (seconds until its ready file appears).
COMPANION_READY_TIMEOUT_S = 60.0


class UsageProblem(Exception):
    """An error of use: reported as one line before any scenario runs."""


@dataclass
class SuiteSession:
    profile: Profile
    versions: tuple[str, ...]
    reports_dir: Path
    base_url_option: str | None = None
    defects: tuple[str, ...] = ()
    base_url: str | None = None
    sandbox: SandboxProcess | None = None
    target: Target | None = None
    name: str = PRIMARY  # the companion's name; PRIMARY for the profile's own target
    log_name: str = "sandbox.log"  # the embedded service's output, in reports_dir
    worker: str = ""  # the xdist worker id of this process ("": no xdist, or the controller)
    ready_timeout_s: float = READY_TIMEOUT_S
    _http: httpx.Client | None = field(default=None, repr=False)
    _companions: dict[str, SuiteSession] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _registry_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _failure: UsageProblem | None = field(default=None, repr=False)
    _starter: threading.Thread | None = field(default=None, repr=False)

    @property
    def uses_sandbox(self) -> bool:
        return self.base_url_option is None and self.profile.sandbox.enabled

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            t = self.profile.timeouts
            self._http = make_http_client(t.request_s, t.connect_s,
                                          cert=client_certificate(self.profile))
        return self._http

    def describe_target(self) -> str:
        if self.base_url:
            return self.base_url
        if self.uses_sandbox:
            return "embedded reference service (started when scenarios run)"
        return self.base_url_option or self.profile.base_url or "?"

    def start(self) -> str:
        """The target's base URL, starting the embedded service when the profile wants it."""
        if self.base_url:
            return self.base_url
        if not self.uses_sandbox:
            self.base_url = (self.base_url_option or self.profile.base_url or "").rstrip("/")
            return self.base_url
        settings = self.profile.sandbox
        self.sandbox = SandboxProcess(config=settings.config,
                                      personality=settings.personality, defects=self.defects,
                                      extra_args=settings.args,
                                      log_path=self.reports_dir / self.log_name,
                                      timeout_s=self.ready_timeout_s)
        try:
            self.base_url = self.sandbox.start()
        except TargetError as exc:
            raise UsageProblem(self._about(str(exc))) from None
        return self.base_url

    def discover(self) -> Target:
        """Probe and discover once; the result is the session's ``Target``. Callers in other
        threads wait for a discovery under way; a failure is raised again to each of them."""
        with self._lock:
            if self._failure is not None:
                raise self._failure
            try:
                return self._discover()
            except UsageProblem as exc:
                self._failure = exc
                raise

    def _discover(self) -> Target:
        if self.target is None:
            base_url = self.start()
            suffix = f"@{self.name}" if self.name else ""
            evidence = Evidence(f"session::discovery{suffix}", self.reports_dir)
            client = ApiClient(self.http, evidence,
                               timeout_s=self.profile.timeouts.connect_s * 2)
            try:
                self.target = build_target(client, self.profile_with_url(), base_url,
                                           self.versions)
                self.target.name = self.name
            except TargetError as exc:
                raise UsageProblem(self._about(str(exc))) from None
            finally:
                evidence.write()  # the probe and discovery exchanges, for diagnosis
        return self.target

    def _about(self, problem: str) -> str:
        """A problem, naming the companion it concerns (the primary's speak for themselves)."""
        if not self.name:
            return problem
        return (f"companion '{self.name}' (profile {self.profile.name}, "
                f"{self.profile.source_path}): {problem}")

    # -- companions ------------------------------------------------------------------------------

    def for_target(self, name: str) -> SuiteSession:
        """The session of the target called ``name`` (``PRIMARY``: this one); a companion's is
        made on first use, its service started by its first ``discover``."""
        if name == PRIMARY:
            return self
        with self._registry_lock:
            if name not in self._companions:
                self._companions[name] = self._companion_session(name)
            return self._companions[name]

    def _companion_session(self, name: str) -> SuiteSession:
        if name not in self.profile.companions or not self.uses_sandbox:
            raise UsageProblem(f"profile '{self.profile.name}' runs no companion '{name}'")
        profile = self.profile.companions[name].profile
        suffix = f"-{self.worker}" if self.worker else ""
        return SuiteSession(profile=profile, name=name,
                            versions=tuple(v for v in self.versions if v in profile.api_versions),
                            reports_dir=self.reports_dir, defects=self.defects,
                            ready_timeout_s=COMPANION_READY_TIMEOUT_S,
                            log_name=f"sandbox-{name}{suffix}.log")

    def start_companions(self, names: Iterable[str]) -> None:
        """Start these companions' services one after the other in a background thread, so
        their start-up overlaps the first scenarios (one at a time: several Python processes
        starting at once on a busy machine each take much longer); a failure waits for the
        scenarios that need the companion."""
        wanted = [n for n in dict.fromkeys(names) if n != PRIMARY]
        if not wanted or self._starter is not None:
            return
        self._starter = threading.Thread(target=self._start_quietly, args=(wanted,),
                                         name="cscsuite-companions", daemon=True)
        self._starter.start()

    def _start_quietly(self, names: list[str]) -> None:
        for name in names:
            try:
                self.for_target(name).discover()
            except UsageProblem:
                pass  # kept by that session; raised to the scenarios that need the companion

    def companion_sessions(self) -> list[SuiteSession]:
        with self._registry_lock:
            return list(self._companions.values())

    def profile_with_url(self) -> Profile:
        return replace(self.profile, base_url=self.base_url or self.profile.base_url)

    def close(self) -> None:
        if self._starter is not None:  # a start under way ends before its service stops
            self._starter.join(timeout=COMPANION_READY_TIMEOUT_S * len(self.profile.companions))
            self._starter = None
        for companion in self.companion_sessions():
            companion.close()
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None
        if self._http is not None:
            self._http.close()
            self._http = None


def open_session(config: pytest.Config, reports_dir: Path) -> SuiteSession:
    """Load the profile and check the options; raises ``UsageProblem``."""
    try:
        profile = load_profile(config.getoption("csc_profile"), Path(config.rootpath))
    except ProfileError as exc:
        raise UsageProblem(str(exc)) from None
    REDACTOR.add(*profile.secret_values())
    base_url = config.getoption("csc_base_url")
    defects = tuple(config.getoption("csc_sandbox_defects") or ())
    if defects and (base_url or not profile.sandbox.enabled):
        raise UsageProblem("--sandbox-defect only applies to the embedded service "
                           "(sandbox profile without --base-url)")
    session = SuiteSession(profile=profile, versions=_versions(config, profile),
                           reports_dir=reports_dir, base_url_option=base_url, defects=defects)
    session.worker = str(getattr(config, "workerinput", {}).get("workerid", ""))
    worker_url = getattr(config, "workerinput", {}).get(WORKER_URL_KEY)
    if worker_url:
        session.base_url = worker_url  # the xdist controller runs the embedded service
    return session


def _versions(config: pytest.Config, profile: Profile) -> tuple[str, ...]:
    wanted = config.getoption("csc_api")
    if not wanted:
        return profile.api_versions
    versions = ("v1", "v2") if wanted == "both" else (wanted,)
    missing = [v for v in versions if v not in profile.api_versions]
    if missing:
        raise UsageProblem(f"--csc-api {wanted}: profile '{profile.name}' does not offer "
                           f"{', '.join(missing)} (api_versions = {list(profile.api_versions)})")
    return versions


def check_browser(config: pytest.Config) -> str:
    """Where the browser comes from; raises ``UsageProblem`` when there is none."""
    endpoint = config.getoption("csc_browser_ws_endpoint")
    if endpoint:
        return endpoint
    explicit = config.getoption("csc_browser_path")
    if explicit:
        if not os.path.isfile(explicit) or not os.access(explicit, os.X_OK):
            raise UsageProblem(f"browser not found: {explicit} (--browser-path)")
        return explicit
    from cscsuite.browser import resolve_executable

    system = resolve_executable(None, headless=not config.getoption("csc_headed"))
    if system:
        return system
    return _playwright_browser()


def _playwright_browser() -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        path = pw.chromium.executable_path
    if not os.path.isfile(path):
        raise UsageProblem("browser not found: no /usr/bin/chromium and no Playwright-managed "
                           "chromium (run `playwright install chromium` or pass --browser-path)")
    return path


SESSION_KEY = pytest.StashKey[SuiteSession]()


def suite_session(config: pytest.Config) -> SuiteSession:
    """The run's session (the suite plugin keeps it in ``config.stash``)."""
    return config.stash[SESSION_KEY]


def target_session(config: pytest.Config, name: str) -> SuiteSession:
    """The session of the target called ``name`` (the primary's, or a companion's); a name the
    profile does not run is the scenario's error."""
    try:
        return suite_session(config).for_target(name)
    except UsageProblem as exc:
        raise HarnessError(str(exc)) from None
