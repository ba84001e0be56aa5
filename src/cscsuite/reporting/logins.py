"""The run's browser logins against its login budget.

Logins dominate a run's time. A scenario logs in when a login or an authorization is its subject
(``tags.about_login``); every other scenario uses the worker's shared token. So the run's logins
should not exceed the number of scenarios about a login (a replay scenario logs in twice, most
others once, the token cache a few times per worker), and they stay flat when scenarios about
something else are added.
"""

from __future__ import annotations

from typing import Any

from cscsuite import tags
from cscsuite.reporting.model import ScenarioResult

_NOT_RUN = ("skipped", "not run")


def figures(results: list[ScenarioResult]) -> dict[str, Any]:
    """Logins made, scenarios that made them, and the budget (scenarios about a login that ran)."""
    total = sum(r.logins for r in results)
    budget = sum(1 for r in results if r.outcome not in _NOT_RUN and tags.about_login(r.tags))
    return {"total": total,
            "scenarios_logging_in": sum(1 for r in results if r.logins),
            "scenarios_about_login": budget,
            "outside_subject": sum(r.logins for r in results if not tags.about_login(r.tags)),
            "within_budget": total <= budget}


def describe(figs: dict[str, Any]) -> str:
    """One line for the HTML report."""
    text = (f"{figs['total']} in {figs['scenarios_logging_in']} scenario instances; budget "
            f"{figs['scenarios_about_login']} (instances whose subject is a login or an "
            f"authorization)")
    if figs["outside_subject"]:
        text += f"; {figs['outside_subject']} in instances about something else"
    return text + ("" if figs["within_budget"] else " - OVER BUDGET")
