"""Reading a CSC JSON request body with the spec's exact error descriptions (spec-notes §3)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from flask import request

from cscsandbox import defects
from cscsandbox.errors import CscError, invalid_request

_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")


def json_body(*, require_json: bool = True) -> Params:
    """The request's JSON object; an empty body counts as ``{}``."""
    raw = request.get_data(cache=True)
    if require_json and not request.is_json:
        raise invalid_request("Content-Type must be application/json")
    if not raw.strip():
        return Params({})
    try:
        parsed = json.loads(raw)
    except (ValueError, RecursionError):
        if defects.active("malformed-json-500"):
            raise RuntimeError("malformed JSON body") from None
        raise invalid_request("Malformed JSON request body") from None
    if not isinstance(parsed, dict):
        raise invalid_request("The request body must be a JSON object")
    return Params(parsed)


def decode_base64(text: str) -> bytes | None:
    """Strict RFC 4648 base64 (no line breaks, padding required); None if not valid."""
    if not _BASE64.fullmatch(text):
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


class Params:
    """Typed access to a request body; every mistake is a 400 invalid_request."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def string(self, name: str) -> str:
        value = self.data.get(name)
        if not isinstance(value, str):
            raise invalid_request(f"Missing (or invalid type) string parameter {name}")
        return value

    def optional_string(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise invalid_request(f"Invalid parameter {name}")
        return value

    def integer(self, name: str) -> int:
        value = self.data.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise invalid_request(f"Missing (or invalid type) integer parameter {name}")
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise invalid_request(f"Invalid parameter {name}")
        return value

    def string_array(self, name: str) -> list[str]:
        """An array of strings (the hash lists); the non-string case is a base64 error."""
        value = self.data.get(name)
        if not isinstance(value, list):
            raise invalid_request(f"Missing (or invalid type) array parameter {name}")
        if not value:
            raise invalid_request("Empty hash array")
        if not all(isinstance(item, str) for item in value):
            raise invalid_request("Invalid Base64 hash string parameter")
        return value

    def digests(self, name: str) -> list[bytes]:
        """A non-empty array of standard-base64 digests."""
        decoded = [decode_base64(item) for item in self.string_array(name)]
        if any(item is None for item in decoded):
            raise invalid_request("Invalid Base64 hash string parameter")
        return [item for item in decoded if item is not None]

    def client_data(self) -> str | None:
        """``clientData`` is an optional free string [CSC1 §7.5]."""
        return self.optional_string("clientData")


def not_implemented(method: str) -> CscError:
    return CscError(501, "not_implemented", f"The method {method} is not implemented")
