"""Small builders for the check unit tests (no service needed)."""

from __future__ import annotations

from typing import Any

from cscsuite.adapters.base import ApiResponse

#: A profile for stand-alone pytest projects that never reach a target (tests/suite subprocesses).
OFFLINE_PROFILE = """
base_url = "http://127.0.0.1:9"
api_versions = ["v1", "v2"]
[clients.main]
client_id = "c"
redirect_uri = "https://client.example/cb"
[identities.signer]
login = "none"
[login_recipes]
none = []
"""


def resp(status: int = 200, body: Any = None, headers: dict[str, str] | None = None) -> ApiResponse:
    """An ``ApiResponse`` as the adapters produce it."""
    hdrs = {"content-type": "application/json"} if headers is None else headers
    return ApiResponse(status=status, headers=hdrs, body=body, text="", url="http://t/x",
                       exchange_id=1)


def error(status: int, code: str) -> ApiResponse:
    return resp(status, {"error": code, "error_description": "whatever"})
