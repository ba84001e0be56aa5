"""Redact Allure results before allure-pytest-bdd writes them (``--alluredir``).

allure-pytest-bdd stores failure messages, tracebacks and every step argument (``repr``) in its
result files. The suite keeps secrets off step signatures, but a failure message may still quote
one; this hook (registered first, in every process that runs tests, so run-time tokens are known)
rewrites every string of a result in place before the file logger serialises it.
"""

from __future__ import annotations

from typing import Any

import pytest

from cscsuite.reporting.redaction import redact_text

try:
    import allure_commons
    from allure_commons._hooks import hookimpl
except ImportError:  # pragma: no cover - allure is optional
    allure_commons = None  # type: ignore[assignment,unused-ignore]


def _scrub(obj: Any, depth: int = 0) -> Any:
    """Redact strings inside an attrs result object, its lists and dicts (in place)."""
    if depth > 12:
        return obj
    if isinstance(obj, str):
        return redact_text(obj, limit=200_000)
    if isinstance(obj, list):
        obj[:] = [_scrub(v, depth + 1) for v in obj]
        return obj
    if isinstance(obj, dict):
        for key in list(obj):
            obj[key] = _scrub(obj[key], depth + 1)
        return obj
    fields = getattr(type(obj), "__attrs_attrs__", None)
    if fields is not None:
        for field in fields:
            value = getattr(obj, field.name, None)
            if value is not None:
                object.__setattr__(obj, field.name, _scrub(value, depth + 1))
    return obj


class AllureRedactor:
    """allure_commons plugin: runs before the file logger on every result and container."""

    if allure_commons is not None:

        @hookimpl(tryfirst=True)
        def report_result(self, result: Any) -> None:
            _scrub(result)

        @hookimpl(tryfirst=True)
        def report_container(self, container: Any) -> None:
            _scrub(container)


def register(config: pytest.Config) -> None:
    """Install the redactor when Allure output is on."""
    if allure_commons is None or not config.getoption("allure_report_dir", default=None):
        return
    if not any(isinstance(p, AllureRedactor) for p in allure_commons.plugin_manager.get_plugins()):
        allure_commons.plugin_manager.register(AllureRedactor())
