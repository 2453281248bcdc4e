"""The benchmark columns (declared in ``columns.py``): a comparator's figure, the gap to it, and
the quartile band; and which comparator each column shows."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..rate.benchmarks import BAND_MEANINGS, Comparison
from ..model import ENGLAND, NEIGHBOURS, REGIONS
from .cells import number_format

if TYPE_CHECKING:
    from ..rate.evaluate import Result
    from .builder import LayoutBuilder
    from .columns import Place

#: the columns a template can name for each kind of comparator
BENCHMARK_KEYS = {"england": ENGLAND, "region": "region", "stat_neighbours": NEIGHBOURS}
GAP_KEYS = {f"{key}_gap": key for key in BENCHMARK_KEYS}
#: light fills for the band letters (the letter is always shown: colour never carries it alone)
BAND_FILLS = {"A": "#C6E0B4", "B": "#E2EFDA", "C": "#FCE4D6", "D": "#F8CBAD"}
HEADERS = {"england": "England", "stat_neighbours": "Stat neighbours"}


def comparator_of(b: LayoutBuilder, key: str) -> str:
    """The comparator a column shows: England, statistical neighbours, or the region on the
    Benchmarks sheet (the first one given, e.g. London)."""
    key = GAP_KEYS.get(key, key)
    if key != "region":
        return BENCHMARK_KEYS[key]
    return next((row.comparator for row in b.ev.raw.benchmarks if row.comparator in REGIONS), "Region")


def comparison(b: LayoutBuilder, key: str, res: Result) -> Comparison | None:
    name = comparator_of(b, key)
    return next((c for c in res.comparisons if c.comparator == name), None)


def header(b: LayoutBuilder, key: str, kind: str, keys: list[str]) -> str:
    name = HEADERS.get(GAP_KEYS.get(key, key)) or comparator_of(b, key)
    return f"Gap to {name}" if key in GAP_KEYS else name


def short_label(label: str) -> str:
    """``2018/19`` -> ``18/19`` (a year shown with a figure, as ``Nov 19:`` is)."""
    return label[2:] if len(label) == 7 and label[4] == "/" else label


def bench(b: LayoutBuilder, p: Place, res: Result) -> None:
    """The comparator's figure for the period rated, labelled with its period when it is not that month."""
    c = comparison(b, p.key, res)
    style = b.style_for(res.indicator, b.s["cell"])
    if c is None or c.value is None:
        p.sheet.put(p.row, p.col, "", style)
        return
    prefix = f"{short_label(c.label)}: " if c.label else ""
    p.sheet.put(p.row, p.col, c.value, style.but(num_format=number_format(res.indicator, prefix)))


def bench_gap(b: LayoutBuilder, p: Place, res: Result) -> None:
    """The figure rated minus the comparator's, in the indicator's unit (pp for a %)."""
    c = comparison(b, p.key, res)
    p.sheet.put(p.row, p.col, c.gap_text if c else "", b.style_for(res.indicator, b.s["cell"]))


def band(b: LayoutBuilder, p: Place, res: Result) -> None:
    letter = res.band.letter if res.band else ""
    style = b.s["rag"].but(fill=BAND_FILLS[letter]) if letter else b.s["centre"]
    p.sheet.put(p.row, p.col, letter, style)


def shown_columns(b: LayoutBuilder, cols: list[str]) -> list[str]:
    """``cols`` without the benchmark columns whose comparator has no figures: a template can
    name them all, and a workbook with no Benchmarks sheet looks as it did without them."""
    given = {row.comparator for row in b.ev.raw.benchmarks}

    def has_figures(key: str) -> bool:
        if key == "band":
            return b.any_band
        if key in BENCHMARK_KEYS or key in GAP_KEYS:
            return comparator_of(b, key) in given
        return True

    return [key for key in cols if has_figures(key)]


def band_key_rows() -> list[tuple[str, str, str]]:
    """(letter, fill, meaning) for the key sheet."""
    return [(letter, BAND_FILLS[letter], meaning) for letter, meaning in BAND_MEANINGS.items()]
