"""Print a workbook's sheets as JSON, for tests/js (not part of kpi_xl).

    python tests/js/workbook_json.py RAW.xlsx              # fills the mock Excel
    python tests/js/workbook_json.py --formulas FILE.xlsx  # a scorecard file to compare with

Each cell as Excel holds it: numbers, text, booleans, dates as serial numbers with the
cell's number format (so xlwings' client converts them as it does in Excel). Without
--formulas a formula cell gives its saved result, as Excel's client sends it; with it,
the formula text, each sheet's conditional formats ({range, formula}) and charts (their
series: name, cells, colour, dashes, marker).
"""
import datetime as dt
import json
import sys

import warnings

import openpyxl

EPOCH = dt.datetime(1899, 12, 30)


def excel_value(v):
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return (v - EPOCH) / dt.timedelta(days=1)
    if isinstance(v, dt.date):
        return (dt.datetime.combine(v, dt.time()) - EPOCH).days
    if isinstance(v, dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second) / 86400
    return v if isinstance(v, (bool, int, float, str)) else str(v)


def conditional_formats(ws) -> list[dict]:
    return [{"range": str(cf.sqref), "formula": "=" + rule.formula[0] if rule.formula else None}
            for cf in ws.conditional_formatting for rule in cf.rules]


def _colour(props) -> str | None:
    fill = props.solidFill if props is not None else None
    return f"#{fill.srgbClr}" if fill is not None and fill.srgbClr else None


def charts(ws) -> list[dict]:
    """Each chart's series as the file draws them: name, cells, months, colour, dashes
    (None for a solid line, "none" for no line) and marker (None for none)."""
    out = []
    for chart in ws._charts:  # noqa: SLF001  (openpyxl keeps the charts it reads here)
        series = []
        for ser in chart.series:
            line = ser.spPr.ln if ser.spPr is not None else None
            marker = ser.marker.symbol if ser.marker is not None and ser.marker.symbol != "none" else None
            drawn = line is not None and not line.noFill
            series.append({
                "name": ser.tx.v, "values": ser.val.numRef.f,
                "categories": (ser.cat.numRef or ser.cat.strRef).f,
                "colour": _colour(line) if drawn else _colour(ser.marker.spPr),
                "dash": (None if line.prstDash in (None, "solid") else line.prstDash) if drawn else "none",
                "marker": marker})
        out.append({"series": series})
    return out


def main(path: str, formulas: bool = False) -> None:
    warnings.filterwarnings("ignore", module="openpyxl")  # the sparklines it does not read
    wb = openpyxl.load_workbook(path, data_only=not formulas)
    sheets = []
    for ws in wb.worksheets:
        cells = [[r, c, excel_value(cell.value), cell.number_format]
                 for r, row in enumerate(ws.iter_rows()) for c, cell in enumerate(row)
                 if cell.value is not None]
        sheets.append({"name": ws.title, "visibility": {"visible": "Visible", "hidden": "Hidden"}
                       .get(ws.sheet_state, "VeryHidden"), "cells": cells,
                       **({"conditional_formats": conditional_formats(ws), "charts": charts(ws)} if formulas else {})})
    names = [{"name": dn.name, "formula": "=" + dn.attr_text} for dn in wb.defined_names.values()]
    json.dump({"name": path.replace("\\", "/").rsplit("/", 1)[-1], "sheets": sheets, "names": names},
              sys.stdout)


if __name__ == "__main__":
    main(sys.argv[-1], formulas="--formulas" in sys.argv)
