"""How a cell's stored text becomes a Python value, exactly as openpyxl 3.1 makes it.

The streaming reader (``xlsx_stream``) uses these so that a workbook reads the same with
it as it always did with openpyxl (``tests/test_xlsx_stream.py`` compares the two): the
built-in number formats and how a format is recognised as a date, time or duration; Excel
serial numbers to dates in the 1900 and 1904 calendars; ISO dates (``t="d"``); A1
references. Nothing here imports openpyxl (importing it costs a fifth of a second).
"""
from __future__ import annotations

import datetime
import re
from functools import lru_cache
from string import ascii_uppercase, digits

# -- number formats (openpyxl.styles.numbers) ----------------------------------------------------

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
    18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
BUILTIN_FORMATS_MAX_SIZE = 164  # custom formats are numbered from here
BUILTIN_FORMATS_REVERSE = {code: number for number, code in BUILTIN_FORMATS.items()}

_STRIP_RE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # quoted text, [Red], [$-409] ...
_DATE_RE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA_RE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def is_date_format(fmt: str | None) -> bool:
    """Whether numbers in this format are dates or times (first section only)."""
    if fmt is None:
        return False
    return _DATE_RE.search(_STRIP_RE.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    """Whether numbers in this format are durations (``[h]:mm:ss``)."""
    if fmt is None:
        return False
    return _TIMEDELTA_RE.search(fmt.split(";")[0]) is not None


# -- dates (openpyxl.utils.datetime) --------------------------------------------------------------

WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
MAC_EPOCH = datetime.datetime(1904, 1, 1)
_ISO_REGEX = re.compile(r"""
(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?
(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?""", re.VERBOSE)
_ISO_DURATION = re.compile(r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")


def from_excel(value, epoch=WINDOWS_EPOCH, timedelta=False):
    """An Excel serial number as a datetime, a time (under one day) or a timedelta."""
    if value is None:
        return None
    if timedelta:
        td = datetime.timedelta(days=value)
        if td.microseconds:  # to the millisecond
            td = datetime.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = datetime.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return datetime.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel's 29 February 1900, which never was
    return epoch + datetime.timedelta(days=day) + diff


def from_iso8601(text: str):
    """An ISO 8601 date, time, date-time or duration (``t="d"`` cells) as Python's."""
    if not text:
        return None
    match = _ISO_REGEX.match(text)
    if match and any(match.groups()):
        parts = match.groupdict(0)
        for key in ["year", "month", "day", "hour", "minute", "second"]:
            if parts[key]:
                parts[key] = int(parts[key])
        if parts["microsecond"]:
            parts["microsecond"] = int(float(parts["microsecond"]) * 1_000_000)
        if not parts["date"]:
            return datetime.time(parts["hour"], parts["minute"], parts["second"], parts["microsecond"])
        if not parts["time"]:
            return datetime.date(parts["year"], parts["month"], parts["day"])
        del parts["time"], parts["date"]
        return datetime.datetime(**parts)
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        parts = match.groupdict(0)
        return datetime.timedelta(**{key: float(val) if val else val for key, val in parts.items()})
    raise ValueError(f"Invalid datetime value {text}")


def cast_number(text: str):
    """``"12"`` -> 12, ``"1.5"`` or ``"1E3"`` -> float; anything else raises ValueError."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


# -- A1 references (openpyxl.utils.cell) ---------------------------------------------------------

_LETTER_VALUE = {letter: pos for pos, letter in enumerate(ascii_uppercase, 1)}
_RANGE_RE = re.compile(r"""^[$]?(?P<min_col>[A-Za-z]{1,3})?[$]?(?P<min_row>\d+)?
(:[$]?(?P<max_col>[A-Za-z]{1,3})?[$]?(?P<max_row>\d+)?)?$""", re.VERBOSE)


@lru_cache(maxsize=None)
def get_column_letter(col_idx: int) -> str:
    """1 -> ``A``, 28 -> ``AB`` (columns up to ``ZZZ``)."""
    if not 1 <= col_idx <= 18278:
        raise ValueError(f"Invalid column index {col_idx}")
    letters = []
    while col_idx:
        col_idx, remainder = divmod(col_idx, 26)
        if not remainder:
            remainder, col_idx = 26, col_idx - 1
        letters.append(ascii_uppercase[remainder - 1])
    return "".join(reversed(letters))


@lru_cache(maxsize=None)
def column_index_from_string(col: str) -> int:
    """``A`` -> 1, ``ab`` -> 28; raises ValueError past ``ZZZ``."""
    error = f"'{col}' is not a valid column name. Column names are from A to ZZZ"
    if len(col) > 3:
        raise ValueError(error)
    idx = 0
    for letter, power in zip(reversed(col.upper()), (1, 26, 676)):
        if letter not in _LETTER_VALUE:
            raise ValueError(error)
        idx += _LETTER_VALUE[letter] * power
    if not 0 < idx < 18279:
        raise ValueError(error)
    return idx


def coordinate_to_tuple(coordinate: str) -> tuple[int, int]:
    """``B12`` -> (12, 2), 1-based."""
    idx = 0
    for idx, c in enumerate(coordinate):  # noqa: B007  (the split falls where the digits start)
        if c in digits:
            break
    return int(coordinate[idx:]), column_index_from_string(coordinate[:idx])


def range_boundaries(text: str) -> tuple:
    """``A1:C3`` -> (min col, min row, max col, max row), 1-based; ``A:C`` and ``1:3`` leave
    the missing ones ``None``. Raises ValueError for anything else."""
    msg = f"{text} is not a valid coordinate or range"
    m = _RANGE_RE.match(text)
    if not m:
        raise ValueError(msg)
    min_col, min_row, sep, max_col, max_row = m.groups()
    if sep:
        cols, rows = (min_col, max_col), (min_row, max_row)
        if not (all(cols + rows) or all(cols) and not any(rows) or all(rows) and not any(cols)):
            raise ValueError(msg)
    min_col = column_index_from_string(min_col) if min_col is not None else None
    min_row = int(min_row) if min_row is not None else None
    max_col = column_index_from_string(max_col) if max_col is not None else min_col
    max_row = int(max_row) if max_row is not None else min_row
    return min_col, min_row, max_col, max_row


def merged_range(text: str) -> str:
    """A merged range as openpyxl names it (``$A$5:$a$7`` -> ``A5:A7``, ``B2:B2`` -> ``B2``);
    raises ValueError (or TypeError, for whole rows or columns) as openpyxl refuses it."""
    min_col, min_row, max_col, max_row = range_boundaries(text)
    if min_col > max_col:
        raise ValueError(f"{max_col} must be greater than {min_col}")
    if min_row > max_row:
        raise ValueError(f"{max_row} must be greater than {min_row}")
    first = f"{get_column_letter(min_col)}{min_row}"
    return first if (min_col, min_row) == (max_col, max_row) else f"{first}:{get_column_letter(max_col)}{max_row}"
