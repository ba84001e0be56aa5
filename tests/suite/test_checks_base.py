"""One way to cite a clause: ``@clause`` supplies clause and requirement to ``expect``/``fail``."""

from __future__ import annotations

import pytest

from cscsuite.checks.base import ConformanceError, clause, expect, fail


@clause("CSC1-11.9", "signHash returns one signature per hash")
def count_check(n: int, *, evidence: str | None = None) -> None:
    expect(n == 2, "2 signatures", f"{n} signatures", evidence)


@clause("CSC1-11.1", "info carries its fields")
def two_clause_check() -> None:
    expect(True, "x", "x")
    fail("an https URI", "http", ref="RFC8414-3", requirement="the issuer is https")


@clause("CSC1-10", "outer")
def outer_check() -> None:
    count_check(1)


@clause("CSC1-10", "A refusal carries the documented status")
def sub_requirement_check() -> None:
    expect(False, "HTTP 400", "HTTP 200", "ex-3", requirement="A refusal is a 4xx")


def raised(fn, *args, **kwargs) -> ConformanceError:
    with pytest.raises(ConformanceError) as exc:
        fn(*args, **kwargs)
    return exc.value


def test_clause_and_requirement_come_from_the_decorator() -> None:
    count_check(2)
    err = raised(count_check, 3, evidence="ex-1")
    assert (err.clause, err.requirement, err.expected, err.actual, err.evidence) == (
        "CSC1-11.9", "signHash returns one signature per hash", "2 signatures",
        "3 signatures", "ex-1")
    assert count_check.clause == "CSC1-11.9"  # type: ignore[attr-defined]


def test_a_second_clause_is_cited_explicitly() -> None:
    err = raised(two_clause_check)
    assert (err.clause, err.requirement) == ("RFC8414-3", "the issuer is https")


def test_a_nested_check_cites_its_own_clause_and_the_outer_one_is_restored() -> None:
    assert raised(outer_check).clause == "CSC1-11.9"
    assert raised(sub_requirement_check).clause == "CSC1-10"


def test_a_sub_requirement_keeps_the_clause() -> None:
    err = raised(sub_requirement_check)
    assert (err.clause, err.requirement, err.evidence) == ("CSC1-10", "A refusal is a 4xx", "ex-3")


def test_the_explicit_form_still_works_everywhere() -> None:
    err = raised(expect, False, "CSC1-7.5", "clientData never fails", "200", "500", "ex-9")
    assert (err.clause, err.requirement, err.expected, err.actual, err.evidence) == (
        "CSC1-7.5", "clientData never fails", "200", "500", "ex-9")
    err = raised(fail, "CSC1-7.5", "clientData never fails", "200", "500", evidence="ex-9")
    assert err.evidence == "ex-9"


def test_outside_a_check_the_clause_is_required() -> None:
    with pytest.raises(TypeError, match="@clause"):
        expect(False, "x", "y")
