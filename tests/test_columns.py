"""The column registry: each column a template can name is declared once (layout/columns.py)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from kpi_xl import api
from kpi_xl.errors import InputError
from kpi_xl.layout import columns
from kpi_xl.layout.builder import build_layout
from kpi_xl.layout.templates import load_template
from kpi_xl.model import RagBasis

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"


def test_every_offered_column_is_declared_and_every_declared_column_offered():
    offered = {name for names in columns.SHEET_COLUMNS.values() for name in names}
    assert offered == set(columns.COLUMNS)


def test_a_template_names_only_declared_columns(tmp_path):
    text = (ROOT / "templates" / "kpi-scorecard.toml").read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(text.replace('"change", "arrow"', '"change", "units"', 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_template(str(path))
    assert "'units' is not a column of a kpi_table sheet" in str(err.value)


def test_a_column_declared_in_the_registry_is_drawn(monkeypatch, tmp_path):
    """Adding a column is one declaration: with 'units' declared and offered, a template may
    name it and the KPI table shows its header and each indicator's unit."""
    units = columns.Column("units", lambda b, key, kind, keys: "Unit",
                           lambda b, p, res: p.sheet.put(p.row, p.col, res.indicator.unit.value, b.s["text"]))
    monkeypatch.setitem(columns.COLUMNS, "units", units)
    monkeypatch.setitem(columns.SHEET_COLUMNS, "kpi_table", columns.SHEET_COLUMNS["kpi_table"] + ("units",))
    text = (ROOT / "templates" / "kpi-scorecard.toml").read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(text.replace('"change", "arrow"', '"change", "units", "arrow"', 1), encoding="utf-8")
    template = load_template(str(path))
    evaluation = api.evaluate_file(SAMPLE)
    table = build_layout(evaluation, template).sheet("KPI table")
    header = next(c for c in table.cells if c.value == "Unit")
    below = sorted((c for c in table.cells if c.col == header.col and c.row > header.row), key=lambda c: c.row)
    assert [c.value for c in below if c.value] == [r.indicator.unit.value for r in evaluation.results]


def test_rated_column_is_the_figure_the_rag_is_based_on():
    """The RAG formula points at the month's figure, or the YTD for an indicator rated on it."""
    keys = ["indicator", "month:24230", "ytd", "this_month", "rag"]
    def result(basis: RagBasis, period: int):
        return SimpleNamespace(indicator=SimpleNamespace(rag_basis=basis), period=SimpleNamespace(index=period))
    assert columns.rated_column(keys, result(RagBasis.MONTH, 24230)) == 1  # its month's own column
    assert columns.rated_column(keys, result(RagBasis.MONTH, 24229)) == 3  # not shown as a month: this_month
    assert columns.rated_column(keys, result(RagBasis.YTD, 24230)) == 2
    assert columns.rated_column(["indicator", "rag"], result(RagBasis.MONTH, 24230)) is None
