"""The run's view of the target: profile, versions, the embedded service and discovery.

One ``SuiteSession`` per pytest process, kept in ``config.stash``. It starts the embedded service
at most once (in the xdist controller, whose URL the workers receive, or in the only process),
runs discovery lazily and turns every problem into one ``UsageProblem`` line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
import pytest

from cscsuite.evidence import Evidence
from cscsuite.http import ApiClient, make_http_client
from cscsuite.profile import Profile, ProfileError, load_profile
from cscsuite.redact import REDACTOR
from cscsuite.service_auth import client_certificate
from cscsuite.target import SandboxProcess, Target, TargetError, build_target

WORKER_URL_KEY = "cscsuite_base_url"


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
    _http: httpx.Client | None = field(default=None, repr=False)

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
                                      log_path=self.reports_dir / "sandbox.log")
        try:
            self.base_url = self.sandbox.start()
        except TargetError as exc:
            raise UsageProblem(str(exc)) from None
        return self.base_url

    def discover(self) -> Target:
        """Probe and discover once; the result is the session's ``Target``."""
        if self.target is None:
            base_url = self.start()
            evidence = Evidence("session::discovery", self.reports_dir)
            client = ApiClient(self.http, evidence,
                               timeout_s=self.profile.timeouts.connect_s * 2)
            try:
                self.target = build_target(client, self.profile_with_url(), base_url,
                                           self.versions)
            except TargetError as exc:
                raise UsageProblem(str(exc)) from None
            finally:
                evidence.write()  # the probe and discovery exchanges, for diagnosis
        return self.target

    def profile_with_url(self) -> Profile:
        return replace(self.profile, base_url=self.base_url or self.profile.base_url)

    def close(self) -> None:
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
