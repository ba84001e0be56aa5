"""Per-scenario evidence: every HTTP exchange, attachments and notes, redacted on the way out.

Raw values stay in memory only, so that values learned later in the scenario (a token issued
after the request that carried it was recorded) are still redacted when the files are written.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cscsuite.redact import REDACTOR, Redactor

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 120


def safe_test_id(test_id: str) -> str:
    """A directory name for a pytest node id: readable, unique, bounded in length."""
    name = _UNSAFE.sub("_", test_id).strip("_.") or "test"
    if len(name) > _MAX_NAME:
        digest = hashlib.sha256(test_id.encode()).hexdigest()[:10]
        name = f"{name[:_MAX_NAME - 11]}-{digest}"
    return name


@dataclass
class Exchange:
    """One HTTP request and its answer (or the transport error instead of an answer)."""

    id: int
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: Any
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: Any = None
    elapsed_ms: float | None = None
    error: str | None = None
    started_at: float = field(default_factory=time.time)


class Evidence:
    """What one test did on the wire; ``write`` puts it under ``reports/evidence/<test-id>/``.

    ``reporting.paths`` uses the same ``safe_test_id``, so reports find the directory.
    """

    def __init__(self, test_id: str, reports_dir: str | Path = "reports",
                 redactor: Redactor = REDACTOR) -> None:
        self.test_id = test_id
        self.reports_dir = Path(reports_dir)
        self.redactor = redactor
        self.exchanges: list[Exchange] = []
        self.attachments: dict[str, bytes] = {}
        self.notes: list[str] = []
        #: The test's ``user_properties`` (set by the ``evidence`` fixture): facts go there too.
        self.properties: list[tuple[str, object]] = []
        self._lock = threading.Lock()

    @property
    def directory(self) -> Path:
        return self.reports_dir / "evidence" / safe_test_id(self.test_id)

    def ref(self, exchange_id: int | None = None) -> str:
        """How a check cites this evidence: ``reports/evidence/<id>/exchanges.json#3``."""
        base = str(self.directory / "exchanges.json")
        return base if exchange_id is None else f"{base}#{exchange_id}"

    def record_exchange(self, *, method: str, url: str, request_headers: dict[str, str],
                        request_body: Any, status: int | None = None,
                        response_headers: dict[str, str] | None = None,
                        response_body: Any = None, elapsed_s: float | None = None,
                        error: str | None = None) -> int:
        """Keep one exchange; returns its id (1-based, the ``#n`` of ``ref``)."""
        with self._lock:
            ex_id = len(self.exchanges) + 1
            self.exchanges.append(Exchange(
                ex_id, method, url, dict(request_headers), _storable(request_body), status,
                dict(response_headers or {}), _storable(response_body),
                None if elapsed_s is None else round(elapsed_s * 1000, 1), error))
            return ex_id

    def attach(self, name: str, data: bytes | str) -> None:
        """Keep a file (screenshot, trace, certificate); text is redacted when written."""
        self.attachments[_UNSAFE.sub("_", name)] = data.encode() if isinstance(data, str) else data

    def note(self, text: str) -> None:
        self.notes.append(text)

    def fact(self, label: str, value: str) -> None:
        """Record which of the answers a specification allows the target gave (e.g. ``PAR wrong
        method`` = ``405``): a note here, and a ``fact.<label>`` property the reports show with
        the scenario."""
        self.note(f"{label}: {value}")
        self.properties.append((f"fact.{label}", value))

    def redacted_exchanges(self) -> list[dict[str, Any]]:
        """The exchanges as JSON-ready dicts, redacted (also for report plugins)."""
        return [self.redactor(asdict(ex)) for ex in self.exchanges]

    def write(self, reports_dir: str | Path | None = None) -> Path:
        """Write exchanges.json (+ attachments) and return the directory."""
        if reports_dir is not None:
            self.reports_dir = Path(reports_dir)
        out = self.directory
        out.mkdir(parents=True, exist_ok=True)
        doc = {"test_id": self.test_id, "notes": [self.redactor.text(n) for n in self.notes],
               "exchanges": self.redacted_exchanges()}
        (out / "exchanges.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False))
        for name, data in self.attachments.items():
            (out / name).write_bytes(self._redact_attachment(name, data))
        return out

    def _redact_attachment(self, name: str, data: bytes) -> bytes:
        # Binary formats (zip traces, images, DER) cannot hold readable field names; known values
        # are still replaced byte-wise where they appear verbatim.
        return self.redactor.bytes(data)


def _storable(body: Any) -> Any:
    """Bodies as JSON-ready values: parsed JSON stays, bytes become text (or a size note)."""
    if isinstance(body, bytes | bytearray):
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            return f"<{len(body)} bytes of binary data>"
        try:
            return json.loads(text)
        except ValueError:
            return text
    return body
