"""Checks on clientData and the hints PrimeSign reads from it (CSC1 §7.5; spec-notes §1.3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cscsuite.checks.base import clause, expect


@clause("CSC1-7.5", "clientTransactionId is recorded for every step of the transaction")
def check_audit_trail(events: Sequence[Mapping[str, Any]], transaction_id: str,
                      needed: Iterable[str], *, evidence: str | None = None) -> None:
    mine = [e for e in events if _mentions(e, transaction_id)]
    kinds = " ".join(str(e.get("event", "")) for e in mine).lower()
    missing = [n for n in needed if n.lower() not in kinds]
    expect(bool(mine) and not missing, list(needed),
           f"events {[e.get('event') for e in mine]}; missing {missing}", evidence,
           requirement="The audit trail shows the transaction for every step")


def _mentions(event: Mapping[str, Any], transaction_id: str) -> bool:
    return transaction_id in (str(v) for v in _flatten(event))


def _flatten(value: Any) -> Iterable[Any]:
    if isinstance(value, Mapping):
        for v in value.values():
            yield from _flatten(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _flatten(v)
    else:
        yield value


@clause("PS-seed", "clientData amr_hint=eid leads the signer straight to the eID login")
def check_eid_login_offered(visited: Sequence[str], marker: str, *,
                            evidence: str | None = None) -> None:
    """The eID page must be the first page the login shows: a login recipe that picks eID on
    the password page would reach it anyway, so merely seeing it proves nothing of the hint."""
    first = visited[0] if visited else "no page"
    expect(marker in first, f"first login page with {marker!r} in its address",
           f"first page {first} (pages: {list(visited)})", evidence,
           requirement="The eID hint opens the eID login without the signer choosing it")
