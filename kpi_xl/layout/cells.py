"""Shared pieces of every sheet kind: number formats, labels, row heights, page breaks, and
the names of the answer boxes the next run carries typed commentary from."""
from __future__ import annotations

import hashlib
import math

from ..model import Frequency, Indicator, Rating
from ..periods import Month, quarter_label
from ..rate.evaluate import Result
from ..rate.rules import format_number
from .types import Style

ORPHANS_HEADING = "Orphaned notes from the previous scorecard"  # the list of notes that have no box
QUESTIONS = (("why", "Why does the data look the way it does?"),
             ("what", "What are you going to do about it?"),
             ("when", "When are you going to do it by?"))

#: whether a rating meets its target, as a chart's alternative text says it
TARGET_MET = {Rating.GREEN: "met (Green)", Rating.AMBER: "not met, short by less than the tolerance (Amber)",
              Rating.RED: "not met (Red)", Rating.GREY: "not rated (Grey)", Rating.NO_DATA: "no figure to rate"}
FIRST_COLUMN_WIDTH = 55  # characters: the first column of a section or commentary sheet (titles, questions)


def number_format(ind: Indicator, prefix: str = "") -> str:
    decimals = "." + "0" * ind.decimals if ind.decimals else ""
    body = f"0{decimals}%" if ind.is_percent else f"#,##0{decimals}"
    if prefix:
        return f'"{prefix}"{body}'
    return body


def figure_label(res: Result, month: Month | None, fy_start: int = 4) -> str:
    """What a figure shown outside its own month's column is labelled with: its quarter
    (``Q4 23/24``) for a quarterly indicator, its month (``Nov 19``) for one in arrears."""
    if month is None:
        return ""
    if res.indicator.frequency is Frequency.QUARTERLY:
        quarter, year = quarter_label(month, fy_start).split(" ")
        return f"{quarter} {year[2:] if '/' in year else year}"
    return month.short_label if res.in_arrears else ""


BARS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def text_trend(values: list[float | None]) -> str:
    """A sparkline in text (``▁▃▅▇``), a space for a month with no figure."""
    numbers = [v for v in values if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1
    return "".join(" " if v is None else BARS[round((v - low) / span * 7) if high != low else 3] for v in values)


def text_height(text: str, width_chars: float, line_height: float = 13.5) -> float:
    """Row height (points) that shows ``text`` wrapped in a cell ``width_chars`` wide."""
    lines = 0
    for para in (text or "").split("\n"):
        lines += max(1, math.ceil(len(para) * 0.95 / max(width_chars, 10)))
    return min(409, max(15, lines * line_height + 3))


def content_width(value, style: Style, maximum: float) -> float:
    """The width (characters) a bordered table cell needs to show ``value`` as ``style`` prints it."""
    if isinstance(value, float) and style.num_format:
        text = format_number(value, 1, "%" in style.num_format) + "   "
        if '"' in style.num_format:
            text += style.num_format.split('"')[1]
    else:
        text = str(value)
    longest = max((len(part) for part in text.split("\n")), default=0)
    if style.bold:
        longest *= 1.1
    width = min(maximum, longest + 2)
    if isinstance(value, float) and '"' in (style.num_format or ""):
        # a labelled number ("Q3 13/14: 16.5%") cannot wrap: give it the width it needs, or Excel shows ###
        label, body = style.num_format[1:].rsplit('"', 1)
        width = max(width, len(label + format_number(value, body.count("0") - 1, "%" in body)) + 2)
    return width


# -- the builder -----------------------------------------------------------------


PAGE_POINTS = 500  # rows' height that fits on an A4 landscape page at 100% scale, header and footer aside


def section_breaks(blocks: list[tuple[int, int]], heights: dict[int, float], header: float,
                   first_page: float = 0, page: float = PAGE_POINTS) -> list[int]:
    """Page breaks before a section that would otherwise start near the foot of a page and
    run on to the next (a section longer than a page simply continues)."""
    breaks, used = [], first_page + header
    for first, last in blocks:
        size = sum(heights.get(r, 15) for r in range(first, last + 1))
        if used + size > page and used > header + first_page * (not breaks) and size <= page - header:
            breaks.append(first)
            used = header
        used += size
        while used > page:  # a block running over pages
            used -= page - header
    return breaks


def note_name(key: tuple[str, str], question: str) -> str:
    """The defined name of an answer cell: ``KPI_why_s_<hex of the section name>``."""
    return f"KPI_{question}_{key[0][0]}_{key[1].encode('utf-8').hex()}"


def fingerprint(text: str) -> str:
    """A short fingerprint of a text (line endings and surrounding spaces ignored)."""
    clean = "\n".join(line.rstrip() for line in str(text or "").replace("\r\n", "\n").strip().split("\n"))
    return hashlib.sha256(clean.encode("utf-8")).hexdigest()[:10]


def parse_note_name(name: str) -> tuple[str, str, str] | None:
    """(kind, key, question) from a name made by ``note_name``; ``None`` for other names."""
    parts = name.split("_", 3)
    kinds = {"s": "section", "i": "indicator", "o": "other"}
    if len(parts) != 4 or parts[0] != "KPI" or parts[2] not in kinds:
        return None
    try:
        return kinds[parts[2]], bytes.fromhex(parts[3]).decode("utf-8"), parts[1]
    except ValueError:
        return None
