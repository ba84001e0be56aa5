"""Wires the shared steps into pytest.

The suite plugin and the reports plugin load by entry point (``pytest11`` in pyproject.toml),
before pytest parses the command line. ``pytest_plugins`` below is only a fallback for an
environment installed before the entry points existed (or run with plugin autoload off): a no-op
when the entry points loaded them, since they register under these very names.

Steps are star-imported so that pytest-bdd sees every step as a fixture from every test module.
"""

import importlib.util

pytest_plugins = ["cscsuite.plugin", "cscsuite.reporting.plugin"]

if importlib.util.find_spec("steps") is not None:
    from steps import *  # noqa: F403
