"""The colour rules of the accessibility check (``kpi_xl.run.accessibility``): text on every
fill, conditional formats included, at least 4.5:1 (WCAG 2.2 AA); no meaning by colour alone
(a conditional colour on cells without words, an arrow without its word, a coloured empty
cell in a table)."""
from __future__ import annotations

import re
from collections import defaultdict

from ..errors import Problem
from ..layout.contrast import BLACK, MINIMUM_CONTRAST, WHITE, contrast
from .accessibility import Table, is_blank, where

ARROWS = set("\u25B2\u25BC\u25BA\u25C4\u2191\u2193\u2192\u2190\u2B06\u2B07\u25B6\u25C0")


def colour_hex(color) -> str | None:
    """``#RRGGBB`` of an openpyxl colour, or None when it is automatic or a theme colour."""
    if color is None:
        return None
    if color.type == "rgb" and isinstance(color.rgb, str) and len(color.rgb) >= 6:
        return "#" + color.rgb[-6:].upper()
    if color.type == "indexed" and isinstance(color.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX  # noqa: PLC0415

        if color.indexed < len(COLOR_INDEX):
            return "#" + COLOR_INDEX[color.indexed][-6:].upper()
    return None


def fill_hex(fill, conditional: bool = False) -> str | None:
    if fill is None:
        return None
    if conditional:  # a conditional format's solid fill is its background colour
        return colour_hex(fill.bgColor) or colour_hex(fill.fgColor)
    return colour_hex(fill.fgColor) if fill.patternType == "solid" else None


def _is_neutral(colour: str) -> bool:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return max(r, g, b) - min(r, g, b) < 24  # black, grey or white: carries no meaning


def _matches_words(rule, sqref: str) -> bool:
    """Whether a conditional format applies only where its cell holds a word (``=$H5="Green"``
    over column H): then the colour goes with the word, never alone."""
    from openpyxl.utils.cell import range_boundaries  # noqa: PLC0415

    formula = (rule.formula or [""])[0] if rule.type == "expression" else ""
    own = re.fullmatch(r'=?\$?([A-Z]{1,3})\$?\d+\s*=\s*"[^"]*\w[^"]*"', formula.strip())
    if rule.type == "containsText" or (rule.type == "cellIs" and rule.operator == "equal"
                                       and all(f.strip().startswith('"') for f in rule.formula or [""])):
        return True
    if not own:
        return False
    from openpyxl.utils import column_index_from_string  # noqa: PLC0415

    return all(range_boundaries(ref)[0] == range_boundaries(ref)[2] == column_index_from_string(own.group(1))
               for ref in sqref.split())


def colour_problems(ws, tables: list[Table]) -> list[Problem]:
    from openpyxl.utils.cell import range_boundaries  # noqa: PLC0415

    low: dict[tuple[str, str], list[str]] = defaultdict(list)  # (text, fill) -> cells
    found = []
    cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    for c in cells.values():
        text = colour_hex(c.font.color) if c.font else None
        fill = fill_hex(c.fill)
        if not is_blank(c.value):
            if contrast(text or BLACK, fill or WHITE) < MINIMUM_CONTRAST:
                low[(text or BLACK, fill or WHITE)].append(c.coordinate)
            if isinstance(c.value, str) and c.value.strip() and set(c.value.strip()) <= ARROWS | {" "} \
                    and text and not _is_neutral(text):
                found.append(Problem(where(ws.title, c.coordinate), f"the arrow '{c.value.strip()}' says better or "
                                     "worse by its colour alone.", "Add the word: e.g. '\u25B2 better'."))
        elif fill and fill != WHITE and any(t.covers(c.row, c.column) for t in tables):
            row_fills = {fill_hex(o.fill) for (r, _), o in cells.items() if r == c.row and not is_blank(o.value)}
            if fill not in row_fills:
                found.append(Problem(where(ws.title, c.coordinate), f"the cell is coloured {fill} with no words, "
                                     "so its meaning is lost to a screen reader and a colour-blind reader.",
                                     "Type the rating or meaning in the cell (e.g. 'Red'), not only the colour."))
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            dxf = rule.dxf
            if dxf is None:
                continue
            rule_text = colour_hex(dxf.font.color) if dxf.font else None
            rule_fill = fill_hex(dxf.fill, conditional=True)
            if not (rule_text or rule_fill):
                continue
            wordless = []
            words_only = _matches_words(rule, str(cf.sqref))
            for ref in str(cf.sqref).split():
                first_col, first_row, last_col, last_row = range_boundaries(ref)
                for row in range(first_row, last_row + 1):
                    for col in range(first_col, last_col + 1):
                        c = cells.get((row, col))
                        value = c.value if c is not None else None
                        if not words_only and (not isinstance(value, str) or set(value.strip()) <= ARROWS | {" "}):
                            wordless.append(f"{c.coordinate if c is not None else ref}")
                        if c is None or is_blank(value):
                            continue
                        text = rule_text or colour_hex(c.font.color) or BLACK
                        fill = rule_fill or fill_hex(c.fill) or WHITE
                        if contrast(text, fill) < MINIMUM_CONTRAST:
                            low[(text, fill)].append(c.coordinate)
            if wordless:
                found.append(Problem(where(ws.title, str(cf.sqref)), f"a conditional format colours {len(wordless)} "
                                     f"cell(s) holding numbers or nothing (first {wordless[0]}): the colour is the "
                                     "only sign of what it means.", "Show the meaning in words as well, e.g. a "
                                     "RAG column with Green/Amber/Red beside the figures."))
    for (text, fill), refs in low.items():
        more = f" and {len(refs) - 1} more cell(s) with these colours" if len(refs) > 1 else ""
        found.append(Problem(where(ws.title, refs[0]), f"text {text} on fill {fill} has a contrast of "
                             f"{contrast(text, fill):.1f}:1{more}; WCAG 2.2 AA asks for at least "
                             f"{MINIMUM_CONTRAST}:1.", "Use black or white text, whichever reads better on "
                             "the fill, or a lighter or darker fill."))
    return found
