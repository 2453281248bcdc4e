"""Property: any sensible raw workbook rates and writes; every indicator appears exactly once; the file opens."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kpi_xl.errors import InputError
from kpi_xl.rate.evaluate import evaluate
from kpi_xl.read.grid import Grid
from kpi_xl.layout.builder import build_layout
from kpi_xl.read.reader import EXCEL_ERRORS, read_grids  # a title reading #VALUE! is an error cell
from kpi_xl.layout.templates import load_template
from kpi_xl.write.xlsx_writer import write_xlsx

UNITS = ["%", "count", "rate", "days", "number"]
POLARITIES = ["High", "Low", "Target", "None"]
MONTHS = [dt.datetime(2019, m, 1) for m in range(4, 13)] + [dt.datetime(2020, 1, 1)]
TEMPLATES = {name: load_template(name) for name in ("kpi-scorecard", "monthly-monitoring")}

value = st.one_of(st.none(), st.floats(0, 1, allow_nan=False), st.integers(0, 500),
                  st.sampled_from(["-", "n/a", "2 Missing 3 Absent", "=1+1", "@x"]))


@st.composite
def indicator(draw, n):
    unit = draw(st.sampled_from(UNITS))
    polarity = draw(st.sampled_from(POLARITIES))
    target = draw(st.one_of(st.none(), st.floats(0.01, 1) if unit == "%" else st.integers(1, 400)))
    if polarity == "Target" and target is None:
        target = 0.5 if unit == "%" else 10
    return [f"K {n}", draw(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)
                                   .filter(lambda t: t.strip() and t.strip().upper() not in EXCEL_ERRORS)),
            draw(st.sampled_from(["Front door", "Care", "=Section", "+Plus"])), unit, polarity, target, None,
            draw(st.floats(0, 20, allow_nan=False)), draw(st.sampled_from(["points", "percent"])),
            draw(st.sampled_from(["Month", "YTD"])), draw(st.sampled_from(["Sum", "Latest", "Mean", "None"])),
            "Monthly", draw(st.integers(0, 2)), draw(st.sampled_from(["Y", None])), draw(st.integers(0, 3))]


@st.composite
def workbook(draw):
    n = draw(st.integers(1, 6))
    rows = [draw(indicator(i)) for i in range(n)]
    data = [["ID", "Period", "Value"]]
    for row in rows:
        for month in MONTHS:
            v = draw(value)
            if isinstance(v, (int, float)) and row[3] == "%" and v > 1:
                v = v / 1000
            if v is not None:
                data.append([row[0], month, v])
    header = ["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Target upper", "Tolerance",
              "Tolerance type", "RAG basis", "YTD", "Frequency", "Arrears", "Corporate plan", "Decimals"]
    return {"Indicators": Grid("Indicators", [header] + rows), "Data": Grid("Data", data)}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(grids=workbook(), template=st.sampled_from(sorted(TEMPLATES)))
def test_every_indicator_is_rated_once_and_the_file_opens(grids, template):
    if len(grids["Data"].rows) == 1:  # nothing typed at all: a clear error, not a crash
        with pytest.raises(InputError, match="has no figures"):
            evaluate(read_grids(grids, "random.xlsx", today=dt.date(2026, 11, 22)))
        return
    raw = read_grids(grids, "random.xlsx", today=dt.date(2026, 11, 22))
    evaluation = evaluate(raw)
    assert [r.indicator.id for r in evaluation.results] == [row[0] for row in grids["Indicators"].rows[1:]]
    layout = build_layout(evaluation, TEMPLATES[template])
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(layout, Path(tmp) / "out.xlsx")
        book = openpyxl.load_workbook(path, data_only=True)
        table = book["KPI table" if template == "kpi-scorecard" else "Front page"]
        ids = [r[0] for r in table.iter_rows(values_only=True)] if template == "kpi-scorecard" else []
        heads = next(r for r in table.iter_rows(values_only=True) if "Indicator" in r)
        rag_col = heads.index("RAG" if template == "kpi-scorecard" else "Traffic light")  # 7 / 6, one more with a YTD column
        words = [r[rag_col] for r in table.iter_rows(values_only=True)
                 if r[1] in {res.indicator.title.strip() for res in evaluation.results}]
        if template == "kpi-scorecard":
            for res in evaluation.results:
                assert ids.count(res.indicator.id) == 1
        assert sorted(words) == sorted(r.rag.rating.value for r in evaluation.results)
