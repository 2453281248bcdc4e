"""The Distributions sheet: small tables of bands (for example waiting times) shown on a section sheet."""
from __future__ import annotations

from ...model import Distribution, Unit
from ..checks import Checks
from ..grid import Grid
from ..table import Table, _blank, to_number

SHEET = "Distributions"


def read_distributions(grid: Grid | None) -> tuple[list[Distribution], Checks]:
    check = Checks()
    if grid is None or grid.is_blank():
        return [], check
    cols = {"section": ("section",), "title": ("title",), "row": ("row",), "unit": ("unit",)}
    table = Table(grid, cols, ("section", "title", "row"), check, "section")
    if table.missing:
        return [], check
    header = grid.rows[table.header_row]
    band_cols = [c for c, v in enumerate(header) if c not in table.col.values() and not _blank(v)]
    tables: dict[tuple[str, str], dict] = {}
    for r, rec in table.records():
        check.clear_errors(table, r, rec, {"section": "section name", "title": "table title", "row": "row label"})
        if any(_blank(rec.get(f)) for f in ("section", "title", "row")):
            continue
        unit = check.choice(Unit, rec.get("unit"), table.ref(r, "unit"), "Unit", Unit.PERCENT)
        values = []
        for c in band_cols:
            v = grid.value(r, c)
            if check.cell_error(grid.ref(r, c), v):
                v = None
            number = to_number(v) if not _blank(v) else None
            if number is not None and unit is Unit.PERCENT:
                number = check.percent(number, grid.ref(r, c), "%" in grid.number_format(r, c), "Band value")
            values.append(number if number is not None else (None if _blank(v) else str(v)))
        key = (str(rec["section"]).strip(), str(rec["title"]).strip())
        entry = tables.setdefault(key, {"unit": unit, "rows": []})
        entry["rows"].append((str(rec["row"]).strip(), tuple(values)))
    return [Distribution(s, t, tuple(str(header[c]) for c in band_cols), tuple(e["rows"]), e["unit"])
            for (s, t), e in tables.items()], check
