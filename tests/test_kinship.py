"""The statutory kinship set (公务员回避规定 Art. 5; domain.md "Statutory kinship") on one
multi-generation family around ego E, without a database: every listed relation is found
with its category and Chinese name, the relations just outside are not, and marriages
count only between their start (inclusive) and end (exclusive) dates."""

from __future__ import annotations

from datetime import date

import pytest

from riskgraph.kinship import Family

DAY = date(2024, 6, 1)

PERSONS = {   # id: (gender, birth year)
    "E": ("M", 1970),
    # grandparents both sides and a great-grandfather
    "PGF": ("M", 1915), "PGM": ("F", 1918), "MGF": ("M", 1916), "MGM": ("F", 1919),
    "GGF": ("M", 1890), "GU": ("M", 1913), "GUC": ("M", 1940), "GUCC": ("F", 1969),
    # parents, their siblings and the siblings' families
    "F": ("M", 1940), "M": ("F", 1942), "FB": ("M", 1938), "FBW": ("F", 1939),
    "FBS": ("M", 1968), "FBSW": ("F", 1969), "FBSC": ("M", 1995),
    "MZ": ("F", 1945), "MZH": ("M", 1944), "MZD": ("F", 1972),
    # siblings (full, half, recorded only as siblings) and their families
    "B": ("M", 1968), "BW": ("F", 1969), "BWF": ("M", 1940),
    "BS1": ("M", 1992), "BS1W": ("F", 1993), "BS1S": ("M", 2018),
    "OW": ("F", 1950), "HS": ("F", 1975), "HSD": ("F", 2000),
    "XS": ("F", 1973), "XSH": ("M", 1972),
    # spouse, ex-spouse and the spouse's family
    "W": ("F", 1972), "EX": ("F", 1971), "WF": ("M", 1945), "WM": ("F", 1947),
    "WGF": ("M", 1920), "WZ": ("F", 1975), "WZH": ("M", 1974), "WFB": ("M", 1943),
    "WC": ("F", 1971),
    # children and grandchildren both sides, children's spouses and their parents
    "S": ("M", 1996), "SW": ("F", 1997), "SWF": ("M", 1968), "SS": ("M", 2021),
    "SSS": ("M", 2023), "D": ("F", 1998), "DH": ("M", 1997), "DD": ("F", 2022),
}
PARENTS = [
    ("GGF", "PGF"), ("GGF", "GU"), ("GU", "GUC"), ("GUC", "GUCC"),
    ("PGF", "F"), ("PGM", "F"), ("PGF", "FB"), ("MGF", "M"), ("MGM", "M"),
    ("FB", "FBS"), ("FBS", "FBSC"), ("MZ", "MZD"),
    ("F", "E"), ("M", "E"), ("F", "B"), ("M", "B"), ("F", "HS"), ("OW", "HS"),
    ("HS", "HSD"), ("B", "BS1"), ("BS1", "BS1S"), ("BWF", "BW"),
    ("WF", "W"), ("WM", "W"), ("WF", "WZ"), ("WGF", "WF"), ("WFB", "WC"),
    ("E", "S"), ("W", "S"), ("E", "D"), ("W", "D"), ("S", "SS"), ("SS", "SSS"),
    ("D", "DD"), ("SWF", "SW"),
]
SIBLINGS = [("M", "MZ"), ("E", "XS"), ("WF", "WFB")]   # recorded only as siblings
SPOUSES = [   # (a, b, start, end)
    ("F", "M", "1965-01-01", None), ("FB", "FBW", "1962-01-01", None),
    ("FBS", "FBSW", "1993-01-01", None), ("MZ", "MZH", "1968-01-01", None),
    ("B", "BW", "1992-01-01", None), ("BS1", "BS1W", "2016-01-01", None),
    ("XS", "XSH", "1998-01-01", None), ("F", "OW", "1974-01-01", "1980-01-01"),
    ("E", "EX", "1990-01-01", "1994-01-01"), ("E", "W", "1995-01-01", None),
    ("WZ", "WZH", "2000-01-01", None), ("S", "SW", "2020-01-01", None),
    ("D", "DH", "2021-01-01", None),
]


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@pytest.fixture(scope="module")
def fam() -> Family:
    f = Family()
    for pid, (gender, year) in PERSONS.items():
        f.add_person(pid, gender, date(year, 1, 1))
    for parent, child in PARENTS:
        f.add_parent(parent, child)
    for a, b in SIBLINGS:
        f.add_sibling(a, b)
    for a, b, start, end in SPOUSES:
        f.add_spouse(a, b, _d(start), _d(end))
    return f


STATUTORY = [   # (relative of E, walk, category, Chinese name)
    ("W", "S", "spouse", "配偶"),
    # 直系血亲
    ("PGF", "PP", "lineal", "父亲的父亲"), ("PGM", "PP", "lineal", "父亲的母亲"),
    ("MGF", "PP", "lineal", "母亲的父亲"), ("MGM", "PP", "lineal", "母亲的母亲"),
    ("F", "P", "lineal", "父亲"), ("M", "P", "lineal", "母亲"),
    ("S", "C", "lineal", "儿子"), ("D", "C", "lineal", "女儿"),
    ("SS", "CC", "lineal", "儿子的儿子"), ("DD", "CC", "lineal", "女儿的女儿"),
    # 三代以内旁系血亲
    ("FB", "PB", "collateral", "父亲的哥哥"), ("MZ", "PB", "collateral", "母亲的妹妹"),
    ("B", "B", "collateral", "哥哥"), ("HS", "B", "collateral", "妹妹"),
    ("XS", "B", "collateral", "妹妹"),
    ("FBS", "PBC", "collateral", "父亲的哥哥的儿子"), ("MZD", "PBC", "collateral", "母亲的妹妹的女儿"),
    ("BS1", "BC", "collateral", "哥哥的儿子"), ("HSD", "BC", "collateral", "妹妹的女儿"),
    # 近姻亲
    ("WF", "SP", "in_law", "配偶的父亲"), ("WM", "SP", "in_law", "配偶的母亲"),
    ("WZ", "SB", "in_law", "配偶的妹妹"), ("WZH", "SBS", "in_law", "配偶的妹妹的丈夫"),
    ("SW", "CS", "in_law", "儿子的妻子"), ("DH", "CS", "in_law", "女儿的丈夫"),
    ("SWF", "CSP", "in_law", "儿子的妻子的父亲"),
    ("FBW", "PBS", "in_law", "父亲的哥哥的妻子"), ("MZH", "PBS", "in_law", "母亲的妹妹的丈夫"),
    ("BW", "BS", "in_law", "哥哥的妻子"), ("XSH", "BS", "in_law", "妹妹的丈夫"),
    ("FBSW", "PBCS", "in_law", "父亲的哥哥的儿子的妻子"),
    ("BS1W", "BCS", "in_law", "哥哥的儿子的妻子"),
]
OUTSIDE = {
    "GUCC": "second cousin", "GU": "grandparent's sibling", "GGF": "great-grandparent",
    "SSS": "great-grandchild", "BS1S": "grand-nephew", "FBSC": "first cousin's child",
    "WGF": "spouse's grandparent", "BWF": "sibling's spouse's parent", "WC": "spouse's cousin",
    "EX": "ex-spouse after the divorce", "OW": "father's ex-wife (no child of hers is E)",
}


@pytest.mark.parametrize(("pid", "walk", "category", "name"), STATUTORY, ids=[s[0] for s in STATUTORY])
def test_every_statutory_relation_is_found_and_named(fam, pid, walk, category, name):
    rel = fam.relation("E", pid, DAY)
    assert rel is not None, f"{pid} should be a statutory relative of E"
    assert (rel.walk, rel.category, rel.name) == (walk, category, name)
    assert rel.persons[0] == "E" and rel.persons[-1] == pid


@pytest.mark.parametrize("pid", sorted(OUTSIDE), ids=lambda p: f"{p}-{OUTSIDE[p]}")
def test_relations_just_outside_the_statute_are_not_found(fam, pid):
    assert fam.relation("E", pid, DAY) is None


def test_relatives_is_exactly_the_statutory_set(fam):
    assert set(fam.relatives("E", DAY)) == {pid for pid, *_ in STATUTORY}


def test_category_names_and_close_family(fam):
    rels = fam.relatives("E", DAY)
    assert rels["WZH"].category_zh == "近姻亲" and rels["FBS"].category_zh == "三代以内旁系血亲"
    assert {p for p, r in rels.items() if r.close_family} == {"W", "S", "D", "SW", "DH"}


def test_a_half_sibling_goes_through_the_common_parent(fam):
    rel = fam.relation("E", "HS", DAY)
    assert rel.path[0].via == "F" and rel.persons == ["E", "F", "HS"]


def test_divorce_end_date_is_exclusive(fam):
    assert fam.relation("E", "EX", date(1993, 12, 31)).category == "spouse"
    assert fam.relation("E", "EX", date(1994, 1, 1)) is None
    # the ex-spouse's relatives go with her
    assert fam.relation("E", "WF", date(1993, 12, 31)) is None


def test_marriage_start_date_is_inclusive(fam):
    assert fam.relation("E", "W", date(1994, 12, 31)) is None      # married later
    assert fam.relation("E", "WF", date(1994, 12, 31)) is None
    assert fam.relation("E", "W", date(1995, 1, 1)).walk == "S"
    # a child's marriage decides the child's spouse and the spouse's parents
    assert fam.relation("E", "SW", date(2019, 12, 31)) is None
    assert fam.relation("E", "SWF", date(2019, 12, 31)) is None
    assert fam.relation("E", "SWF", date(2020, 1, 1)).walk == "CSP"


def test_the_relation_is_seen_from_the_other_side_too(fam):
    assert fam.relation("WZH", "E", DAY).name == "配偶的姐姐的丈夫"
    assert fam.relation("SS", "E", DAY).walk == "PP"
