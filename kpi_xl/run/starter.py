"""The empty raw workbook ``kpi-xl init`` writes: headers, notes and a few example rows.

The content is plain data, in ``starter.toml`` beside this file, so the file writer here and the ribbon's "New raw workbook
sheets" button (``kpi_xl.excel.scripts``) add exactly the same sheets (the button adds the
four in ``SHEETS``; ``kpi-xl init`` also writes the optional Targets and Benchmarks sheets).
"""
from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

STARTER = Path(__file__).with_name("starter.toml")  # the headers, notes and example rows, as data
ROLLUP_STARTER = Path(__file__).with_name("rollup_starter.toml")  # kpi-xl init --rollup: Report and Sources


def _sheets(starter: Path = STARTER) -> tuple[dict[str, dict], dict[str, dict]]:
    """Each sheet's ``columns`` as (header, note, width) and ``rows`` of values (None blank):
    the four every raw workbook has, and the optional ones (``optional = true``)."""
    data = tomllib.loads(starter.read_text(encoding="utf-8"))
    sheets = {name: {"columns": [tuple(column) for column in spec["columns"]],
                     "rows": [[None if value == "" else value for value in row] for row in spec["rows"]]}
              for name, spec in data.items()}
    optional = {name for name, spec in data.items() if spec.get("optional")}
    return ({name: spec for name, spec in sheets.items() if name not in optional},
            {name: spec for name, spec in sheets.items() if name in optional})


SHEETS, OPTIONAL_SHEETS = _sheets()  # the ribbon's button adds SHEETS; kpi-xl init also OPTIONAL_SHEETS


def write_starter_workbook(path: str | Path, starter: Path = STARTER) -> Path:
    """Write an empty raw workbook with headers, a note on every header and example rows
    (``starter=ROLLUP_STARTER``: a corporate workbook for ``kpi-xl rollup``)."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.comments import Comment  # noqa: PLC0415
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    sheets = {**SHEETS, **OPTIONAL_SHEETS} if starter == STARTER else {**_sheets(starter)[0]}
    for name, spec in sheets.items():
        ws = book.create_sheet(name)
        for col, (header, note, width) in enumerate(spec["columns"], 1):
            cell = ws.cell(row=1, column=col, value=header)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F3864")
            cell.comment = Comment(note, "kpi_xl")
            ws.column_dimensions[cell.column_letter].width = width
        for r, row in enumerate(spec["rows"], 2):
            for c, value in enumerate(row, 1):
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "mmm-yy"
                elif isinstance(value, float) and value <= 1 and (
                        (name == "Data" and row[0] == "CP 12" and c == 3) or (name == "Indicators" and c == 6)
                        or (name == "Benchmarks" and row[0] == "CP 12")):
                    cell.number_format = "0%"
        ws.freeze_panes = "A2"
    book.save(path)
    return path
