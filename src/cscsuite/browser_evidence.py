"""What a failed login leaves behind: a masked screenshot, the scrubbed page and trace.

Secret fields (those that received a secret, and every password field) are masked in the
screenshot; the HTML and the trace go through the redactor, so no password, one-time code or
authorization code survives in the evidence.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from cscsuite.browser_trace import scrub_trace
from cscsuite.redact import Redactor

if TYPE_CHECKING:
    from cscsuite.browser_login_state import Values
    from cscsuite.browser_recipe import RecipeRunner
    from cscsuite.evidence import Evidence

__all__ = ["keep_failure_evidence"]


def keep_failure_evidence(context: BrowserContext, page: Page, runner: RecipeRunner,
                          values: Values, redactor: Redactor, evidence: Evidence | None,
                          *, traced: bool) -> str | None:
    """Attach the evidence of a failed login; returns where the screenshot will be written."""
    if evidence is None:
        if traced:
            context.tracing.stop()
        return None
    prefix = _attachment_prefix(evidence)
    masks = [*runner.masked, page.locator("input[type=password]")]
    shot: str | None = None
    try:
        evidence.attach(f"{prefix}-failure.png", page.screenshot(mask=masks, timeout=5000))
        shot = str(evidence.directory / f"{prefix}-failure.png")
        redactor.add(*values.secrets)
        evidence.attach(f"{prefix}-page.html", redactor.text(page.content()).encode())
    except PlaywrightError:
        pass  # a closed page has nothing to show; the trace still helps
    if traced:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "trace.zip"
            context.tracing.stop(path=str(path))
            evidence.attach(f"{prefix}-trace.zip",
                            scrub_trace(path.read_bytes(), values.secrets, redactor))
    return shot


def _attachment_prefix(evidence: Evidence) -> str:
    existing = getattr(evidence, "attachments", {})
    n = 1
    while f"login-{n}-failure.png" in existing:
        n += 1
    return f"login-{n}"
