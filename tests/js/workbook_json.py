"""Print a workbook's sheets as JSON, for tests/js (not part of kpi_xl).

    python tests/js/workbook_json.py RAW.xlsx              # fills the mock Excel
    python tests/js/workbook_json.py --formulas FILE.xlsx  # a scorecard file to compare with

Each cell as Excel holds it: numbers, text, booleans, dates as serial numbers with the
cell's number format (so xlwings' client converts them as it does in Excel). Without
--formulas a formula cell gives its saved result, as Excel's client sends it; with it,
the formula text, and each sheet's conditional formats ({range, formula}).
"""
import datetime as dt
import json
import sys

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


def main(path: str, formulas: bool = False) -> None:
    wb = openpyxl.load_workbook(path, data_only=not formulas)
    sheets = []
    for ws in wb.worksheets:
        cells = [[r, c, excel_value(cell.value), cell.number_format]
                 for r, row in enumerate(ws.iter_rows()) for c, cell in enumerate(row)
                 if cell.value is not None]
        sheets.append({"name": ws.title, "visibility": {"visible": "Visible", "hidden": "Hidden"}
                       .get(ws.sheet_state, "VeryHidden"), "cells": cells,
                       **({"conditional_formats": conditional_formats(ws)} if formulas else {})})
    names = [{"name": dn.name, "formula": "=" + dn.attr_text} for dn in wb.defined_names.values()]
    json.dump({"name": path.replace("\\", "/").rsplit("/", 1)[-1], "sheets": sheets, "names": names},
              sys.stdout)


if __name__ == "__main__":
    main(sys.argv[-1], formulas="--formulas" in sys.argv)
