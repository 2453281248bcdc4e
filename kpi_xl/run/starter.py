"""The empty raw workbook ``kpi-xl init`` writes: headers, notes and a few example rows.

The content is plain data so the file writer here and the ribbon's "New raw workbook
sheets" button (``kpi_xl.excel.scripts``) add exactly the same sheets (the button adds the
four in ``SHEETS``; ``kpi-xl init`` also writes the optional Targets and Benchmarks sheets).
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
            ("Target source", "Optional: rate against a comparator's median instead of the Target, e.g. "
                              "Statistical neighbours (needs its figures on the Benchmarks sheet).", 14),
        ],
        "rows": [
            ["CP 12", "Percentage of CP plans reviewed in timescale", "Child protection", "%", "High", 0.95,
             None, 10, "points", "Month", "Ratio", "Monthly", 0, "Y", 0, None],
            ["CP 1", "Children subject to a child protection plan", "Child protection", "count", "None", None,
             None, None, None, None, "Latest", "Monthly", 0, None, 0, None],
            ["W 1", "Average caseload per social worker", "Workforce", "number", "Low", 17,
             None, 10, "points", "Month", "Mean", "Monthly", 0, None, 1, None],
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
                        "RAG basis, Refresh note (a sentence printed on the first pages).", 22),
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
        ],
    },
}

#: the optional sheets ``kpi-xl init`` also writes (the ribbon's button adds only the four above)
OPTIONAL_SHEETS: dict[str, dict] = {
    "Targets": {
        "columns": [
            ("ID", "Optional sheet: a target per month or quarter (a trajectory). The Indicators sheet's Target "
                   "stays the year-end target; a month with no target here is rated against it.", 10),
            ("Period", "The month (Jan-20, a date) or quarter (Q3 2019/20); months ahead of today are fine.", 10),
            ("Target", "That month's target. A % as 95% or 0.95. (Or lay the sheet out like a wide Data sheet: "
                       "ID, then one column per month.)", 10),
            ("Target upper", "Optional, only with polarity Target: the top of that month's band.", 10),
        ],
        "rows": [
            ["W 1", dt.date(2019, 10, 1), 18, None],
            ["W 1", dt.date(2019, 11, 1), 17.6, None],
            ["W 1", dt.date(2019, 12, 1), 17.3, None],
            ["W 1", dt.date(2020, 1, 1), 17, None],
            ["W 1", dt.date(2020, 2, 1), 17, None],
            ["W 1", dt.date(2020, 3, 1), 17, None],
        ],
    },
    "Benchmarks": {
        "columns": [
            ("ID", "Optional sheet: comparators' published figures. The example rows are illustrative, not "
                   "published figures: replace them.", 10),
            ("Comparator", "England, a region (e.g. London), Statistical neighbours, or a council's name.", 20),
            ("Period", "The year the figure is for: 2018/19 (financial) or 2019 (calendar), or a month or quarter.",
             10),
            ("Value", "The comparator's figure. A % as 83% or 0.83.", 9),
            ("Quartile 1", "Optional: the lower quartile of the councils it summarises (for the band A-D).", 10),
            ("Median", "Optional: their median.", 9),
            ("Quartile 3", "Optional: their upper quartile.", 10),
            ("Source", "Where the figure comes from, e.g. DfE LAIT, Children in need census 2019.", 36),
        ],
        "rows": [
            ["CP 12", "England", "2018/19", 0.92, 0.89, 0.94, 0.98, "Illustrative: replace with the published figure"],
            ["CP 12", "Statistical neighbours", "2018/19", 0.93, None, None, None,
             "Illustrative: replace with the published figure"],
            ["W 1", "England", "2018/19", 16.9, 14.5, 16.5, 18.5, "Illustrative: replace with the published figure"],
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
    for name, spec in {**SHEETS, **OPTIONAL_SHEETS}.items():
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
