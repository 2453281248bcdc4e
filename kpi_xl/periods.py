"""Months, financial years and the many ways people type a period."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_FULL = ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"]
_LOOKUP = {name: i + 1 for i, name in enumerate(_FULL)}
_LOOKUP.update({name[:3]: i + 1 for i, name in enumerate(_FULL)})
_LOOKUP["sept"] = 9


def month_name(month: int) -> str:
    """``January`` for 1 (always English, as the scorecard is)."""
    return _FULL[month - 1].capitalize()

ACCEPTED = "a date, or month text such as Jan-20, January 2020, 2020-01, 01/2020 or Q3 2013/14"

#: The years a reporting month can be in. Anything outside is a typing slip (1850, 0001, a
#: count in a Period cell read as a date), never a real period: the one range every check uses.
PLAUSIBLE_YEARS = range(1950, 2100)

#: Day 0 of Excel's date numbers. Right for every number after 60, the 29 February 1900 that
#: Excel counts but never was; PLAUSIBLE_YEARS starts long after it.
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; the unit of every period in kpi_xl."""

    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> "Month":
        return cls(index // 12, index % 12 + 1)

    def __add__(self, months: int) -> "Month":
        return Month.from_index(self.index + months)

    def __sub__(self, other):
        if isinstance(other, Month):
            return self.index - other.index
        return Month.from_index(self.index - other)

    @property
    def label(self) -> str:
        """``Jan-20``, as the reference reports head their month columns."""
        return f"{MONTH_NAMES[self.month - 1]}-{self.year % 100:02d}"

    @property
    def long_label(self) -> str:
        """``January 2020``."""
        return f"{_FULL[self.month - 1].capitalize()} {self.year}"

    @property
    def short_label(self) -> str:
        """``Nov 19``, as in the arrears label ``Nov 19: 73%``."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year % 100:02d}"

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def to_date(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return self.label


def financial_year_start(month: Month, start_month: int = 4) -> Month:
    """First month of the financial year containing ``month`` (April by default)."""
    year = month.year if month.month >= start_month else month.year - 1
    return Month(year, start_month)


def financial_year_label(month: Month, start_month: int = 4) -> str:
    """``2013/14`` for any month from April 2013 to March 2014."""
    start = financial_year_start(month, start_month)
    if start_month == 1:
        return str(start.year)
    return f"{start.year}/{(start.year + 1) % 100:02d}"


def quarter_label(month: Month, start_month: int = 4) -> str:
    """``Q3 2013/14`` for October to December 2013 (financial quarters)."""
    start = financial_year_start(month, start_month)
    q = (month - start) // 3 + 1
    return f"Q{q} {financial_year_label(month, start_month)}"


def quarter_end(month: Month, start_month: int = 4) -> Month:
    start = financial_year_start(month, start_month)
    return start + ((month - start) // 3) * 3 + 2


def is_plausible(month: Month) -> bool:
    """Whether ``month`` lies in ``PLAUSIBLE_YEARS``."""
    return month.year in PLAUSIBLE_YEARS


def excel_date_number(day: dt.date) -> int:
    """The number Excel stores for ``day``: 43831 for 1 January 2020."""
    return (day - EXCEL_EPOCH).days


#: The date numbers read as dates: 18264 (1 January 1950) to 73050 (31 December 2099).
DATE_NUMBERS = range(excel_date_number(dt.date(PLAUSIBLE_YEARS.start, 1, 1)),
                     excel_date_number(dt.date(PLAUSIBLE_YEARS.stop - 1, 12, 31)) + 1)


def date_from_number(value) -> dt.date | None:
    """The date behind a date cell formatted *General* (which shows 43831 for 1 January
    2020; the Excel add-in receives such cells the same way): a whole number in
    ``DATE_NUMBERS``. ``None`` for anything else, including text and fractions."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not float(value).is_integer() or int(value) not in DATE_NUMBERS:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(value))


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def parse_period(value, start_month: int = 4) -> Month | None:
    """Read a period as typed in a workbook; ``None`` if it cannot be read.

    Accepts Excel dates (``datetime``/``date``), ``Jan-20``, ``Jan 20``, ``January 2020``,
    ``2020-01``, ``2020-01-31``, ``01/2020``, ``31/01/2020`` and financial quarters
    ``Q3 2013/14`` (read as the quarter's last month).
    """
    if isinstance(value, (dt.datetime, dt.date)):
        return Month(value.year, value.month)
    if isinstance(value, Month):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("\u2013", "-")
    if not text:
        return None
    try:
        m = re.fullmatch(r"([a-z]+)\.?[\s\-/']*(\d{2}|\d{4})", text)
        if m and m.group(1) in _LOOKUP:
            return Month(_year(m.group(2)), _LOOKUP[m.group(1)])
        m = re.fullmatch(r"(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2})?(?:[ t].*)?", text)
        if m:
            return Month(int(m.group(1)), int(m.group(2)))
        m = re.fullmatch(r"(?:\d{1,2}/)?(\d{1,2})/(\d{4})", text)
        if m:
            return Month(int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"q([1-4])\s*(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})", text)
        if m:
            fy_start = Month(int(m.group(2)), start_month)
            return fy_start + (int(m.group(1)) - 1) * 3 + 2
    except ValueError:
        return None
    return None


def parse_month_name(value) -> int | None:
    """``April``, ``Apr`` or ``4`` -> 4 (for the *Financial year start* setting)."""
    if isinstance(value, (int, float)) and float(value).is_integer() and 1 <= value <= 12:
        return int(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit() and 1 <= int(text) <= 12:
            return int(text)
        return _LOOKUP.get(text)
    return None
