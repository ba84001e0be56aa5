"""Scrubbing Playwright traces: no secret may survive in a kept trace.

A trace zip holds JSON-lines event logs (actions with their values, network entries, DOM
snapshots with input values) and resources (HTML, images). Every text entry goes through the
redactor; images are copied unchanged (traces are recorded without screenshots, so they hold no
rendered secrets).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable

from cscsuite.redact import REDACTOR, Redactor


def scrub_trace(trace_zip: bytes, secrets: Iterable[str], redactor: Redactor = REDACTOR) -> bytes:
    """Rewrite every text entry of a Playwright trace through the redactor.

    JSON-lines entries are redacted value by value (numbers such as timestamps are left alone);
    other text entries as text; binary entries only lose known values, byte-wise.
    """
    redactor.add(*secrets)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(trace_zip)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                dst.writestr(info, redactor.bytes(data))  # known values, byte-wise
                continue
            dst.writestr(info.filename, _scrub_text(text, redactor))
    return out.getvalue()


def _scrub_text(text: str, redactor: Redactor) -> str:
    lines = text.split("\n")
    if all(not ln.strip() or ln.lstrip().startswith("{") for ln in lines):
        try:
            return "\n".join(json.dumps(redactor(json.loads(ln)), ensure_ascii=False)
                             if ln.strip() else ln for ln in lines)
        except ValueError:
            pass
    return redactor.text(text)
