"""The Data sheet: the figures, in either shape (one row per figure: ID, Period, Value; or
one column per month), each checked and kept with its cell."""
from __future__ import annotations

import datetime as dt
import re

from ...model import Figure, Indicator, ReportSettings
from ...periods import ACCEPTED, Month
from ..checks import Checks, closest, plain_number
from ..grid import Grid
from ..table import _blank, _key, _listing, _rows_text, _shown, to_number

SHEET = "Data"

SMALLEST_DENOMINATOR = 1e-6  # below this a denominator is 0 plus rounding noise (=A1-B1), not a count
CLOSE_MATCH_HINTS = 50  # unknown IDs given a "Did you mean" (each look compares with every ID)


Cell = tuple[str, int, Month, int, dict]  # (ID as typed, row, month, value column, extras)
# extras: {name: (value, column)} of the Numerator, Denominator and Note cells that hold something


def read_data(grid: Grid | None, indicators: list[Indicator], settings: ReportSettings, *,
              indicators_read: bool = True, today: dt.date | None = None
              ) -> tuple[dict[str, dict[Month, Figure]], Checks]:
    """The figures of each indicator by month, read from either shape of Data sheet; an ID
    not among ``indicators`` is told (unless the Indicators sheet could not be read at all:
    ``indicators_read`` False), and so is a month after ``today``."""
    check = Checks(today)
    figures: dict[str, dict[Month, Figure]] = {i.id: {} for i in indicators}
    if grid is None or check.empty_required(
            grid, "ID, Period, Value", "one row per indicator and month"):
        return figures, check
    header_row = next((r for r, row in enumerate(grid.rows[:10]) if any(_key(v) == "id" for v in row)), None)
    if header_row is None:
        first = [str(v).strip() for v in (grid.rows[0] if grid.rows else []) if not _blank(v)]
        has = f" (row 1 has: {_listing(first)})" if first else ""
        check.error(grid.ref(0, 0), f"has no 'ID' column{has}.",
                    "Head the first column 'ID', then Period and Value (see kpi-xl init).")
        return figures, check
    check.merged(grid, header_row, {c: str(v).strip() for c, v in enumerate(grid.rows[header_row])
                                    if not _blank(v)})
    header = [_key(v) for v in grid.rows[header_row]]
    long_shape = "period" in header and "value" in header
    id_col = header.index("id")
    read_shape = long_cells if long_shape else wide_cells
    cells = read_shape(check, grid, header_row, header, id_col, settings)
    keep_figures(check, grid, cells, indicators, figures, id_col, long_shape, indicators_read)
    # (a sheet of uncalculated formulas is told as that by the reader's check of formulas)
    no_figures = not any(f.has_data for s in figures.values() for f in s.values())
    if indicators_read and no_figures and not grid.uncalculated and not check.has_errors():
        check.error(grid.ref(header_row + 1, id_col), f"{grid.name} has no figures: no row under the header "
                    "has a value.", "Type one row per indicator and month (ID, Period, Value), as kpi-xl init "
                    "shows." if long_shape else "Type each indicator's figures under its month columns.")
    return figures, check


def row_id(check: Checks, grid: Grid, r: int, id_col: int, has_figures: bool) -> str | None:
    """The row's ID, or None (reporting why) when it has none."""
    raw_id = grid.value(r, id_col)
    if _blank(raw_id):
        if has_figures and not grid.covered(r, id_col):  # merged cells are reported once, above
            check.error(grid.ref(r, id_col), "has a figure with no ID.", "Type the indicator's ID.")
        return None
    if check.text_error(grid.ref(r, id_col), raw_id, "indicator's ID"):
        return None
    return str(raw_id).strip()


def long_cells(check: Checks, grid: Grid, header_row: int, header: list[str], id_col: int,
               settings: ReportSettings) -> list[Cell]:
    """One row per figure: ID, Period, Value (and Numerator, Denominator, Note)."""
    pcol, vcol = header.index("period"), header.index("value")
    extra_cols = {n: header.index(n) for n in ("numerator", "denominator", "note") if n in header}
    width = max(id_col, pcol, vcol, *extra_cols.values()) + 1
    # This loop runs once per figure (24,000 at 1,000 indicators), so it reads each row's cells
    # itself rather than by grid.value, and a period or ID typed before (as text or a date: a
    # number may be a date number, told with its cell) is taken from what reading it gave then:
    # the same value always reads the same, and one read with no problem tells none.
    months: dict[object, Month] = {}
    ids: dict[str, str] = {}
    cells = []
    rows = grid.rows
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if len(row) < width:  # a row ends at its last value
            row = [*row, *[None] * (width - len(row))]
        raw_id, raw_period = row[id_col], row[pcol]
        extras = {n: (row[c], c) for n, c in extra_cols.items() if row[c] is not None}
        if _blank(raw_id) and _blank(raw_period) and _blank(row[vcol]) and all(
                _blank(v) for v, _ in extras.values()):
            continue
        month = months.get(raw_period) if isinstance(raw_period, (str, dt.date)) else None
        if month is None and not (_blank(raw_period) and grid.covered(r, pcol)):  # (merged: reported once, above)
            month = check.period(raw_period, grid.ref(r, pcol), settings.fy_start)
            if month is not None and isinstance(raw_period, (str, dt.date)):
                months[raw_period] = month
        ind_id = ids.get(raw_id) if isinstance(raw_id, str) else None
        if ind_id is None:
            ind_id = row_id(check, grid, r, id_col, True)
            if ind_id is not None and isinstance(raw_id, str):
                ids[raw_id] = ind_id
        if ind_id is not None and month is not None:
            cells.append((ind_id, r, month, vcol, extras))
    return cells


def wide_cells(check: Checks, grid: Grid, header_row: int, header: list[str], id_col: int,
               settings: ReportSettings) -> list[Cell]:
    """One row per indicator, one column per month."""
    months: dict[int, Month] = {}
    for c, text in enumerate(grid.rows[header_row]):
        if c == id_col or _blank(text):
            continue
        if check.cell_error(grid.ref(header_row, c), text, f"Type the month as {ACCEPTED}."):
            continue
        month = check.parse_period(text, grid.ref(header_row, c), settings.fy_start)
        if month is None:
            if isinstance(text, (dt.date, dt.datetime)) or re.search(r"\d", str(text)):
                check.error(grid.ref(header_row, c), f"column heading {_shown(text)} is not a month.",
                            f"Head month columns with {ACCEPTED}.")
            continue  # a text heading such as "Indicator" is an extra column
        if check.future(month, grid.ref(header_row, c)) or check.too_early(month, grid.ref(header_row, c)):
            continue
        months[c] = month
    if not months:
        check.error(grid.ref(header_row, 0), "has neither Period/Value columns nor month headings.",
                    "Use columns ID, Period, Value (one row per figure), or ID then one column per month.")
    cells = []
    rows = grid.rows
    for r in range(header_row + 1, len(rows)):
        row = rows[r]  # (read here, not by grid.value: once per month and indicator)
        filled = [c for c in months if c < len(row) and not _blank(row[c])]
        ind_id = row_id(check, grid, r, id_col, bool(filled))
        if ind_id is None:
            continue
        cells += [(ind_id, r, months[c], c, {}) for c in filled]
    return cells


def keep_figures(check: Checks, grid: Grid, cells: list[Cell], indicators: list[Indicator],
                 figures: dict[str, dict[Month, Figure]], id_col: int, long_shape: bool,
                 indicators_read: bool) -> None:
    """Each cell's figure under its indicator and month; an unknown ID, a second figure for
    a month and a hidden row are told."""
    by_key = {i.id.lower(): i for i in indicators}
    seen: dict[tuple[str, int, int], str] = {}  # (ID, year, month): by numbers, as Month hashes in Python
    unknown: dict[str, tuple[str, list[int]]] = {}
    hidden_told: set[int] = set()
    for raw_id, r, month, vcol, extras in cells:
        ind = by_key.get(raw_id.lower())
        if ind is None:
            unknown.setdefault(raw_id.lower(), (raw_id, []))[1].append(r)
            continue
        where = grid.ref(r, vcol)  # the figure's cell, kept on it
        if r in grid.hidden_rows and r not in hidden_told:
            hidden_told.add(r)
            what = f"figure for {ind.id} {month.label} was" if long_shape else f"figures for {ind.id} were"
            check.warn(grid.ref(r, id_col), f"row {r + 1} is hidden; its {what} used.",
                       "Unhide the row (right-click the row number > Unhide), or delete it if the figure is wrong.")
        key = (ind.id, month.year, month.month)
        first = seen.get(key)
        if first is not None:
            check.error(where, f"{ind.id} has a second figure for {month.label} (first at {first}).",
                        "Keep one row per indicator and month.")
            continue
        seen[key] = where
        figure = read_figure(check, ind, grid, r, vcol, where, extras)
        if figure is not None:
            figures[ind.id][month] = figure
    if indicators_read:  # otherwise every ID is unknown: the Indicators problem says it all
        known = [i.id for i in indicators]
        for n, (raw_id, rows) in enumerate(unknown.values()):
            also = f" (also on row{'s' if len(rows) > 2 else ''} {_rows_text([x + 1 for x in rows[1:]])})" \
                if len(rows) > 1 else ""
            # a near match is looked for among all IDs for the first few unknown IDs only: each
            # look compares with every ID, and hundreds of unknown IDs mean a wrong sheet, not typos
            close = closest(raw_id, known, 0.6) if n < CLOSE_MATCH_HINTS else None
            hint = f"Did you mean '{close}'? " if close is not None else ""
            check.error(grid.ref(rows[0], id_col), f"ID '{raw_id}' is not on the Indicators sheet{also}.",
                        f"{hint}Correct the ID, or add the indicator to the Indicators sheet.")


def read_figure(check: Checks, ind: Indicator, grid: Grid, r: int, c: int, where: str,
                extras: dict) -> Figure | None:
    """The figure typed at ``where`` (row ``r``, column ``c``) with its ``extras`` (see ``Cell``),
    checked; None when there is none. Runs once per figure: the usual cell, a plain number
    with no extras, is taken without the checks."""
    raw = grid.value(r, c)
    value, text = None, None
    number = plain_number(raw)
    if number is None:
        if check.cell_error(where, raw):
            return None
        if not _blank(raw):
            number = None if isinstance(raw, bool) else to_number(raw)
            if number is None:
                text = str(raw).strip()
                check.length(text, where)
            elif check.unratable(number, where):
                return None
    if number is not None:
        if ind.is_percent:
            typed_percent = "%" in grid.number_format(r, c) or (isinstance(raw, str) and raw.strip().endswith("%"))
            value = check.percent(number, where, typed_percent, f"{ind.id} value")
        else:
            value = number
    parts = read_parts(check, ind, grid, r, extras) if extras else {}
    if value is None and text is None and len(parts) == 2:
        value = parts["numerator"] / parts["denominator"]
    elif value is not None and len(parts) == 2 and ind.is_percent:
        implied = parts["numerator"] / parts["denominator"]
        if abs(implied - value) > 0.0051:
            check.warn(where, f"{ind.id} value {value:.1%} does not match Numerator/Denominator "
                       f"({parts['numerator']:g}/{parts['denominator']:g} = {implied:.1%}).",
                       "Correct the value or the numerator and denominator.")
    note_raw, note_col = extras.get("note", (None, 0))
    if isinstance(note_raw, str):
        check.length(note_raw, grid.ref(r, note_col))
    note = None if _blank(note_raw) else str(note_raw).strip()
    if value is None and text is None and note is None and not parts:
        return None
    return Figure(value=value, text=text, numerator=parts.get("numerator"),
                  denominator=parts.get("denominator"), note=note, where=where)


def read_parts(check: Checks, ind: Indicator, grid: Grid, r: int, extras: dict) -> dict[str, float]:
    """The figure's numerator and denominator (``{"numerator": n, "denominator": d}``), each
    that is typed and can be read; neither when the pair cannot make a ratio (told)."""
    parts = {}
    for name in ("numerator", "denominator"):
        raw_part, part_col = extras.get(name, (None, 0))
        if _blank(raw_part):
            continue
        number = plain_number(raw_part)
        if number is None:
            number = check.number(raw_part, grid.ref(r, part_col), name.title())
        if number is not None:
            parts[name] = number

    def denominator_cell() -> str:
        return grid.ref(r, extras["denominator"][1])

    if "denominator" in parts and abs(parts["denominator"]) < SMALLEST_DENOMINATOR:
        shown = "" if parts["denominator"] == 0 else f" (in fact {parts['denominator']:g}, shown as 0)"
        check.warn(denominator_cell(), f"{ind.id} has a denominator of 0{shown}; the pair was left out of "
                   "the YTD ratio.", "Type the real denominator, or clear both numerator and denominator.")
        parts.clear()
    if parts.get("denominator", 0) < 0:
        check.error(denominator_cell(), f"{ind.id} has a negative denominator ({parts['denominator']:g}).",
                    "Type the real denominator (the number of cases, above 0), or clear both numerator and "
                    "denominator.")
        parts.clear()
    if len(parts) == 2:
        ratio = parts["numerator"] / parts["denominator"]
        if plain_number(ratio) is None and check.unratable(ratio, denominator_cell(),
                                                           f"{ind.id} Numerator/Denominator"):
            parts.clear()
    return parts
