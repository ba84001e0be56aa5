"""Wires the suite into pytest: the suite plugin, the reports plugin and the shared steps.

Steps are star-imported so that pytest-bdd sees every step as a fixture from every test module.
"""

import importlib.util

pytest_plugins = ["cscsuite.plugin"]
if importlib.util.find_spec("cscsuite.reporting.plugin") is not None:
    pytest_plugins.append("cscsuite.reporting.plugin")

if importlib.util.find_spec("steps") is not None:
    from steps import *  # noqa: F403
