"""The Commentary sheet: why, what and when for a section or an indicator."""
from __future__ import annotations

from ...model import Commentary, Indicator, note_text
from ..checks import Checks
from ..grid import Grid
from ..table import Table, _blank, _key

SHEET = "Commentary"


def read_commentary(grid: Grid | None, indicators: list[Indicator],
                    indicators_read: bool = True) -> tuple[list[Commentary], Checks]:
    """Each row's commentary; a section or ID not among ``indicators`` is told (unless the
    Indicators sheet could not be read at all: ``indicators_read`` False)."""
    check = Checks()
    if grid is None or grid.is_blank():
        return [], check
    cols = {"section": ("section",), "id": ("id",), "why": ("why", "why does the data look the way it does?"),
            "what": ("what", "what are you going to do about it?"),
            "when": ("when", "when are you going to do it by?")}
    table = Table(grid, cols, (), check, "section")
    if "section" not in table.col and "id" not in table.col:
        check.error(f"{grid.name}!A1", "has neither a 'Section' nor an 'ID' column.",
                    "Head the first column 'Section' (or 'ID'), then Why, What, When.")
        return [], check
    sections = {_key(i.section) for i in indicators}
    ids = {_key(i.id) for i in indicators}
    result = []
    for r, rec in table.records():
        check.clear_errors(table, r, rec, {"section": "section name", "id": "indicator's ID", "why": "text",
                                           "what": "text", "when": "text"})
        for k in ("why", "what", "when"):
            check.length(rec.get(k), table.ref(r, k))
        text = {k: ("" if _blank(rec.get(k)) else note_text(rec.get(k))) for k in ("why", "what", "when")}
        ind_id = None if _blank(rec.get("id")) else str(rec["id"]).strip()
        section = None if _blank(rec.get("section")) else str(rec["section"]).strip()
        where = table.ref(r, "id" if ind_id else "section")
        if not indicators_read:
            pass  # nothing to match against: the Indicators problem says it all
        elif ind_id is None and section is None:
            check.warn(grid.ref(r, 0), "has commentary with neither Section nor ID; it is shown under "
                       "'Other commentary'.", "Type the section (or indicator ID) it belongs to.")
        elif ind_id and _key(ind_id) not in ids:
            check.warn(where, f"commentary for ID '{ind_id}', which is not on the Indicators sheet; it is shown "
                       "under 'Other commentary'.", "Correct the ID.")
        elif not ind_id and _key(section) not in sections:
            check.warn(where, f"commentary for section '{section}', which no indicator is in; it is shown under "
                       "'Other commentary'.", "Correct the section name to match the Indicators sheet.")
        result.append(Commentary(section, ind_id, text["why"], text["what"], text["when"], where))
    return result, check
