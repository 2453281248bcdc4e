"""The Overview sheet: the lists a person writes instead of the ones proposed from the ratings."""
from __future__ import annotations

from ...model import OVERVIEW_LISTS, OverviewItem
from ..checks import Checks
from ..grid import Grid
from ..table import Table, _blank, _key

SHEET = "Overview"


def read_overview(grid: Grid | None) -> tuple[list[OverviewItem], Checks]:
    check = Checks()
    if grid is None or grid.is_blank():
        return [], check
    table = Table(grid, {"list": ("list",), "text": ("text",), "id": ("id",)}, ("list", "text"),
                  check, "list")
    if table.missing:
        return [], check
    items = []
    for r, rec in table.records():
        if check.text_error(table.ref(r, "list"), rec["list"], "list name"):
            continue
        check.clear_errors(table, r, rec, {"text": "text", "id": "indicator's ID"})
        name = next((n for n in OVERVIEW_LISTS if _key(n) == _key(rec["list"])), None)
        if name is None:
            check.error(table.ref(r, "list"), f"list '{rec['list']}' is not one of the overview lists.",
                        f"Type one of: {', '.join(OVERVIEW_LISTS)}.")
            continue
        if _blank(rec["text"]):
            continue
        check.length(rec["text"], table.ref(r, "text"))
        ind_id = None if _blank(rec.get("id")) else str(rec["id"]).strip()
        items.append(OverviewItem(name, str(rec["text"]).strip(), ind_id, table.ref(r, "text")))
    return items, check
