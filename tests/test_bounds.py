"""Bounds where the exact cover fails: the tightest interval the figures allow, exact values by subtraction, and
figures that disagree. Core tests use invented figures; the headline tests use the bundled snapshot."""

from __future__ import annotations

import json

import pytest

from lshcli.compare import compare
from lshcli.definitions import DefinitionLibrary, search_dirs
from lshcli.explain import BoundedTotal, Derived, FigureSetAside, WithinRounding, comparison_notes
from lshcli.measures import MEASURES
from lshcli.model import Value
from lshcli.output.words import Words
from lshcli.query import Figurebook
from lshcli.sbi import load
from lshcli.store import Store
from tests.conftest import invoke, obs


@pytest.fixture
def mine(write_definition, monkeypatch: pytest.MonkeyPatch) -> DefinitionLibrary:  # type: ignore[no-untyped-def]
    """Invented definitions: 21.10 alone, 21.20 alone, and division 21."""
    path = write_definition("d2110", "title: 21.10\ncodes: ['21.10']\n")
    write_definition("d2120", "title: 21.20\ncodes: ['21.20']\n")
    write_definition("d21", "title: 21\ncodes: ['21']\n")
    return DefinitionLibrary(load(), search_dirs([path.parent]))


def test_the_headline_gap_is_an_interval_from_the_figures_jointly() -> None:
    result = invoke(["compare", "topsector", "pwc2017", "--year", "2016", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    (data,) = json.loads(result.stdout)
    b = data["total_b"]
    assert (b["value"], b["value_low"], b["value_high"], b["bound"]) == (None, 2290, 3255, True)
    assert b["binds_low"] == ["F001", "F002", "F007"] and "F016" in b["binds_high"]
    gap = data["difference"]
    assert (gap["value_low"], gap["value_high"], gap["bound"]) == (-815, 150, True)  # not -815 to +1,150
    assert gap["binds_low"] and gap["binds_high"]
    assert [x["ref"] for x in data["set_aside"]] == ["F017"]  # CBS's 3,075 against the parts' 3,105
    assert data["set_aside"][0]["allowed_low"] == data["set_aside"][0]["allowed_high"] == 3105
    said = " ".join(data["explanation"])
    assert "pwc2017 holds between 2,290 and 3,255 firms: 72.11.2 is only published together with 72.19.3" in said
    assert "lies between -815 and +150 firms" in said and "so the bounds set it aside" in said
    table = invoke(["compare", "topsector", "pwc2017", "--year", "2016"]).stdout
    assert "2,290 - 3,255" in table and "-815 - +150" in table


def test_jobs_of_a_definition_finer_than_the_data_are_bounded_by_the_divisions() -> None:
    result = invoke(["compare", "pwc2019", "topsector", "-m", "jobs", "--year", "2016", "-f", "json"])
    (data,) = json.loads(result.stdout)
    assert (data["total_b"]["value_low"], data["total_b"]["value_high"]) == pytest.approx((12.9, 183.8))
    assert set(data["total_b"]["binds_high"]) == {"F026", "F036", "F046", "F066"}


def test_a_class_is_exact_by_subtraction_and_says_so(mine: DefinitionLibrary, blank_store: Store) -> None:
    blank_store.add([obs("firms", "21", "2016Q1", 200, ref="D21"), obs("firms", "21.10", "2016Q1", 30, ref="C2110")])
    book = Figurebook(blank_store, load())
    c = compare(book, mine.get("d2110"), mine.get("d2120"), MEASURES["firms"], 2016)
    assert c.total_b.value == Value(170, 170) and c.total_b.derived
    assert {(o.ref, round(sign)) for o, sign in c.total_b.bound.terms} == {("D21", 1), ("C2110", -1)}  # type: ignore[union-attr]
    assert c.difference == Value(140, 140)
    notes = comparison_notes(c)
    derived = next(n for n in notes if isinstance(n, Derived))
    assert "d2120 is 170 firms, derived by subtraction: 21 (200) - 21.10 (30)" in Words().note(derived)


def test_value_added_has_no_invented_lower_bound(mine: DefinitionLibrary, blank_store: Store) -> None:
    blank_store.add([obs("value_added", "21", "2016", 50, ref="VA21")])
    blank_store.add([obs("firms", "21", "2016Q1", 50, ref="F21")])
    book = Figurebook(blank_store, load())
    added = book.value(mine.get("d2110"), MEASURES["value_added"], 2016)
    assert added.value is None and added.interval is None  # it may be negative: neither side is bounded
    assert added.bound is not None and added.bound.low is None and added.bound.high is None
    firms = book.value(mine.get("d2110"), MEASURES["firms"], 2016)
    assert firms.interval is not None and (firms.interval.low, firms.interval.high) == (0, 50)


def test_figures_that_disagree_are_named_with_the_amount_and_the_coarser_set_aside(
    mine: DefinitionLibrary, blank_store: Store
) -> None:
    blank_store.add(
        [
            obs("firms", "21", "2016Q1", 100, ref="WHOLE"),
            obs("firms", "21.10", "2016Q1", 30, ref="PART1"),
            obs("firms", "21.20+46.46", "2016Q1", 50, ref="PAIR"),  # says 21.20 is 40, where 21 - 21.10 says 70
            obs("firms", "46.46", "2016Q1", 10, ref="W"),
        ]
    )
    book = Figurebook(blank_store, load())
    c = compare(book, mine.get("d2110"), mine.get("d2120"), MEASURES["firms"], 2016)
    aside = list(c.set_aside)
    assert [x.figure.ref for x in aside] == ["PAIR"]  # beyond rounding; the coarsest figure is set aside
    assert (aside[0].allowed_low, aside[0].allowed_high) == (80, 80)  # 70 for 21.20 and 46.46's own 10
    assert c.total_b.value == Value(70, 70) and c.total_b.derived  # then 21.20 = 21 - 21.10
    text = " ".join(Words().notes(comparison_notes(c)))
    assert "A figure of 50 firms for 21.20+46.46 (snapshot PAIR) disagrees with the other figures" in text
    assert "which allow 80 firms: it is set aside" in text


def test_rounded_counts_stay_feasible_within_their_tolerance(mine: DefinitionLibrary, blank_store: Store) -> None:
    blank_store.add(
        [
            obs("firms", "21", "2016Q1", 100, ref="WHOLE"),
            obs("firms", "21.10", "2016Q1", 40, ref="PART1"),
            obs("firms", "21.10+21.20+72.11.2", "2016Q1", 99, ref="ALL"),  # holds all of 21's 100: 1 too few
        ]
    )
    book = Figurebook(blank_store, load())
    c = compare(book, mine.get("d2110"), mine.get("d2120"), MEASURES["firms"], 2016)
    notes = comparison_notes(c)
    assert c.set_aside == ()
    assert any(isinstance(n, WithinRounding) for n in notes)  # they agree only within +/-2 each
    bounded = c.total_b
    assert bounded.value is not None or bounded.interval is not None
    assert not any(isinstance(n, FigureSetAside) for n in notes)
    assert not any(isinstance(n, BoundedTotal) and n.low is None and n.high is None for n in notes)


def test_an_exact_cover_never_imports_the_solver() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from lshcli.cli import main; sys.argv = ['lsh', 'compare', 'pwc2019', 'topsector', "
        "'--year', '2016', '-f', 'csv'];\n"
        "import contextlib, io\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()): main()\n"
        "print('highspy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


def test_a_rows_share_of_a_bounded_gap_is_an_interval(write_definition, blank_store: Store) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("a", "title: a\ncodes: ['21.10']\n")
    write_definition("b", "title: b\ncodes: ['21.10', '21.20', '72.11.2']\n")
    library = DefinitionLibrary(load(), search_dirs([path.parent]))
    blank_store.add(
        [
            obs("firms", "21.10", "2016Q1", 30, ref="P1"),
            obs("firms", "21.20", "2016Q1", 170, ref="P2"),
            obs("firms", "72.11.2+72.19.3", "2016Q1", 965, ref="RND"),
        ]
    )
    c = compare(Figurebook(blank_store, load()), library.get("a"), library.get("b"), MEASURES["firms"], 2016)
    assert c.difference is None and (c.difference_bound.low, c.difference_bound.high) == (170, 1135)  # type: ignore[union-attr]
    rows = {r.code: r for r in c.rows}
    low, high = rows["21.20"].share_of_gap_bound  # type: ignore[misc]
    assert (low, high) == pytest.approx((170 / 1135 * 100, 100.0))
    low, high = rows["72.11.2"].share_of_gap_bound  # type: ignore[misc]
    assert (low, high) == pytest.approx((0.0, 965 / 1135 * 100))


@pytest.mark.parametrize("measure", ["employee_jobs", pytest.param("value_added", marks=pytest.mark.slow)])
def test_separable_figures_are_bounded_without_the_solver_exactly_as_the_solver_bounds_them(measure: str) -> None:
    """Invented separable systems (each code in one figure at most), bounded by interval arithmetic and by the
    solver: the same sides, the same binding figures, the same shares of a gap. value_added may be negative."""
    import random

    from lshcli.bounds import System
    from lshcli.model import Observation

    chosen = MEASURES[measure]
    rng = random.Random(20261206)
    codes = [f"{n:02d}.{m:02d}" for n in range(10, 30) for m in range(10, 15)]
    for case in range(60):
        rng.shuffle(codes)
        figures: dict[frozenset[str], Observation] = {}
        start = 0
        for r in range(rng.randint(1, 6)):
            size = rng.randint(1, 4)
            key = codes[start : start + size]
            start += size
            low = float(rng.randint(-5 if chosen.name == "value_added" else 0, 40))
            high = low + rng.choice([0.0, float(rng.randint(1, 30))])
            figures[frozenset(key)] = obs(measure, "+".join(sorted(key)), "2016", low, high, ref=f"R{case}-{r}")
        held = codes[:start]
        spare = codes[start : start + 2]  # codes no figure holds
        closed = System(chosen, figures, ["2016"])
        solver = System(chosen, figures, ["2016"], force_lp=True)
        assert closed.separable and not solver.separable
        for _ in range(6):
            objective = {leaf: float(rng.choice([-1, 0, 1, 1])) for leaf in rng.sample(held + spare, min(5, start + 2))}
            a, b = closed.bound(objective), solver.bound(objective)
            assert a.low == pytest.approx(b.low) and a.high == pytest.approx(b.high), (case, objective)
            if a.low is not None and not b.exact:
                assert set(a.binds_low) == set(b.binds_low), (case, objective)
            if a.high is not None and not b.exact:
                assert set(a.binds_high) == set(b.binds_high), (case, objective)
            part = {leaf: 1.0 for leaf in list(objective)[:2]}
            ours, theirs = closed.ratio(part, objective), solver.ratio(part, objective)
            assert (ours is None) == (theirs is None), (case, objective)
            if ours is not None and theirs is not None:
                assert ours[0] == pytest.approx(theirs[0], abs=1e-6) and ours[1] == pytest.approx(theirs[1], abs=1e-6)


def test_a_count_of_division_figures_never_imports_the_solver() -> None:
    """topsector's employee jobs rest on four division totals (separable): bounded by interval arithmetic."""
    import subprocess
    import sys

    code = (
        "import sys, lshcli; book = lshcli.open(); book.count('topsector', 'employee_jobs');"
        "print('highspy' in sys.modules, 'numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("measure", ["firms", pytest.param("value_added", marks=pytest.mark.slow)])
def test_nested_figures_whose_parts_imply_them_are_bounded_without_the_solver_as_the_solver_bounds_them(
    measure: str,
) -> None:
    """Invented nested systems: separable parts, and wider figures over whole groups of them (a division with its
    classes). A wider figure whose interval holds the sum of its parts' is implied, and left out: the bounds then
    come from interval arithmetic, with the same sides as the solver's over every figure. A wider figure that
    narrows its parts keeps the solver."""
    import random

    from lshcli.bounds import System
    from lshcli.model import Observation

    chosen = MEASURES[measure]
    rng = random.Random(20261207)
    codes = [f"{n:02d}.{m:02d}" for n in range(10, 30) for m in range(10, 15)]
    closed_cases = 0
    for case in range(60):
        rng.shuffle(codes)
        parts: list[tuple[list[str], float, float]] = []
        start = 0
        for _ in range(rng.randint(2, 6)):
            size = rng.randint(1, 3)
            low = float(rng.randint(-5 if chosen.name == "value_added" else 0, 40))
            parts.append((codes[start : start + size], low, low + rng.choice([0.0, float(rng.randint(1, 30))])))
            start += size
        figures: dict[frozenset[str], Observation] = {}
        for r, (key, low, high) in enumerate(parts):
            figures[frozenset(key)] = obs(measure, "+".join(sorted(key)), "2016", low, high, ref=f"P{case}-{r}")
        implied = True
        for w in range(rng.randint(1, 2)):  # wider figures over groups of whole parts
            group = rng.sample(parts, rng.randint(2, len(parts)))
            wide = frozenset(c for p in group for c in p[0])
            low, high = sum(p[1] for p in group), sum(p[2] for p in group)
            if rng.random() < 0.3 and high > low:  # narrower than its parts: not implied
                low, implied = low + 1, False
            figures.setdefault(wide, obs(measure, "+".join(sorted(wide)), "2016", low, high, ref=f"W{case}-{w}"))
        held = codes[:start]
        closed = System(chosen, figures, ["2016"])
        solver = System(chosen, figures, ["2016"], force_lp=True)
        closed.consistency()
        if implied:
            assert closed._closed_rows is not None, case
            closed_cases += 1
        for _ in range(6):
            objective = {leaf: float(rng.choice([-1, 0, 1, 1])) for leaf in rng.sample(held, min(5, start))}
            a, b = closed.bound(objective), solver.bound(objective)
            assert a.low == pytest.approx(b.low) and a.high == pytest.approx(b.high), (case, objective)
            assert set(a.figures) <= set(figures.values())
            part = {leaf: 1.0 for leaf in list(objective)[:2]}
            ours, theirs = closed.ratio(part, objective), solver.ratio(part, objective)
            assert (ours is None) == (theirs is None), (case, objective)
            if ours is not None and theirs is not None:
                assert ours[0] == pytest.approx(theirs[0], abs=1e-6) and ours[1] == pytest.approx(theirs[1], abs=1e-6)
    assert closed_cases > 20  # most cases are bounded by interval arithmetic


def _nested_system(rng, distinct: bool):  # type: ignore[no-untyped-def]
    """An invented nested system: a tree of figures over up to 14 codes (some held by no figure), each figure
    near the sum of invented true values, a third of them off by up to 15, and a weight per figure: random
    fractions (`distinct`), or the few values lsh's weights take, so that ties are common."""
    from fractions import Fraction

    codes = [f"c{i}" for i in range(rng.randint(2, 14))]
    truth = {c: rng.randint(0, 30) for c in codes}
    keys: list[frozenset[str]] = []

    def split(block: list[str], depth: int) -> None:
        keys.append(frozenset(block))
        rest = list(block)
        rng.shuffle(rest)
        for _ in range(rng.randint(1, 3) if len(block) > 1 and depth < 4 else 0):
            size = rng.randint(1, max(1, len(rest) - rng.randint(0, 1)))
            part, rest = rest[:size], rest[size:]
            if part and frozenset(part) != frozenset(block):
                split(part, depth + 1)

    if rng.random() < 0.7:
        split(codes, 0)
    else:
        for code in codes[: rng.randint(1, len(codes))]:
            split([code], 1)
    keys = list(dict.fromkeys(keys))
    lows, highs = [], []
    for key in keys:
        low = sum(truth[c] for c in key) + (rng.randint(-15, 15) if rng.random() < 0.35 else 0)
        lows.append(float(low))
        highs.append(float(low + rng.choice([0, 0, rng.randint(1, 10)])))
    if distinct:
        weights = [Fraction(rng.randint(1, 10**6), rng.randint(1, 1000)) for _ in keys]
    else:
        weights = [Fraction(rng.choice([1, 2, 1000]), len(key)) for key in keys]
    return keys, lows, highs, weights


def test_nested_figures_agree_and_give_way_as_the_solver_decides() -> None:
    """Invented nested systems, without the solver and with it: whether they agree (codes at least zero, or free
    in sign), the least weighted deviation that makes them agree, and, where no two ways cost the same, which
    figures deviate and by how much."""
    import math
    import random

    from lshcli import nested
    from lshcli.bounds import _elastic_lp

    rng = random.Random(20261207)
    disagree = 0
    for case in range(400):
        distinct = case % 2 == 1
        keys, lows, highs, weights = _nested_system(rng, distinct)
        parent = nested.parents(keys)
        assert parent is not None
        deviation, cost = nested.elastic(keys, lows, highs, weights, parent, list(range(len(keys))))
        theirs = _elastic_lp(keys, lows, highs, [float(w) for w in weights], False)
        their_cost = math.fsum(float(w) * d for w, d in zip(weights, theirs, strict=True))
        assert cost == pytest.approx(their_cost, rel=1e-9, abs=1e-9), case
        lower = [lo - d for lo, d in zip(lows, deviation, strict=True)]
        upper = [hi + d for hi, d in zip(highs, deviation, strict=True)]
        assert nested.feasible(keys, lower, upper, parent, False), case  # the deviations make them agree
        if distinct:
            assert deviation == pytest.approx(theirs, abs=1e-6), case
        for signed in (False, True):
            held = _elastic_lp(keys, lows, highs, [1.0] * len(keys), signed)
            assert nested.feasible(keys, lows, highs, parent, signed) == (max(held) <= 1e-9), (case, signed)
        disagree += cost > 0
    assert disagree > 100


def test_figures_that_overlap_without_nesting_are_not_nested() -> None:
    from lshcli import nested

    keys = [frozenset({"21.10", "21.20"}), frozenset({"21.10"}), frozenset({"21.20", "46.46"})]
    assert nested.parents(keys) is None
    assert nested.parents(keys[:2]) == [-1, 0]
    assert nested.parents([frozenset({"a", "b"}), frozenset({"b", "c"})]) is None  # the same size, overlapping


def test_where_giving_way_costs_the_same_the_less_trusted_figure_gives_way() -> None:
    """Invented: a division (own period) disagrees with its classes; it and the class published for a substitute
    period cost the same to move (1000 / 2 codes against 1000 * 1/2), and the class, being finer, is trusted more:
    the division is set aside, by the solver's path and without it alike."""
    from lshcli.bounds import System

    figures = {
        frozenset({"21.10", "21.20"}): obs("firms", "21", "2016Q1", 250, ref="DIVISION"),
        frozenset({"21.10"}): obs("firms", "21.10", "2016", 30, ref="CLASS1"),
        frozenset({"21.20"}): obs("firms", "21.20", "2016Q1", 170, ref="CLASS2"),
    }
    system = System(MEASURES["firms"], figures, ["2016Q1", "2016"])
    assert system._weight(frozenset({"21.10", "21.20"}), figures[frozenset({"21.10", "21.20"})]) == system._weight(
        frozenset({"21.10"}), figures[frozenset({"21.10"})]
    )
    aside = system.consistency().set_aside
    assert [a.figure.ref for a in aside] == ["DIVISION"]
    assert (aside[0].allowed_low, aside[0].allowed_high) == (200, 200)


def test_the_headline_with_its_contradicting_total_never_imports_the_solver() -> None:
    """The snapshot's published total for topsector (3,075) contradicts its parts (3,105): the nested figures
    say which gives way, and interval arithmetic bounds the rest."""
    import subprocess
    import sys

    code = (
        "import sys; from lshcli.cli import main; sys.argv = ['lsh', 'compare', 'topsector', 'pwc2017', '-f', 'json']\n"
        "import contextlib, io, json\n"
        "out = io.StringIO()\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(out): main()\n"
        "aside = [x['ref'] for x in json.loads(out.getvalue())[0]['set_aside']]\n"
        "print(aside == ['F017'], 'highspy' in sys.modules, 'numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.split()[-3:] == ["True", "False", "False"], done.stderr
