"""The reporting side of redaction: every captured text passes through the suite's one redactor.

``cscsuite.redact`` owns the rules (secret values registered from the profile, tokens, codes).
This wrapper only adapts its call and caps sizes, so that a report never embeds megabytes of
traceback. When the redactor is not importable the text is still capped, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_TEXT = 20_000


def _load() -> Callable[[str], str] | None:
    try:
        from cscsuite import redact as module
    except ImportError:
        return None
    fn = getattr(module, "redact", None) or getattr(module, "redact_text", None)
    return fn if callable(fn) else None


def redact_text(text: str, limit: int = MAX_TEXT) -> str:
    """Redact and cap one piece of captured output."""
    if not text:
        return ""
    fn = _load()
    if fn is not None:
        out: Any = fn(text)
        text = out if isinstance(out, str) else str(out)
    if len(text) > limit:
        text = text[:limit] + f"\n... ({len(text) - limit} more characters cut)"
    return text


def redact_data(value: Any) -> Any:
    """Redact every string inside a JSON-like structure (used for inlined evidence)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, list):
        return [redact_data(v) for v in value]
    if isinstance(value, dict):
        return {k: redact_data(v) for k, v in value.items()}
    return value
