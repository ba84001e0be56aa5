"""Version adapters: ``make_adapter("v1" | "v2", http, csc_base_url)`` gives a ``CscApi``."""

from __future__ import annotations

import re

from cscsuite.adapters.base import CscApi, HttpClient
from cscsuite.adapters.v1 import V1Adapter
from cscsuite.adapters.v2 import V2Adapter

_VERSIONED = re.compile(r"/csc/v\d+$")


def csc_method_base(version: str, csc_base_url: str) -> str:
    """``{base}/csc/{version}``; a URL that already ends in ``/csc/vN`` is kept as it is."""
    base = csc_base_url.rstrip("/")
    return base if _VERSIONED.search(base) else f"{base}/csc/{version}"


def make_adapter(version: str, http: HttpClient, csc_base_url: str) -> CscApi:
    """The adapter for ``version``; ``csc_base_url`` is the service root or the versioned base."""
    adapters: dict[str, type[V1Adapter] | type[V2Adapter]] = {"v1": V1Adapter, "v2": V2Adapter}
    if version not in adapters:
        raise ValueError(f"unknown CSC API version {version!r} (expected v1 or v2)")
    return adapters[version](http, csc_method_base(version, csc_base_url))


__all__ = ["V1Adapter", "V2Adapter", "csc_method_base", "make_adapter"]
