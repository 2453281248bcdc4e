"""kpi-xl evaluate on the two samples reproduces what the reference reports published.

tests/data/published_*.csv hold what each report printed, indicator by indicator. Every
light, change text and arrow consistent with the printed numbers must be reproduced;
the rows marked inconsistent are listed with the reason, and kpi_xl must differ there.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kpi_xl.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {"feb2014": ROOT / "workbooks" / "monthly_monitoring_feb2014.xlsx",
           "jan2020": ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"}


def published(name):
    with open(ROOT / "tests" / "data" / f"published_{name}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


_cache: dict = {}


def evaluated(name, capsys=None):
    if name not in _cache:
        import contextlib
        import io
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["evaluate", str(SAMPLES[name]), "--format", "json"]) == 0
        _cache[name] = {r["id"]: r for r in json.loads(out.getvalue())["indicators"]}
    return _cache[name]


def norm(text: str) -> str:
    return text.replace(",", "").strip()


def same_figure(ours: str, printed: str) -> bool:
    """Equal as printed; where the report printed fewer decimals (14% for 14.3%), equal at its precision."""
    ours, printed = norm(ours), norm(printed)
    if ours == printed:
        return True
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
    try:
        a, b = Decimal(ours.rstrip("%")), Decimal(printed.rstrip("%"))
    except InvalidOperation:
        return False
    places = -b.as_tuple().exponent
    return ours.endswith("%") == printed.endswith("%") and a.quantize(Decimal(1).scaleb(-places),
                                                                       rounding=ROUND_HALF_UP) == b


def printed_rag(row) -> str:
    return row["rag"] or "Grey"  # no light printed = no target


CASES = [(name, row) for name in SAMPLES for row in published(name)]


@pytest.mark.parametrize("name,row", [c for c in CASES if c[1]["consistent"] == "yes"],
                         ids=[f"{n}-{r['ID']}" for n, r in CASES if r["consistent"] == "yes"])
def test_published_figures_are_reproduced(name, row):
    ours = evaluated(name)[row["ID"]]
    assert ours["rag"] == printed_rag(row), ours["reason"]
    if row["change"]:
        assert ours["change"] == row["change"]
    if row["arrow"]:
        assert ours["direction"] == row["arrow"]
    if row["this_month"] and row["this_month"] != "-":
        assert same_figure(ours["value"], row["this_month"])
    if row["previous"] and row["previous"] != "-":
        assert same_figure(ours["previous"], row["previous"])
    if row["ytd"] and row["ytd"] != "-":
        assert same_figure(ours["ytd"], row["ytd"])
    if row["target"] and row["target"] != "-":
        assert same_figure(ours["target"], row["target"])


@pytest.mark.parametrize("name,row", [c for c in CASES if c[1]["consistent"] == "no"],
                         ids=[f"{n}-{r['ID']}" for n, r in CASES if r["consistent"] == "no"])
def test_inconsistent_published_figures_are_rated_consistently(name, row):
    """The report printed something its own numbers do not support; kpi_xl rates by the rule."""
    assert row["reason"], "every inconsistent row says why"
    ours = evaluated(name)[row["ID"]]
    differs = [field for field, theirs in (("rag", printed_rag(row)), ("change", row["change"]),
                                           ("direction", row["arrow"]))
               if theirs and ours[field] != theirs]
    assert differs, f"{row['ID']} is listed as inconsistent ({row['reason']}) but kpi_xl agrees with the report"


def test_every_indicator_is_covered():
    for name in SAMPLES:
        assert {r["ID"] for r in published(name)} == set(evaluated(name))
