"""The commentary sheet and the answer boxes (on it and on section sheets): the three
questions per section and indicator, named so the next run carries typed text over."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Commentary
from ...rate.evaluate import Result
from ..cells import FIRST_COLUMN_WIDTH, ORPHANS_HEADING, QUESTIONS, fingerprint, note_name, text_height
from ..templates import SheetSpec
from ..types import SheetLayout

if TYPE_CHECKING:
    from ..builder import LayoutBuilder

ANSWER_WIDTH = 20  # characters: each column the answers spread over, after the first


def commentary(b: LayoutBuilder, spec: SheetSpec) -> SheetLayout:
    sheet = SheetLayout(spec.name, kind="commentary")
    row = b.title_block(sheet, "Commentary")
    starts: list[int] = []
    for section in b.ev.raw.sections:
        items = section_commentary(b, section, b.results_in.get(section, []))
        if not items:
            continue
        row = commentary_block(b, sheet, row, 5, items, heading=section, starts=starts)
        row += 1
    row = other_commentary(b, sheet, row, unmatched_commentary(b), starts)
    for col in range(6):
        sheet.widths[col] = FIRST_COLUMN_WIDTH if col == 0 else ANSWER_WIDTH
    sheet.print_setup = b.print_setup(breaks=b.keep_together(sheet, starts))
    return sheet


def section_commentary(b: LayoutBuilder, section: str, results: list[Result],
                       always: bool = True) -> list[tuple[str, tuple[str, str], Commentary]]:
    """(heading, key, commentary) for a section and its indicators; an empty block for
    the section itself when ``always`` so there is somewhere to type."""
    section_key = ("section", section.strip().lower())
    found = [("", section_key, com) for com in b.commentary_on.get(section_key, [])]
    if not found and (always or section_key in b.noted):
        found.append(("", section_key, Commentary(section, None)))
    for res in results:
        ind = res.indicator
        key = ("indicator", ind.id.lower())
        coms = list(b.commentary_on.get(key, []))
        if not coms and key in b.noted:
            coms = [Commentary(None, ind.id)]
        found += [(f"{ind.id} {ind.title}", key, com) for com in coms]
    return found


def commentary_block(b: LayoutBuilder, sheet: SheetLayout, row: int, last_col: int,
                     items: list[tuple[str, tuple[str, str], Commentary]],
                     heading: str = "Service analysis", starts: list[int] | None = None) -> int:
    """The three questions and their answers; each answer cell is named after its
    section or indicator so the next run can carry typed text over. The first row of
    each item (the heading with the first) is added to ``starts``, to keep it on one page."""
    width_chars = FIRST_COLUMN_WIDTH + 11 * last_col
    sheet.put(row, 0, heading, b.s["subtitle"])
    if starts is not None:
        starts.append(row)
    row += 1
    for i, (title, key, com) in enumerate(items):
        if starts is not None and i:
            starts.append(row)
        if title:
            sheet.put(row, 0, title, b.s["bold"])
            row += 1
        for field_name, question in QUESTIONS:
            sheet.put(row, 0, question, b.s["question"])
            row += 1
            raw = getattr(com, field_name)
            answer = b.notes.get((key[0], key[1], field_name), raw)
            answer_box(b, sheet, row, last_col, answer, note_name(key, field_name), width_chars, raw)
            row += 1
    return row


def answer_box(b: LayoutBuilder, sheet: SheetLayout, row: int, last_col: int, text: str, name: str,
               width_chars: float, raw: str = "") -> None:
    """A merged, wrapped box for typed commentary, named so the next run can carry it over;
    ``raw`` is the raw workbook's text for it, fingerprinted so the next run can tell
    whether a person changed the box."""
    sheet.put(row, 0, text, b.s["answer"], merge_to=(row, last_col))
    sheet.heights[row] = text_height(text, width_chars) if text else 30
    if name not in b.named:
        b.named.add(name)
        sheet.names.append((name, f"$A${row + 1}"))
        if raw:
            b.raw_prints[fingerprint(name)] = fingerprint(raw)


def unmatched_commentary(b: LayoutBuilder) -> list[Commentary]:
    """Commentary rows whose section or indicator is not in the report."""
    sections = {s.strip().lower() for s in b.ev.raw.sections}
    ids = {r.indicator.id.lower() for r in b.ev.results}
    return [c for c in b.ev.raw.commentary
            if not ((c.indicator_id and c.indicator_id.strip().lower() in ids)
                    or (not c.indicator_id and (c.section or "").strip().lower() in sections))]


def other_commentary(b: LayoutBuilder, sheet, row, orphans: list[Commentary], starts: list[int] | None = None) -> int:
    """Commentary typed for a section or indicator that is not in the report, and notes
    carried from the previous scorecard whose section or indicator has gone: kept, never dropped."""
    if orphans:
        items = [(f"{c.indicator_id or c.section or '(no section)'} (typed at {c.where})",
                  ("other", c.where), c) for c in orphans]
        row = commentary_block(b, sheet, row, 5, items, heading="Other commentary", starts=starts)
    if b.orphans:
        row += 1
        if starts is not None:
            starts.append(row)
        sheet.put(row, 0, ORPHANS_HEADING, b.s["subtitle"])
        text = ("Notes carried over: typed outside an answer box, for a section or indicator no longer in the "
                "report, or for an earlier month's report. Move any still needed to an answer box or the raw "
                "workbook's Commentary sheet; delete a note here once dealt with.")
        sheet.put(row + 1, 0, text, b.s["note"], merge_to=(row + 1, 5))
        sheet.heights[row + 1] = text_height(text, 120)
        row += 2
        for i, note in enumerate(b.orphans):
            if starts is not None and i:
                starts.append(row)
            sheet.put(row, 0, note.title, b.s["bold"])
            answer_box(b, sheet, row + 1, 5, note.text, note_name(("other", note.where), note.question), 120)
            row += 2
    return row
