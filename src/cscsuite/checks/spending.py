"""Checks on spending an authorization (SAD): over several calls, and never in part (CSC1 §9,
§11.7, §11.9; spec-notes §10 items 80 and 83)."""

from __future__ import annotations

from cscsuite.adapters.base import ApiResponse
from cscsuite.checks.base import clause, expect, should
from cscsuite.checks.errors import shown


@should
@clause("CSC1-11.7", "A SAD for N signatures stays usable until N are signed, also over several "
        "signHash calls: the RSSP invalidates it once the authorized count is reached")
def check_rest_signed(resp: ApiResponse, *, evidence: str | None = None) -> None:
    expect(resp.status == 200, "HTTP 200: what is left of the authorization signs",
           shown(resp), evidence)


@clause("CSC1-11.9", "A refused signHash signs nothing: a batch is signed as a whole or not "
        "at all")
def check_no_signatures(resp: ApiResponse, *, evidence: str | None = None) -> None:
    sigs = resp.field("signatures")
    expect(not sigs, "no signature values in the refusal",
           f"{len(sigs) if isinstance(sigs, list) else 'some'} signature value(s) with "
           f"{shown(resp)}", evidence)
