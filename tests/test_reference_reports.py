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


def shown(cell) -> str:
    """A scorecard cell as Excel shows it: the number in its number format (``0.0%``, ``#,##0``)."""
    if not isinstance(cell.value, (int, float)):
        return str(cell.value or "").strip()
    body = cell.number_format.rsplit('"', 1)[-1]  # a label such as "Nov 13: " is not part of the figure
    decimals = len(body.split(".")[1].rstrip("%")) if "." in body else 0
    return f"{cell.value * 100:.{decimals}f}%" if "%" in body else f"{cell.value:,.{decimals}f}"


@pytest.fixture(scope="module")
def feb2014_scorecard(tmp_path_factory):
    import openpyxl
    out = tmp_path_factory.mktemp("feb2014") / "scorecard.xlsx"
    assert main(["build", str(SAMPLES["feb2014"]), "-o", str(out), "--template", "monthly-monitoring", "-q"]) == 0
    raw = openpyxl.load_workbook(SAMPLES["feb2014"], read_only=True)
    titles = {row[1]: row[0] for row in raw["Indicators"].iter_rows(min_row=2, values_only=True) if row[0]}
    indicators = {row[0]: row for row in raw["Indicators"].iter_rows(min_row=2, values_only=True) if row[0]}
    data = [row[:3] for row in raw["Data"].iter_rows(min_row=2, values_only=True) if row[0]]
    return openpyxl.load_workbook(out), titles, indicators, data


def table_rows(sheet, first_header: str):
    """{indicator title: {column header: cell}} for the table headed by ``first_header``."""
    rows = list(sheet.iter_rows())
    head = next(i for i, row in enumerate(rows) if any(c.value == first_header for c in row))
    names = [c.value for c in rows[head]]
    return {row[names.index(first_header)].value: dict(zip(names, row)) for row in rows[head + 1:]
            if row[names.index(first_header)].value}


def test_feb2014_front_page_shows_the_published_month_and_ytd_figures(feb2014_scorecard):
    """The 2014 scorecard's own cells, read back from the file, against what the report printed."""
    book, titles, _, _ = feb2014_scorecard
    table = table_rows(book["Front page"], "Indicator")
    checked = 0
    for row in published("feb2014"):
        cells = next(cells for title, cells in table.items() if titles.get(title) == row["ID"])
        month_col = next(h for h in cells if h in ("Feb-14", "This month"))
        ytd_col = next(h for h in cells if str(h).endswith("YTD"))
        if row["this_month"] not in ("", "-"):
            assert same_figure(shown(cells[month_col]), row["this_month"]), (row["ID"], shown(cells[month_col]))
            checked += 1
        if row["ytd"] not in ("", "-"):
            assert same_figure(shown(cells[ytd_col]), row["ytd"]), (row["ID"], shown(cells[ytd_col]))
            checked += 1
    assert checked >= 40


def test_feb2014_outturn_of_counts_is_the_sum_of_last_years_months(feb2014_scorecard):
    """The 2012/13 outturn of each summed count on the section sheets, against the raw Data
    sheet's April 2012 to March 2013 figures added up here."""
    import datetime as dt
    book, titles, indicators, data = feb2014_scorecard
    counts = {i for i, row in indicators.items() if row[3] == "count" and row[10] == "Sum"}
    expected = {}
    for ind_id, period, value in data:
        if ind_id in counts and dt.datetime(2012, 4, 1) <= period <= dt.datetime(2013, 3, 1) and value is not None:
            expected[ind_id] = expected.get(ind_id, 0) + value
    found = {}
    for sheet in book.worksheets:
        if not any(c.value == "2012/13 outturn" for row in sheet.iter_rows(max_row=8) for c in row):
            continue
        for title, cells in table_rows(sheet, "Indicator").items():
            if titles.get(title) in expected:
                found[titles[title]] = cells["2012/13 outturn"].value
    assert found == expected and len(found) >= 5
