"""The Overview sheet: the lists a person writes instead of the ones proposed from the ratings."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import OVERVIEW_LISTS, Indicator, OverviewItem
from ..table import Table, _blank, _key, find_sheet

if TYPE_CHECKING:
    from ..reader import Reader


def read_overview(reader: Reader, indicators: list[Indicator]) -> list[OverviewItem]:
    grid = find_sheet(reader.grids, "Overview")
    if grid is None or grid.is_blank():
        return []
    table = Table(grid, {"list": ("list",), "text": ("text",), "id": ("id",)}, ("list", "text"),
                  reader.problems, "list")
    if table.missing:
        return []
    items = []
    for r, rec in table.records():
        if reader._text_error(table.ref(r, "list"), rec["list"], "list name"):
            continue
        reader._clear_errors(table, r, rec, {"text": "text", "id": "indicator's ID"})
        name = next((n for n in OVERVIEW_LISTS if _key(n) == _key(rec["list"])), None)
        if name is None:
            reader.error(table.ref(r, "list"), f"list '{rec['list']}' is not one of the overview lists.",
                         f"Type one of: {', '.join(OVERVIEW_LISTS)}.")
            continue
        if _blank(rec["text"]):
            continue
        reader._check_length(rec["text"], table.ref(r, "text"))
        ind_id = None if _blank(rec.get("id")) else str(rec["id"]).strip()
        items.append(OverviewItem(name, str(rec["text"]).strip(), ind_id, table.ref(r, "text")))
    return items
