"""The Rebase sheet: from which month an indicator's SPC limits start again (ID, Period, Reason)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Indicator, Rebase, ReportSettings
from ..table import Table, _blank, _key, find_sheet

if TYPE_CHECKING:
    from ..reader import Reader


def read_rebases(reader: Reader, indicators: list[Indicator], settings: ReportSettings) -> list[Rebase]:
    grid = find_sheet(reader.grids, "Rebase")
    if grid is None or grid.is_blank():
        return []
    table = Table(grid, {"id": ("id",), "period": ("period", "from", "month"), "reason": ("reason", "why")},
                  ("id", "period"), reader.problems, "id")
    if table.missing:
        return []
    ids = {_key(i.id): i.id for i in indicators}
    seen: dict[tuple[str, object], str] = {}
    rebases = []
    for r, rec in table.records():
        if _blank(rec.get("id")) and _blank(rec.get("period")):
            continue
        reader._clear_errors(table, r, rec, {"id": "indicator's ID", "reason": "reason"})
        if _blank(rec.get("id")):
            reader.error(table.ref(r, "id"), "has a rebase with no indicator ID.",
                         "Type the ID of the indicator whose SPC limits start again, as on the Indicators sheet.")
            continue
        ind_id = ids.get(_key(rec["id"]))
        if ind_id is None:
            if reader.indicators_ok:
                reader.error(table.ref(r, "id"), f"ID '{rec['id']}' is not on the Indicators sheet.",
                             "Correct the ID, or delete the row.")
            continue
        month = reader._period(rec.get("period"), table.ref(r, "period"), settings.fy_start)
        if month is None:
            continue
        reason = "" if _blank(rec.get("reason")) else str(rec["reason"]).strip()
        reader._check_length(rec.get("reason"), table.ref(r, "reason"))
        where = table.ref(r, "period")
        if (ind_id, month) in seen:
            reader.warn(where, f"{ind_id} is rebased from {month.long_label} twice (also {seen[(ind_id, month)]}).",
                        "Delete one of the two rows.")
            continue
        seen[(ind_id, month)] = where
        rebases.append(Rebase(ind_id, month, reason, where))
    return rebases
