"""The empty raw workbook ``kpi-xl init`` writes: headers, notes and a few example rows.

The content is plain data so the file writer here and the ribbon's "New raw workbook
sheets" button (``kpi_xl.excel.scripts``) add exactly the same sheets.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

SHEETS: dict[str, dict] = {
    "Indicators": {
        "columns": [
            ("ID", "Unique short code, e.g. CP 12.", 10),
            ("Indicator", "The title as directors read it.", 55),
            ("Section", "The heading it sits under, e.g. Child protection.", 22),
            ("Unit", "%, count, rate, days or number.", 8),
            ("Polarity", "High (higher is better), Low, Target (closest to the target / inside the band) or None (no judgement).", 10),
            ("Target", "Blank = no target. A % target as 95% or 0.95.", 9),
            ("Target upper", "Only with polarity Target: the top of the target band.", 9),
            ("Tolerance", "Width of the Amber band. Blank = the Report sheet's default.", 10),
            ("Tolerance type", "points (in the indicator's unit; percentage points for a %) or percent (% of the target).", 12),
            ("RAG basis", "Month or YTD: which figure is rated.", 10),
            ("YTD", "Sum, Ratio (numerators / denominators), Latest, Mean or None.", 8),
            ("Frequency", "Monthly or Quarterly.", 10),
            ("Arrears", "Months the latest figure lags the report (0 if blank).", 8),
            ("Corporate plan", "Y if the corporate plan tracks it (shown in italics).", 10),
            ("Decimals", "Decimal places shown (0 for % and counts if blank, else 1).", 9),
        ],
        "rows": [
            ["CP 12", "Percentage of CP plans reviewed in timescale", "Child protection", "%", "High", 0.95,
             None, 10, "points", "Month", "Ratio", "Monthly", 0, "Y", 0],
            ["CP 1", "Children subject to a child protection plan", "Child protection", "count", "None", None,
             None, None, None, None, "Latest", "Monthly", 0, None, 0],
            ["W 1", "Average caseload per social worker", "Workforce", "number", "Low", 17,
             None, 10, "points", "Month", "Mean", "Monthly", 0, None, 1],
        ],
    },
    "Data": {
        "columns": [
            ("ID", "The indicator's ID from the Indicators sheet.", 10),
            ("Period", "The month: a date, or Jan-20, January 2020, 2020-01.", 10),
            ("Value", "The figure. A % as 85% or 0.85. Text (e.g. '2 Missing 3 Absent') or - is kept and shown.", 10),
            ("Numerator", "Optional: e.g. reviews on time.", 11),
            ("Denominator", "Optional: e.g. reviews due.", 12),
            ("Note", "Optional note shown with the figure.", 40),
        ],
        "rows": [
            ["CP 12", dt.date(2020, 1, 1), 0.99, 198, 200, None],
            ["CP 1", dt.date(2020, 1, 1), 352, None, None, None],
            ["W 1", dt.date(2020, 1, 1), 14.4, None, None, "Agency staff included from January"],
        ],
    },
    "Commentary": {
        "columns": [
            ("Section", "A section name from the Indicators sheet (or use ID for one indicator).", 22),
            ("ID", "Optional: an indicator ID instead of a section.", 10),
            ("Why", "Why does the data look the way it does?", 60),
            ("What", "What are you going to do about it?", 60),
            ("When", "When are you going to do it by?", 30),
        ],
        "rows": [
            ["Child protection", None, "Reviews held on time stayed above target.", "Keep weekly tracking.",
             "Ongoing"],
        ],
    },
    "Report": {
        "columns": [
            ("Setting", "Title, Organisation, Period (the month to report; blank = the latest month with "
                        "figures), Financial year start, Months shown, Template, Tolerance, Tolerance type, "
                        "RAG basis, Refresh note (a sentence printed on the first pages), Split by (a Data "
                        "column such as Team: build --split makes one scorecard per value).", 22),
            ("Value", "Blank = the default.", 50),
        ],
        "rows": [
            ["Title", "Children's Services Performance Scorecard"],
            ["Organisation", "Example Borough Council"],
            ["Period", None],  # blank: the latest month with figures, so a new month needs no edit here
            ["Financial year start", "April"],
            ["Months shown", 6],
            ["Template", "kpi-scorecard"],
            ["Tolerance", 10],
            ["Tolerance type", "points"],
            ["RAG basis", "Month"],
            ["Refresh note", None],  # e.g. "Figures for earlier months may differ ... as records are updated."
            ["Split by", None],  # e.g. Team, with a Team column on Data: kpi-xl build RAW -o DIR/ --split
        ],
    },
}

NUMBER_FORMATS = {("Data", "Period"): "mmm-yy", ("Report", "Value"): "General"}


def write_starter_workbook(path: str | Path) -> Path:
    """Write an empty raw workbook with headers, a note on every header and example rows."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.comments import Comment  # noqa: PLC0415
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    for name, spec in SHEETS.items():
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
                        (name == "Data" and row[0] == "CP 12" and c == 3) or (name == "Indicators" and c == 6)):
                    cell.number_format = "0%"
        ws.freeze_panes = "A2"
    book.save(path)
    return path
