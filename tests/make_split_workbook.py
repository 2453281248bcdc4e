"""A raw workbook split by team: children's social care figures for three locality teams
and the whole service, with one team (East) struggling. Used by the split tests and to
make workbooks/teams_jan2020.xlsx:

    python tests/make_split_workbook.py workbooks/teams_jan2020.xlsx
"""
from __future__ import annotations

import datetime as dt
import sys

from openpyxl import Workbook

INDICATORS = [  # ID, title, section, unit, polarity, target, tolerance, tolerance type
    ("CSC 1", "Contacts progressing to referral within 1 working day", "Front door", "%", "High", 0.95, 5, "points"),
    ("CSC 2", "Re-referrals within 12 months", "Front door", "%", "Low", 0.22, 3, "points"),
    ("CSC 3", "Single assessments completed within 45 working days", "Assessment", "%", "High", 0.85, 10,
     "points"),
    ("CSC 4", "Children seen within 5 days of a section 47 enquiry starting", "Assessment", "%", "High", 0.9, 10,
     "points"),
    ("CSC 5", "Child protection visits within timescale", "Child protection", "%", "High", 0.9, 5, "points"),
    ("CSC 6", "Child protection plans reviewed on time", "Child protection", "%", "High", 1.0, 5, "points"),
    ("CSC 7", "Children on a plan for a second or later time", "Child protection", "%", "Low", 0.2, 5, "points"),
    ("CSC 8", "Children in care", "Children in care", "count", "None", None, None, None),
    ("CSC 9", "Children in care with 3 or more placements in the year", "Children in care", "%", "Low", 0.1, 2,
     "points"),
]

#: each team's performance: a multiple of the distance from the target (1 = on target)
TEAMS = {"North": 1.02, "South": 0.98, "East": 0.86}


def months(last: dt.date, n: int) -> list[dt.date]:
    out, y, m = [], last.year, last.month
    for _ in range(n):
        out.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def figure(ind, team_factor: float, k: int) -> float:
    _, _, _, unit, polarity, target, _, _ = ind
    wobble = ((k * 7 + len(ind[0]) * 3) % 5 - 2) / 100
    if unit == "count":
        return round(120 * team_factor + k * 2)
    if polarity == "High":
        return round(min(1.0, target * team_factor + wobble), 3)
    return round(max(0.0, target * (2 - team_factor) + wobble), 3)


def write_split_workbook(path, teams: dict[str, float] | None = None, total: bool = True,
                         last: dt.date = dt.date(2020, 1, 1), column: str = "Team") -> None:
    teams = teams or TEAMS
    book = Workbook()
    report = book.active
    report.title = "Report"
    report.append(["Setting", "Value"])
    report.append(["Title", "Children's social care"])
    report.append(["Organisation", "Anytown Council"])
    report.append(["Split by", column])
    indicators = book.create_sheet("Indicators")
    indicators.append(["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Tolerance", "Tolerance type",
                       "Corporate plan"])
    for i, ind in enumerate(INDICATORS):
        indicators.append([*ind, "Y" if i % 3 == 0 else None])
    data = book.create_sheet("Data")
    data.append(["ID", column, "Period", "Value"])
    everyone = {**teams, **({"Total": sum(teams.values()) / len(teams)} if total else {})}
    for ind in INDICATORS:
        for name, factor in everyone.items():
            for k, month in enumerate(months(last, 12)):
                value = figure(ind, factor, k)
                if name == "Total" and ind[3] == "count":
                    value = sum(figure(ind, f, k) for f in teams.values())
                data.append([ind[0], name, month, value])
    for row in data.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "mmm-yy"
    for row in data.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "0.0%"
    commentary = book.create_sheet("Commentary")
    commentary.append(["Section", "ID", "Why", "What", "When"])
    commentary.append(["Assessment", None, "Two social workers left in the autumn.", "Agency cover agreed.",
                       "March 2020"])
    book.save(path)


def one_value_workbook(raw, value, path, id_prefix: str | None = None, title: str | None = None):
    """The workbook of one value of ``raw``, made by hand: its Data rows only, no split
    column, no Split by; IDs renamed ``CSC 1`` -> ``<id_prefix> 1`` when asked."""
    from openpyxl import load_workbook  # noqa: PLC0415

    def rename(pid):
        return f"{id_prefix} {pid.split()[-1]}" if id_prefix and pid else pid

    book = load_workbook(raw)
    data = book["Data"]
    rows = [r for r in data.iter_rows(min_row=2, values_only=True) if r[1] == value]
    data.delete_rows(2, data.max_row)
    data.delete_cols(2)
    for row in rows:
        data.append([rename(row[0]), row[2], row[3]])
    for cell in book["Indicators"]["A"][1:]:
        cell.value = rename(cell.value)
    report = book["Report"]
    report.delete_rows(4)
    if title:
        report["B2"] = title
    book.save(path)
    return path


if __name__ == "__main__":
    write_split_workbook(sys.argv[1])
