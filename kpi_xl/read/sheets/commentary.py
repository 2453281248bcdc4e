"""The Commentary sheet: why, what and when for a section or an indicator."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Commentary, Indicator, note_text
from ..table import Table, _blank, _key, find_sheet

if TYPE_CHECKING:
    from ..reader import Reader


def read_commentary(reader: Reader, indicators: list[Indicator]) -> list[Commentary]:
    grid = find_sheet(reader.grids, "Commentary")
    if grid is None or grid.is_blank():
        return []
    cols = {"section": ("section",), "id": ("id",), "why": ("why", "why does the data look the way it does?"),
            "what": ("what", "what are you going to do about it?"),
            "when": ("when", "when are you going to do it by?")}
    table = Table(grid, cols, (), reader.problems, "section")
    if "section" not in table.col and "id" not in table.col:
        reader.error(f"{grid.name}!A1", "has neither a 'Section' nor an 'ID' column.",
                     "Head the first column 'Section' (or 'ID'), then Why, What, When.")
        return []
    sections = {_key(i.section) for i in indicators}
    ids = {_key(i.id) for i in indicators}
    result = []
    for r, rec in table.records():
        reader._clear_errors(table, r, rec, {"section": "section name", "id": "indicator's ID", "why": "text",
                                           "what": "text", "when": "text"})
        for k in ("why", "what", "when"):
            reader._check_length(rec.get(k), table.ref(r, k))
        text = {k: ("" if _blank(rec.get(k)) else note_text(rec.get(k))) for k in ("why", "what", "when")}
        ind_id = None if _blank(rec.get("id")) else str(rec["id"]).strip()
        section = None if _blank(rec.get("section")) else str(rec["section"]).strip()
        where = table.ref(r, "id" if ind_id else "section")
        if not reader.indicators_ok:
            pass  # nothing to match against: the Indicators problem says it all
        elif ind_id is None and section is None:
            reader.warn(grid.ref(r, 0), "has commentary with neither Section nor ID; it is shown under "
                        "'Other commentary'.", "Type the section (or indicator ID) it belongs to.")
        elif ind_id and _key(ind_id) not in ids:
            reader.warn(where, f"commentary for ID '{ind_id}', which is not on the Indicators sheet; it is shown "
                        "under 'Other commentary'.", "Correct the ID.")
        elif not ind_id and _key(section) not in sections:
            reader.warn(where, f"commentary for section '{section}', which no indicator is in; it is shown under "
                        "'Other commentary'.", "Correct the section name to match the Indicators sheet.")
        result.append(Commentary(section, ind_id, text["why"], text["what"], text["when"], where))
    return result
