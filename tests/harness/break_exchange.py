"""A pytest plugin for a suite subprocess: break the credential code exchange (CSC v1).

``CSC_HARNESS_BREAK=drop-sad``: the token endpoint's activation token (``token_type`` SAD) is
lost on its way to the suite, as a parser bug would lose it. ``fail-exchange``: the exchange
answers ``400 invalid_grant``, as a wrong client secret or redirect address would make it.
Service-token exchanges stay intact, so every scenario gets as far as its credential
authorization. Loaded with ``-p harness.break_exchange`` (``tests/`` on PYTHONPATH).
"""

from __future__ import annotations

import json
import os
from typing import Any

from cscsuite import oauth
from cscsuite.adapters.base import ApiResponse

_original = oauth.exchange_code


def _is_sad(resp: ApiResponse) -> bool:
    return resp.status == 200 and str(resp.field("token_type", "")).lower() == "sad"


def _broken_exchange(*args: Any, **kwargs: Any) -> ApiResponse:
    resp = _original(*args, **kwargs)
    if not _is_sad(resp):
        return resp
    if os.environ["CSC_HARNESS_BREAK"] == "drop-sad":
        body = {k: v for k, v in resp.body.items() if k != "access_token"}
        return ApiResponse(200, resp.headers, body, json.dumps(body), resp.url, resp.exchange_id)
    body = {"error": "invalid_grant", "error_description": "broken by the harness test"}
    return ApiResponse(400, resp.headers, body, json.dumps(body), resp.url, resp.exchange_id)


oauth.exchange_code = _broken_exchange
