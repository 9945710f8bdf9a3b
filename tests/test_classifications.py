"""SBI 2008 and SBI 2025 as values, and the concordance between them (the bundled lists, built from CBS sources)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lshcli.concordance import LinkKind
from lshcli.concordance import load as concordance
from lshcli.errors import UnknownCodeError
from lshcli.sbi import load
from tests.conftest import invoke

SBI2008, SBI2025 = load("sbi2008"), load("sbi2025")


def links(code: str, source: str = "sbi2008") -> dict[str, tuple[LinkKind, tuple[str, ...]]]:
    found = concordance(SBI2008, SBI2025).links(code, source)
    return {x.other: (x.kind, x.siblings) for x in found}


def test_sbi2008_is_the_cbs_list_with_dutch_and_english_titles() -> None:
    assert len(SBI2008.entries) == 1455
    levels = [e.level for e in SBI2008.entries.values()]
    assert [levels.count(x) for x in ("section", "division", "group", "class", "subclass")] == [21, 86, 266, 604, 478]
    assert all(e.title_nl and e.title_en for e in SBI2008.entries.values())
    assert "01.12" not in SBI2008  # a NACE class SBI 2008 never used
    assert SBI2008.entries["72.11.2"].section == "M"


def test_sbi2025_has_every_code_with_its_notations() -> None:
    assert len(SBI2025.entries) == 1954
    assert all(e.title_nl and e.title_en for e in SBI2025.entries.values())
    assert SBI2025.parse("21100") == "21.10.0" == SBI2025.parse("21.10.0")
    assert SBI2025.notations("21.10.0") == {
        "code": "21.10.0",
        "digits": "21100",
        "subclass": "21.10.0",
        "class": "21.10",
        "group": "21.1",
        "division": "21",
        "section": "C",
    }
    assert SBI2025.entries["72"].section == "N" and SBI2008.entries["72"].section == "M"
    assert SBI2025.children["72.10"] == ["72.10.0"]


def test_a_code_of_the_other_classification_says_so() -> None:
    with pytest.raises(UnknownCodeError, match="72.10.0 is an SBI 2025 code, not an SBI 2008 code"):
        SBI2008.parse("72100")
    with pytest.raises(UnknownCodeError, match="72.11.2 is an SBI 2008 code, not an SBI 2025 code"):
        SBI2025.parse("72.11.2")
    with pytest.raises(UnknownCodeError, match="not an SBI 2025 code; did you mean 21.10"):
        SBI2025.parse("21.19")


def test_the_lsh_codes_cross_the_break_as_published() -> None:
    assert links("21.10") == {"21.10.0": (LinkKind.SAME, ())}
    assert set(links("46.46.1")) == {"46.46.1"} and set(links("46.46.2")) == {"46.46.2"}
    kind, holds = links("72.11.2")["72.10.0"]
    assert kind is LinkKind.WITHIN
    assert set(holds) == {"72.11.1", "72.11.3", "72.19.1", "72.19.2", "72.19.3", "72.19.9"}
    assert links("72.19.3")["72.10.0"][0] is LinkKind.WITHIN
    assert {code: kind for code, (kind, _) in links("32.50").items()} == {
        "26.60": LinkKind.SPLIT_SHARED,
        "32.50": LinkKind.SPLIT_SHARED,
        "20.59": LinkKind.DISPUTED,  # the Romanian table's link, kept and never used
    }
    assert links("32.50")["32.50"][1] == ("32.99",)  # 2.1 32.50 also takes in part of 32.99
    assert links("72.10.0", "sbi2025")["72.11.2"][0] is LinkKind.SPLIT  # read backwards, within is a split


@pytest.mark.slow
def test_every_sbi2008_code_has_a_link_and_sbi2025_codes_without_one_are_nace_2_classes_sbi_never_used() -> None:
    table = concordance(SBI2008, SBI2025)
    for sbi, name in ((SBI2008, "sbi2008"), (SBI2025, "sbi2025")):
        orphans = [c for c in sbi.entries if not sbi.children[c] and not table.links(c, name)]
        if name == "sbi2008":
            assert orphans == []
        else:  # 46.89, which NACE Rev. 2.1 made new, has no pair in Eurostat's table: the one code left alone
            assert orphans == ["46.89.0"]


@pytest.mark.parametrize(
    ("new", "host"),
    [("01.12.0", "01.11"), ("08.11.0", "08.12"), ("01.14.0", "01.19"), ("05.10.0", "08.99"), ("51.22.0", "51.21")],
)
def test_a_nace_class_sbi_2008_did_not_use_comes_from_the_class_that_took_it_in(new: str, host: str) -> None:
    """Rice (NACE 01.12) sat in SBI 2008 01.11, whose NACE title excludes rice and whose SBI title no longer does;
    stone (08.11) in 08.12, the group's only class; coal (05.10) in 08.99, section B's class 'n.e.c.'."""
    links = concordance(SBI2008, SBI2025).links(new, "sbi2025")
    assert links and {x.other for x in links} <= SBI2008.leaves(host) and {x.basis.value for x in links} == {"title"}
    assert "(except rice)" not in SBI2008.entries["01.11"].title_en


def test_subclasses_of_a_class_nace_lacks_follow_their_titles() -> None:
    """86.92.4 (medical laboratories) is 86.91.0 (imaging and laboratories), not ambulances, midwives and
    psychologists; Eurostat's own splits (32.50 over 26.60 and 32.50) are never narrowed by titles."""
    table = concordance(SBI2008, SBI2025)
    assert [(x.other, x.basis.value) for x in table.links("86.92.4", "sbi2008")] == [("86.91.0", "title")]
    assert {x.other for x in table.links("86.92.5", "sbi2008")} == {"86.92.0"}  # ambulances
    assert {x.other for x in table.links("86.91.1", "sbi2008")} == {"86.94.1"}  # midwives
    assert {x.other for x in table.links("32.50.2", "sbi2008") if x.kind.value != "disputed"} >= {"26.60.0"}
    told = " ".join(invoke(["sbi", "86.92.4", "--to", "sbi2025"]).stdout.split())
    assert "86.92.4 is 86.91.0 (86910) in SBI 2025" in told and "from the titles of the codes" in told
    assert "split" not in told


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_sbi_to_sbi2025_in_every_format(fmt: str) -> None:
    result = invoke(["sbi", "72.11.2", "21.10", "32.50", "--to", "sbi2025", "-f", fmt])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        records = json.loads(out)
        wider = next(r for r in records if r["code"] == "72.11.2")
        assert wider["to"] == "72.10.0" and wider["kind"] == "within" and "72.19.9" in wider["also_holds"]
        same = next(r for r in records if r["code"] == "21.10")
        assert (same["to"], same["to_digits"], same["kind"]) == ("21.10.0", "21100", "same")
        assert {r["to"] for r in records if r["code"] == "32.50"} == {"26.60", "32.50", "20.59"}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {(r["code"], r["to"], r["kind"]) for r in rows} >= {("72.11.2", "72.10.0", "within")}
    else:
        assert "72.10.0" in out and "21.10.0" in out and "26.60" in out
    if fmt in ("table", "markdown"):
        assert "lies within 72.10.0 (72100)" in " ".join(out.split())


def test_sbi_looks_up_an_sbi2025_code_and_goes_back() -> None:
    result = invoke(["sbi", "72100", "-c", "sbi2025", "-f", "json"])
    (record,) = json.loads(result.stdout)
    assert record["code"] == "72.10.0" and record["classification"] == "sbi2025" and record["parents"][-1] == "N"
    back = json.loads(invoke(["sbi", "72.10.0", "-c", "sbi2025", "--to", "sbi2008", "-f", "json"]).stdout)
    assert {r["to"] for r in back} == {"72.11.1", "72.11.2", "72.11.3", "72.19.1", "72.19.2", "72.19.3", "72.19.9"}


def test_sbi_refuses_an_unknown_classification_and_the_same_one_twice() -> None:
    assert invoke(["sbi", "21.10", "-c", "sbi1993"]).exit_code == 2
    assert invoke(["sbi", "21.10", "--to", "sbi2008"]).exit_code == 2
    wrong = invoke(["sbi", "72.10.0"])
    assert wrong.exit_code == 1 and "72.10.0 is an SBI 2025 code" in wrong.stderr
