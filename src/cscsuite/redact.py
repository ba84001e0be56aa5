"""The one redaction function of the suite.

Everything that leaves the process (evidence files, logs, reports, the sandbox log) passes through
``REDACTOR``. It removes two kinds of secrets: values the suite knows (profile secrets, tokens
learned at run time) wherever they appear, and values of sensitive fields by name, in JSON, dicts,
query strings, form bodies and HTTP headers. Over-redaction is acceptable; a leak is not.
"""

from __future__ import annotations

import base64
import bisect
import itertools
import logging
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"

#: Field, parameter and header names whose values are always secret (compared case-insensitively).
SENSITIVE_NAMES: frozenset[str] = frozenset({
    "client_secret", "password", "code", "access_token", "refresh_token", "id_token", "sad",
    "account_token", "authorization", "proxy-authorization", "code_verifier", "otp", "pin",
    "one_time_code", "one-time code", "client_assertion", "cookie", "set-cookie",
})

#: Shorter known values (a 4-digit PIN) would mangle unrelated text such as port numbers; they
#: are still caught by field name (``"PIN": ...``, ``pin=...``).
_MIN_VALUE_LEN = 6

_NAMES_RE = "|".join(re.escape(n) for n in sorted(SENSITIVE_NAMES, key=len, reverse=True)
                     if " " not in n)
# key=value in query strings and form bodies (not ``code_challenge=`` nor ``error_code=``).
_PARAM_RE = re.compile(rf"(?<![\w-])({_NAMES_RE})=([^&#\s\"']*)", re.IGNORECASE)
# "key": "value" in JSON text.
_JSON_RE = re.compile(rf"(\"(?:{_NAMES_RE})\"\s*:\s*)\"((?:[^\"\\]|\\.)*)\"", re.IGNORECASE)
# Authorization-style credentials in free text.
_AUTH_RE = re.compile(r"\b(Bearer|Basic|SAD|DPoP)\s+[A-Za-z0-9._~+/=-]{8,}")
# user:password@ in URLs.
_USERINFO_RE = re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+@")
_HEADER_RE = re.compile(r"(?im)^((?:proxy-)?authorization|cookie|set-cookie)\s*:\s*.+$")


class Redactor:
    """Known secret values plus sensitive field names; thread-safe, process-wide."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        # The known values longest first, and their lengths negated (ascending, for bisect): one
        # tuple, replaced whole, so a reader in another thread never mixes two generations.
        self._ordered: tuple[list[str], list[int]] = ([], [])
        self.add(*values)

    def add(self, *values: object) -> None:
        """Learn secret values (and their URL-encoded and base64 forms)."""
        with self._lock:
            for value in values:
                if not isinstance(value, str) or len(value) < _MIN_VALUE_LEN:
                    continue
                raw = value.encode()
                variants = {value, quote(value, safe=""), quote_plus(value),
                            base64.b64encode(raw).decode().rstrip("="),
                            base64.urlsafe_b64encode(raw).decode().rstrip("=")}
                self._values.update(v for v in variants if len(v) >= _MIN_VALUE_LEN)
            ordered = sorted(self._values, key=len, reverse=True)
            self._ordered = (ordered, [-len(v) for v in ordered])

    def known(self, value: str) -> bool:
        return value in self._values

    def text(self, text: str) -> str:
        """Redact a string: known values, then name-based patterns. A run learns thousands of
        values and redacts tens of thousands of mostly short strings, so only the values that
        fit in ``text`` are looked for."""
        ordered, negative_lengths = self._ordered
        start = bisect.bisect_left(negative_lengths, -len(text))
        for value in itertools.islice(ordered, start, None):
            if value in text:
                text = text.replace(value, MASK)
        text = _USERINFO_RE.sub(f"{MASK}@", text)
        text = _HEADER_RE.sub(lambda m: f"{m.group(1)}: {MASK}", text)
        text = _AUTH_RE.sub(lambda m: f"{m.group(1)} {MASK}", text)
        text = _JSON_RE.sub(lambda m: f'{m.group(1)}"{MASK}"' if m.group(2) else m.group(0), text)
        return _PARAM_RE.sub(lambda m: f"{m.group(1)}={MASK}" if m.group(2) else m.group(0), text)

    def bytes(self, data: bytes) -> bytes:
        try:
            return self.text(data.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            for value in self._ordered[0]:
                data = data.replace(value.encode(), MASK.encode())
            return data

    def __call__(self, obj: Any) -> Any:
        """Redact any JSON-like structure, string or bytes; returns a redacted copy."""
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, bytes | bytearray):
            return self.bytes(bytes(obj))
        if isinstance(obj, Mapping):
            return {k: self._field(k, v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [self(v) for v in obj]
        return obj

    def _field(self, name: object, value: Any) -> Any:
        if isinstance(name, str) and name.lower() in SENSITIVE_NAMES and value not in (None, ""):
            return MASK
        return self(value)


#: The process-wide redactor. The plugin feeds it the profile's secrets at start-up.
REDACTOR = Redactor()


def redact(obj: Any) -> Any:
    """Redact with the process-wide redactor (the function every writer calls)."""
    return REDACTOR(obj)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message before any handler sees it."""

    def __init__(self, redactor: Redactor = REDACTOR) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor.text(record.getMessage())
        record.args = None
        return True
