"""Carry commentary over from the previous scorecard, so regeneration never erases it.

Every answer box (*Why / What / When*) in a scorecard is a named cell
(``layout.note_name``). Before a run replaces a scorecard (the ``build`` command, the
scheduled job, the ribbon's *Build scorecard* and *Refresh ratings*), the previous one is
read back and what people typed in it goes into the new one.

**What kpi_xl records.** Every scorecard holds, in the defined names
``kpi_xl_record_1``, ``_2`` ... (no hidden sheets, so the directors' copy stays clean):
the report month, a fingerprint of the raw workbook's text shown in each answer box, and
the cells of each sheet that kpi_xl filled with a value. That is how the next run tells a
person's text from kpi_xl's own, even though the figures change every month.

**The merge rule for an answer box** (the raw workbook's ``Commentary`` sheet is the source):

- The box still shows exactly the raw text kpi_xl put there: this run's raw text replaces
  it (raw commentary deleted or rewritten for a new month goes with it).
- A person changed the box, and the report month is the same: the box as the person left
  it wins, a deletion included (deleted raw text stays deleted). If the raw text for the
  box has changed as well since that run, both are kept: the new raw text, then the
  person's text.
- A person changed the box, and the report month has moved on (January's scorecard is
  rebuilt for February): the new box gets February's raw text, and the text typed for
  January is listed under *Orphaned notes from the previous scorecard*, labelled with its
  month, with a warning naming the box. It never carries into February's box.
- The box's section or indicator has gone from the report: text a person typed is listed
  under *Orphaned notes*.

**Notes outside the answer boxes.** A value in a cell that kpi_xl did not fill with a
value last time (a spare cell of the KPI table, the empty target of an indicator with no
target, a cell beside the report) was typed by a person: it is listed under *Orphaned
notes*, named by where it was (``KPI table!M14``), with a warning naming the cell.
Cells kpi_xl filled (figures, ratings, titles) are redrawn from the raw workbook; figures
that change from month to month are therefore never mistaken for notes.

A listed note stays on the list, run after run, until a person deletes it. Dates are
carried as a person sees them in the UK (``31 Mar 2020``). A scorecard made before
kpi_xl kept this record is merged as before: raw text and the box's text both kept.

**A scorecard nothing has changed since kpi_xl wrote it** (the zip still carries kpi_xl's
listing of its parts, ``read.as_written``: any program that saves it, Excel first,
writes a new zip without one) holds no note outside its answer boxes, so only the sheets
holding boxes are read: a scheduled rebuild of an untouched scorecard reads a sheet or two,
not all of them. A scorecard saved since is read in full.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CannotRun, Problem
from ..rate.evaluate import Evaluation
from ..read.excel_values import coordinate_to_tuple, get_column_letter, range_boundaries
from ..layout.cells import ORPHANS_HEADING, QUESTIONS, fingerprint, note_name, parse_note_name
from ..layout.types import a1
from ..model import note_text
from ..periods import parse_period
from ..write.xlwings_cells import RECORD_NAME, split_ref

QUESTION_TEXT = dict(QUESTIONS)
NOTHING = fingerprint("")


@dataclass(frozen=True)
class CarriedNote:
    """A note kept from the previous scorecard that has no answer box in the new one."""

    where: str  # "Section 'workforce'", "KPI table!M14", "January 2020 report, Indicator CP 12"
    question: str  # "why", "what", "when", or "note" for text typed outside the boxes
    text: str

    @property
    def title(self) -> str:
        return f"{self.where}: {QUESTION_TEXT[self.question]}" if self.question in QUESTION_TEXT else self.where


@dataclass
class Previous:
    """What a previous scorecard holds, read from a file or from the open workbook."""

    answers: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)  # key -> (text, cell)
    record: dict | None = None  # what kpi_xl recorded it wrote (None: made before the record)
    # (cell, text) typed into a cell kpi_xl redraws that is not an answer box, sheet by sheet, row by row
    strays: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Carried:
    """The outcome: answers for the new layout's boxes, notes for the list, warnings."""

    notes: dict[tuple[str, str, str], str] = field(default_factory=dict)
    orphans: list[CarriedNote] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    kept: int = 0  # answer boxes that show what a person typed rather than the raw text


def merge_text(raw: str, previous: str) -> str:
    """The raw workbook's text and the text typed into the previous scorecard, neither lost.

    Stable from run to run: a previous text that already contains the raw text is kept
    as it is, so nothing is appended twice.
    """
    raw, previous = (raw or "").strip(), (previous or "").strip()
    if not previous or previous == raw or raw in previous and raw:
        return previous or raw
    if not raw:
        return previous
    if previous in raw:
        return raw
    return f"{raw}\n\n{previous}"


# -- reading back the record kpi_xl keeps in every scorecard (written by write.xlwings_writer.record_names)

def _constant(refers_to: str) -> str | None:
    """The text of a defined name holding a string (``="..."``), else ``None``."""
    text = str(refers_to or "").strip().lstrip("=").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return None


def _cells(spec: str) -> set[tuple[int, int]]:
    found = set()
    for area in filter(None, spec.split(",")):
        c0, r0, c1, r1 = range_boundaries(area)
        found |= {(r - 1, c - 1) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    return found


# -- reading a previous scorecard ---------------------------------------------------------------


def previous_from(sheets: dict[str, list[list]], names: dict[str, str]) -> Previous:
    """A previous scorecard from its sheets' values and its defined names (name -> refers to)."""
    return _previous(sheets, *_named(names))


def _previous(sheets: dict[str, list[list]], record: dict | None,
              boxes: dict[tuple[str, str, str], tuple[str, str]]) -> Previous:
    """``previous_from``, its defined names already read (``_named``)."""
    by_key = {name.casefold(): name for name in sheets}
    answers = {}
    for key, (sheet, ref) in boxes.items():
        sheet = by_key.get(sheet.casefold(), sheet)
        if sheet not in sheets:
            continue
        row, col = coordinate_to_tuple(ref)
        rows = sheets[sheet]
        value = rows[row - 1][col - 1] if row <= len(rows) and col <= len(rows[row - 1]) else None
        answers[key] = (note_text(value), f"{sheet}!{ref}")
    return Previous(answers, record, _strays(sheets, (record or {}).get("cells") or {}, answers))


def _named(names: dict[str, str]) -> tuple[dict | None, dict[tuple[str, str, str], tuple[str, str]]]:
    """From a scorecard's defined names: the record kpi_xl kept (None: none, or damaged), and
    each answer box's (sheet, cell) by its key."""
    chunks, boxes = {}, {}
    for name, refers_to in names.items():
        m = re.fullmatch(RECORD_NAME + r"_(\d+)", name)
        if m:
            chunks[int(m.group(1))] = _constant(refers_to) or ""
            continue
        key = parse_note_name(name)
        if key is None:
            continue
        try:
            sheet, ref = split_ref(str(refers_to))
        except ValueError:
            continue  # the box's sheet was deleted (=#REF!): nothing to read
        boxes[key] = (sheet, ref.replace("$", ""))
    record = None
    if chunks:
        try:
            record = json.loads("".join(text for _, text in sorted(chunks.items())))
        except ValueError:
            record = None  # a damaged record: merged as for a scorecard made before it, nothing lost
    return (record if isinstance(record, dict) else None), boxes


def _not_looked_at(record: dict | None, boxes: dict[tuple[str, str, str], tuple[str, str]],
                   sheet_names: list[str]) -> dict[str, set[str]]:
    """Per sheet of ``sheet_names``, the cells ``previous_from`` never looks at (A1 references),
    so need not be read: those kpi_xl recorded it filled (``record``), but for the answer boxes
    (``boxes``). Nothing a person typed is among them: a note outside those cells, or in a box,
    is read as ever."""
    by_key = {name.casefold(): name for name in sheet_names}
    in_boxes = {(by_key.get(sheet.casefold(), sheet), ref) for sheet, ref in boxes.values()}
    return {sheet: _refs(spec) - {ref for on, ref in in_boxes if on == sheet}
            for sheet, spec in ((record or {}).get("cells") or {}).items() if sheet in sheet_names}


def _refs(spec: str) -> set[str]:
    """The cells of ``spec`` (as ``_cells``) as A1 references."""
    found = set()
    for area in filter(None, spec.split(",")):
        c0, r0, c1, r1 = range_boundaries(area)
        letters = [get_column_letter(c) for c in range(c0, c1 + 1)]
        found.update(f"{letter}{r}" for r in range(r0, r1 + 1) for letter in letters)
    return found


def _strays(sheets: dict[str, list[list]], filled_by_kpi_xl: dict[str, str], answers: dict) -> list[tuple[str, str]]:
    """(cell, text) of each note typed into a sheet kpi_xl redraws, outside what it filled
    (its record's ranges) and outside the answer boxes."""
    boxes = {cell for _, cell in answers.values()}
    found = []
    for sheet, spec in filled_by_kpi_xl.items():
        filled = _cells(spec)
        for r, row in enumerate(sheets.get(sheet, [])):
            for c, value in enumerate(row):
                if value is None or (r, c) in filled:  # most cells: nothing there, or kpi_xl's own
                    continue
                text = note_text(value)
                where = f"{sheet}!{a1(r, c)}"
                if text and where not in boxes:
                    found.append((where, text))
    return found


def read_previous(scorecard: str | Path) -> Previous:
    """The previous scorecard file as ``Previous``; empty when there is none yet."""
    path = Path(scorecard)
    if not path.exists():
        return Previous()
    from ..read.as_written import as_written  # noqa: PLC0415
    from ..read.xlsx_stream import Book  # noqa: PLC0415

    try:
        # Streamed: the cells' values and the defined names, never the charts, drawings and
        # styles (a full openpyxl load took 24 s at 3,000 indicators).
        with Book(path) as book:
            record, boxes = _named(dict(book.defined_names))
            holding_boxes = {sheet.casefold() for sheet, _ in boxes.values()}
            untouched = record is not None and as_written(book.zip)
            reading = [(name, part) for name, part, _ in book.sheets
                       if not untouched or name.casefold() in holding_boxes]
            unread = _not_looked_at(record, boxes, [name for name, _ in reading])
            sheets = {name: _values(book, part, unread.get(name)) for name, part in reading}
    except Exception as exc:  # a damaged previous file must not silently lose its commentary
        raise CannotRun(f"{path}: could not read the commentary typed into the previous scorecard ({exc}). "
                        "Move the file aside (its text will not be carried over) or repair it in Excel, "
                        "then run again.") from exc
    return _previous(sheets, record, boxes)


def _values(book, part: str, unread: set[str] | None = None) -> list[list]:
    """A worksheet's values by row, each row as far as its last value (the dimension a
    file claims is not trusted, so no value beyond it is missed); rows of ``unread`` cells
    alone are left out (``_not_looked_at``)."""
    found: dict[int, dict[int, object]] = {}

    def add(cells) -> None:
        for row, column, value, _ in cells:
            if value is not None:
                found.setdefault(row - 1, {})[column - 1] = value

    book.read_sheet(part, add, unread)
    height = max(found, default=-1) + 1
    return [[by_column.get(c) for c in range(max(by_column) + 1)] if (by_column := found.get(r)) else []
            for r in range(height)]


# -- the merge ----------------------------------------------------------------------------------


def _raw_answers(evaluation: Evaluation, sections: set[str], indicators: set[str]) -> dict:
    """(kind, key, question) -> the raw workbook's text, keyed as the layout names its boxes."""
    found: dict[tuple[str, str, str], str] = {}
    for com in evaluation.raw.commentary:
        kind, key = com.key
        matched = key in (indicators if kind == "indicator" else sections)
        box = com.key if matched else ("other", com.where)
        for question in QUESTION_TEXT:
            found.setdefault((*box, question), getattr(com, question))
    return found


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return f"'{line[:limit - 3]}...'" if len(line) > limit else f"'{line}'"


def carry_over(evaluation: Evaluation, previous: Previous) -> Carried:
    """What the new scorecard keeps of the previous one (the rules are in the module docstring)."""
    sections = {s.strip().lower() for s in evaluation.raw.sections}
    indicators = {r.indicator.id.lower() for r in evaluation.results}
    raw = _raw_answers(evaluation, sections, indicators)
    record = previous.record or {}
    prints = record.get("raw") if isinstance(record.get("raw"), dict) else None
    before = parse_period(record.get("period")) if record.get("period") else None
    new_month = before is not None and before != evaluation.period
    carried = Carried()
    listed: dict[tuple[str, str], str] = {}

    def keep_on_list(where: str, question: str, text: str) -> None:
        if text:
            listed[(where, question)] = merge_text(listed.get((where, question), ""), text)

    for (kind, subject, question), (text, cell) in previous.answers.items():
        key = (kind, subject, question)
        new_raw = raw.get(key, "")
        # the new scorecard has this box: its section or indicator is still reported (an "other"
        # box, for commentary the raw workbook could not match, while that row is still there)
        has_box = subject in {"section": sections, "indicator": indicators}.get(kind, ()) or key in raw
        label = {"section": f"Section '{subject}'", "indicator": f"Indicator {subject.upper()}"}.get(kind, subject)
        if prints is None:  # made before kpi_xl kept its record: keep both texts, as kpi_xl always did
            if has_box:
                carried.notes[key] = merge_text(new_raw, text)
            elif kind != "other" or text.strip() not in set(raw.values()):
                keep_on_list(label, question, text)
            continue
        shown_raw = prints.get(fingerprint(note_name((kind, subject), question)), NOTHING)
        if fingerprint(text) == shown_raw:
            continue  # the box shows the raw text kpi_xl put there: this run's raw text replaces it
        if not has_box:
            keep_on_list(label, question, text)
        elif new_month:
            if text:
                keep_on_list(f"{before.long_label} report, {label}", question, text)
                carried.warnings.append(Problem(
                    cell, f"the commentary typed here for the {before.long_label} report ({_short(text)}) was not "
                    f"carried into {evaluation.period.long_label}'s box; it is listed under '{ORPHANS_HEADING}'.",
                    "Copy it into this month's box if it still applies, then delete it from the list.", "warning"))
        else:
            carried.notes[key] = text if fingerprint(new_raw) == shown_raw else merge_text(new_raw, text)
            if carried.notes[key] != new_raw:
                carried.kept += 1
    for where, text in previous.strays:
        keep_on_list(where, "note", text)
        carried.warnings.append(Problem(
            where, f"a note typed outside the answer boxes ({_short(text)}) cannot stay in a cell kpi_xl "
            f"redraws; it is listed under '{ORPHANS_HEADING}'.",
            "Type commentary in a Why / What / When box or on the raw workbook's Commentary sheet.",
            "warning"))
    order = list(QUESTION_TEXT)  # the list reads the same from run to run: by place, then question
    carried.orphans = [CarriedNote(where, question, listed[(where, question)]) for where, question in
                       sorted(listed, key=lambda k: (k[0], order.index(k[1]) if k[1] in order else len(order)))]
    return carried
