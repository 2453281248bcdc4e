"""The ribbon's file copy and alerts when several people click at once (xlwings Server).

No server here: ``xw.Book(json=body)`` is the book xlwings Server hands a button, as in
test_scripts.py; the buttons are run side by side in threads, as ``kpi-xl serve`` runs
them, and against a run lock held by another process, as another worker or the
scheduled job holds it.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import os
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import openpyxl  # noqa: E402
import pytest  # noqa: E402
import xlwings as xw  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from xlwings_body import book_body  # noqa: E402

from kpi_xl.run import safety
from kpi_xl.excel import scorecard_file, scripts  # noqa: E402
from kpi_xl.layout.cells import parse_note_name  # noqa: E402
from kpi_xl.run.starter import write_starter_workbook  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "kpi_scorecard_jan2020.xlsx"


@pytest.fixture(scope="module")
def body(tmp_path_factory) -> dict:
    sample = SAMPLE
    if not sample.exists():
        sample = tmp_path_factory.mktemp("raw") / "raw.xlsx"
        write_starter_workbook(sample)
    return book_body(sample)


@pytest.fixture
def out(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "scorecards"
    folder.mkdir()
    monkeypatch.setenv(scripts.OUTPUT_DIR_ENV, str(folder))
    return folder


def click(button, body: dict) -> list[dict]:
    book = xw.Book(json=copy.deepcopy(body))
    button(book)
    return book.json()["actions"]


def alert_of(actions: list[dict]) -> str:
    (text,) = [a["args"][0] for a in actions if a["func"] == "alert"]
    return text


def file_copy(out: Path) -> Path:
    (path,) = out.glob("*.xlsx")
    return path


def answer_cells(path: Path) -> dict[str, str]:
    """Defined name of each answer box -> its text, in a scorecard file."""
    book = openpyxl.load_workbook(path)
    found = {}
    for name, defined in book.defined_names.items():
        if parse_note_name(name):
            (sheet, ref), = defined.destinations
            found[name] = book[sheet][ref.replace("$", "")].value
    return found


def test_alert_goes_to_the_book_that_clicked(body):
    """xlwings' remote App.alert writes to the book opened last: with two people's books
    open at once, each alert must still reach its own book."""
    mine = xw.Book(json=copy.deepcopy(body))
    theirs = xw.Book(json=copy.deepcopy(body))  # opened after mine, as a second request would be
    scripts.alert(mine, "for me")
    assert [a["args"][0] for a in mine.json()["actions"] if a["func"] == "alert"] == ["for me"]
    assert not [a for a in theirs.json()["actions"] if a["func"] == "alert"]
    lone = xw.Book(json=copy.deepcopy(body))
    lone.app.alert("for me", title=scripts.TITLE)  # what xlwings itself sends, for comparison
    assert lone.json()["actions"][-1] == mine.json()["actions"][-1]


def test_file_copy_carries_the_commentary_typed_into_it(body, out):
    assert "File copy saved" in alert_of(click(scripts.build_scorecard, body))
    path = file_copy(out)
    boxes = answer_cells(path)
    assert boxes, "the scorecard file has named answer boxes"
    typed = {name: f"Typed into the file copy ({i})" for i, name in enumerate(sorted(boxes)[:3])}
    book = openpyxl.load_workbook(path)
    for name, text in typed.items():
        (sheet, ref), = book.defined_names[name].destinations
        book[sheet][ref.replace("$", "")].value = text
    book.save(path)

    assert "File copy saved" in alert_of(click(scripts.build_scorecard, body))
    again = answer_cells(file_copy(out))
    for name, text in typed.items():
        assert text in (again[name] or ""), name


def hold_lock(target: Path) -> subprocess.Popen:
    """A live process holding ``target``'s run lock, as another server worker would."""
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    record = {"pid": holder.pid, "host": socket.gethostname(), "started": dt.datetime.now().isoformat(),
              "token": "another-worker", "target": str(target)}
    safety.lock_path(target).write_text(json.dumps(record), encoding="utf-8")
    return holder


def expected_target(body: dict, out: Path) -> Path:
    click(scripts.build_scorecard, body)  # the first build names the file
    return file_copy(out)


def test_a_save_waits_for_another_worker_to_finish(body, out, monkeypatch):
    target = expected_target(body, out)
    holder = hold_lock(target)
    refused = safety.RunLock._held_message

    def finishes_now(lock, info):  # the other worker finishes just as its lock is found
        safety.lock_path(target).unlink()
        return refused(lock, info)

    monkeypatch.setattr(safety.RunLock, "_held_message", finishes_now)
    try:
        text = alert_of(click(scripts.build_scorecard, body))
    finally:
        holder.kill()
        holder.wait()
    assert "File copy saved" in text and str(target) in text
    assert not safety.lock_path(target).exists()


def test_the_drawing_stands_when_the_file_copy_cannot_be_saved(body, out, monkeypatch):
    target = expected_target(body, out)
    monkeypatch.setattr(scorecard_file, "SAVE_WAIT_SECONDS", 0.5)
    holder = hold_lock(target)
    try:
        actions = click(scripts.build_scorecard, body)
    finally:
        holder.kill()
        holder.wait()
        safety.lock_path(target).unlink()
    text = alert_of(actions)
    assert text.startswith("Scorecard for") and "No file copy was saved" in text, text
    assert "another kpi-xl run" in text and "try again" in text
    assert {"addSheet", "setValues"} <= {a["func"] for a in actions}  # the scorecard was still drawn


def test_clicks_side_by_side_all_save_the_file_copy(body, out):
    """The server runs buttons in threads: simultaneous builds of the same workbook take
    turns at saving its file copy instead of failing each other on the run lock."""
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(lambda _: alert_of(click(scripts.build_scorecard, body)), range(4)))
    assert all("File copy saved" in t for t in texts), texts
    assert [p.name for p in out.iterdir()] == [file_copy(out).name]  # no lock or temporary file left
