"""Carry commentary over from the previous scorecard, so regeneration never erases it.

Every answer box (*Why / What / When*) in a scorecard is a named cell
(``layout.note_name``). Before a run replaces a scorecard, the text in those cells is
read back and placed into the new one, matched by section and indicator. Text whose
section or indicator has gone is kept on the commentary page under *Orphaned notes*.
"""
from __future__ import annotations

from pathlib import Path

from .errors import CannotRun
from .evaluate import Evaluation
from .layout import QUESTIONS, parse_note_name

QUESTION_TEXT = dict(QUESTIONS)


def read_notes(scorecard: str | Path) -> dict[tuple[str, str, str], str]:
    """(kind, key, question) -> text of every named answer cell in a kpi_xl scorecard."""
    path = Path(scorecard)
    if not path.exists():
        return {}
    import openpyxl  # noqa: PLC0415

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # a damaged previous file must not silently lose its commentary
        raise CannotRun(f"{path}: could not read the commentary typed into the previous scorecard ({exc}). "
                        "Move the file aside (its text will not be carried over) or repair it in Excel, "
                        "then run again.") from exc
    notes = {}
    for name, defined in book.defined_names.items():
        key = parse_note_name(name)
        if key is None:
            continue
        for sheet, ref in defined.destinations:
            if sheet in book.sheetnames:
                value = book[sheet][ref.replace("$", "")].value
                if value not in (None, ""):
                    notes[key] = str(value)
    return notes


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


def carry_over(evaluation: Evaluation, previous: dict[tuple[str, str, str], str]):
    """(notes for the new layout, orphaned notes) from the previous scorecard's notes."""
    sections = {s.strip().lower(): s for s in evaluation.raw.sections}
    indicators = {r.indicator.id.lower(): r.indicator for r in evaluation.results}
    raw_text = {}
    for com in evaluation.raw.commentary:
        kind, key = com.key
        for question in QUESTION_TEXT:
            raw_text[(kind, key, question)] = getattr(com, question)
    notes, orphans = {}, []
    for (kind, key, question), text in previous.items():
        label = QUESTION_TEXT.get(question, question)
        if kind == "section" and key in sections or kind == "indicator" and key in indicators:
            notes[(kind, key, question)] = merge_text(raw_text.get((kind, key, question), ""), text)
        elif kind == "other":
            if text.strip() not in {t.strip() for t in raw_text.values() if t}:
                orphans.append((key, label, text))
        else:
            where = f"Section '{key}'" if kind == "section" else f"Indicator {key.upper()}"
            orphans.append((where, label, text))
    return notes, orphans
