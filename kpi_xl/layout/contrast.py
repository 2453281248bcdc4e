"""Colour contrast by the WCAG 2.2 formula, and the text colour that reads on a fill.

Pure functions on ``#RRGGBB`` strings: the layout picks black or white text for each
rating fill with them, and ``kpi_xl.run.accessibility`` checks any workbook's cells.
"""
from __future__ import annotations

#: WCAG 2.2 AA (success criterion 1.4.3): normal-sized text needs at least 4.5:1 against its background.
MINIMUM_CONTRAST = 4.5
BLACK, WHITE = "#000000", "#FFFFFF"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (0 black .. 1 white)."""
    h = colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(text: str, fill: str) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((luminance(text), luminance(fill)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (white on the default red, black on amber)."""
    return WHITE if contrast(WHITE, fill) > contrast(BLACK, fill) else BLACK
