"""pytest plugin of the coverage-map run: names the running scenario for the service's coverage.

Loaded with ``-p context_plugin`` by ``coverage_map.py`` only. Each test's node id goes to the
file the service's coverage hook follows (``covhook/sitecustomize.py``), with a pause so the
switch lands before the test's first request; between tests the label is empty.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

SETTLE_S = 0.03


def _label(text: str) -> None:
    path = os.environ["CSC_MUTATION_CONTEXT_FILE"]
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(path + ".tmp", path)
    time.sleep(SETTLE_S)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    _label(item.nodeid)
    yield
    _label("")
