"""The merge of a pôle's perimeter (graph/merge.py ``merged_perimeter``): the precise readings
before the approximate ones, a coarse reading that only encloses a finer one set aside, the union
of the rest, and the merged record saying how it was obtained."""

from __future__ import annotations

from maillage.graph.merge import merge_statements, merged_perimeter
from maillage.graph.model import Actor, PoleInfo, Provenance


def said(ids, read=None, text=None) -> PoleInfo:
    return PoleInfo(perimeter=ids, perimeter_read=read, perimeter_text=text)


def pole(key: str, info: PoleInfo) -> Actor:
    return Actor(key=key, name="PTCE Test", family="pole", pole=info, provenance=Provenance(source="s"))


def test_an_approximate_reading_does_not_widen_an_exact_one():
    ids, read, text = merged_perimeter([said(["departement:31"], "approximate", "sud-est toulousain"),
                                        said(["epci:243100633"], "exact", "Sicoval")])
    assert (ids, read, text) == (["epci:243100633"], "exact", "Sicoval")


def test_approximate_readings_count_when_nothing_is_better_and_say_so():
    ids, read, _ = merged_perimeter([said(["departement:84"], "approximate"), said([], None, "Luberon")])
    assert (ids, read) == (["departement:84"], "approximate")


def test_two_exact_readings_that_disagree_are_both_kept():
    ids, read, _ = merged_perimeter([said(["departement:31"], "exact"), said(["departement:84"], "exact")])
    assert (ids, read) == (["departement:31", "departement:84"], "exact")
    # a stated perimeter and an exact reading are as precise: the union, marked as read from a text
    ids, read, _ = merged_perimeter([said(["departement:31"], "stated"), said(["departement:84"], "exact")])
    assert (ids, read) == (["departement:31", "departement:84"], "exact")


def test_a_coarse_reading_enclosing_a_finer_one_is_set_aside():
    # Grand Est around the Ardennes (ARDAINES); a former région's départements around one of them
    assert merged_perimeter([said(["region:44"], "exact"), said(["departement:08"], "exact")])[0] == ["departement:08"]
    limousin = ["departement:19", "departement:23", "departement:87"]
    assert merged_perimeter([said(limousin, "exact"), said(["departement:23"], "exact")])[0] == ["departement:23"]
    # a commune and the EPCI around it are both kept: the seat and the intercommunality
    assert merged_perimeter([said(["epci:243100633"], "exact"), said(["commune:31446"], "exact"),
                             said(["departement:31"], "exact")])[0] == ["commune:31446", "epci:243100633"]
    # one statement naming a région and a commune in it is that source's perimeter: kept whole
    assert merged_perimeter([said(["commune:31446", "region:76"], "stated")])[0] == ["commune:31446", "region:76"]
    # neighbours are not enclosed: both kept
    assert merged_perimeter([said(["departement:31"], "exact"), said(["departement:81"], "exact")])[0] == [
        "departement:31", "departement:81"]


def test_old_statements_without_the_field_are_merged_as_before():
    ids, read, _ = merged_perimeter([said(["departement:31"]), said(["departement:84"])])
    assert (ids, read) == (["departement:31", "departement:84"], None)
    assert merged_perimeter([]) == ([], None, None)


def test_a_text_no_territory_matches_is_still_the_merged_text():
    assert merged_perimeter([said([], None, "Lille métropole")]) == ([], None, "Lille métropole")


def test_the_merged_pole_carries_the_rule_s_result():
    view = merge_statements("p", [("a", pole("x", said(["departement:31"], "approximate", "sud-est toulousain"))),
                                  ("b", pole("x", said(["epci:243100633"], "exact", "Sicoval")))])
    assert (view.pole.perimeter, view.pole.perimeter_read, view.pole.perimeter_text) == (
        ["epci:243100633"], "exact", "Sicoval")
    # a pôle of one statement keeps how its perimeter was obtained
    one = merge_statements("p", [("a", pole("x", said(["departement:84"], "approximate", "Pays d'Apt")))])
    assert one.pole.perimeter_read == "approximate"


def test_the_field_takes_only_the_three_kinds():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        PoleInfo(perimeter=["departement:31"], perimeter_read="guessed")


def test_the_module_examples_hold():
    import doctest

    from maillage.graph import merge

    result = doctest.testmod(merge)
    assert result.attempted >= 8 and result.failed == 0
