"""Where build and export may write, and what a person is told when they cannot (issues 8 and 9).

Every case is run through the command line, as an officer would: the raw workbook and
any newer scorecard must survive byte for byte, the message must name the path and say
what to do, and the exit code must say what happened.
"""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from kpi_xl import api
from kpi_xl.run import safety
from kpi_xl.write import xlsx_writer
from kpi_xl.cli import main
from kpi_xl.layout.cells import note_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"
KPI_XL = [sys.executable, "-m", "kpi_xl.cli"]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    path = tmp_path / "Raw indicators.xlsx"
    shutil.copyfile(SAMPLE, path)
    return path


def stderr_of(capsys) -> str:
    return capsys.readouterr().err


def no_leftovers(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(safety.TEMP_PREFIX) or p.name.endswith(".lock")]


# -- never destroy an input (issue 8) --------------------------------------------------

@pytest.mark.parametrize("command", ["build", "export"])
def test_output_that_is_the_raw_workbook_is_refused(raw, command, capsys):
    before = raw.read_bytes()
    spellings = [raw, raw.parent / "." / raw.name]
    link = raw.parent / "link.xlsx"
    link.symlink_to(raw)
    spellings.append(link)
    for output in spellings:
        assert main([command, str(raw), "-o", str(output), "-q"]) == 1
        err = stderr_of(capsys)
        assert "that is the raw workbook" in err and "Choose another output file" in err
    assert raw.read_bytes() == before
    assert no_leftovers(raw.parent)


def test_an_existing_raw_workbook_is_never_replaced(raw, tmp_path, capsys):
    other = tmp_path / "Last year's raw.xlsx"
    shutil.copyfile(SAMPLE, other)
    before = other.read_bytes()
    assert main(["build", str(raw), "-o", str(other), "-q"]) == 1
    assert "looks like a raw workbook" in stderr_of(capsys)
    assert main(["export", str(raw), "-o", str(other), "-q"]) == 1
    assert other.read_bytes() == before


def test_export_never_replaces_the_scorecard_its_commentary_comes_from(raw, tmp_path, capsys):
    shared = tmp_path / "Scorecard.xlsx"
    assert main(["build", str(raw), "-o", str(shared), "-q"]) == 0
    before = shared.read_bytes()
    assert main(["export", str(raw), "-o", str(shared), "--commentary-from", str(shared), "-q"]) == 1
    assert "the scorecard the commentary is read from" in stderr_of(capsys)
    assert shared.read_bytes() == before


def test_previous_or_commentary_from_the_raw_workbook_is_harmless(raw, tmp_path, capsys):
    before = raw.read_bytes()
    assert main(["build", str(raw), "-o", str(tmp_path / "s.xlsx"), "--previous", str(raw), "-q"]) == 1
    assert "not a kpi_xl scorecard" in stderr_of(capsys)
    assert main(["export", str(raw), "-o", str(tmp_path / "d.xlsx"), "--commentary-from", str(raw), "-q"]) == 0
    assert raw.read_bytes() == before


@pytest.mark.parametrize("command, name, says", [
    ("build", "scorecard.pdf", "export --pdf writes"),
    ("build", "scorecard", "must end in .xlsx"),
    ("export", "directors.pdf", "export --pdf writes"),
])
def test_output_must_be_named_xlsx(raw, tmp_path, command, name, says, capsys):
    output = tmp_path / name
    assert main([command, str(raw), "-o", str(output), "-q"]) == 1
    err = stderr_of(capsys)
    assert says in err and str(output.with_suffix(".xlsx")) in err
    assert not output.exists()


# -- messages that name the real problem (issue 8) ------------------------------------

def test_missing_output_folder_is_named(raw, tmp_path, capsys):
    assert main(["build", str(raw), "-o", str(tmp_path / "nope" / "s.xlsx"), "-q"]) == 2
    err = stderr_of(capsys)
    assert f"{tmp_path / 'nope'}: no such folder" in err and "Create the folder" in err
    assert ".lock" not in err


def test_output_that_is_a_folder_is_named(raw, tmp_path, capsys):
    folder = tmp_path / "scorecards.xlsx"
    folder.mkdir()
    assert main(["build", str(raw), "-o", str(folder), "-q"]) == 2
    err = stderr_of(capsys)
    assert f"{folder}: is a folder" in err and "openpyxl" not in err and "Errno" not in err


def test_unwritable_target_names_the_target_not_the_temporary_file(raw, tmp_path, monkeypatch, capsys):
    target = tmp_path / "Scorecard.xlsx"

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))

    monkeypatch.setattr(safety.os, "replace", refuse)
    assert main(["build", str(raw), "-o", str(target), "-q"]) == 2
    err = stderr_of(capsys)
    assert f"{target}: not allowed to write it" in err and safety.TEMP_PREFIX not in err
    assert no_leftovers(tmp_path)


def test_unwritable_folder_names_the_target_not_the_lock(raw, tmp_path, monkeypatch, capsys):
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith(safety.LOCK_SUFFIX):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(safety.os, "open", refuse)
    target = tmp_path / "Scorecard.xlsx"
    assert main(["build", str(raw), "-o", str(target), "-q"]) == 2
    err = stderr_of(capsys)
    assert f"{target}: not allowed to write it" in err and safety.LOCK_SUFFIX not in err


def test_evaluate_into_a_closed_pipe_exits_quietly(raw):
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -1` having read its line and gone
    try:
        done = subprocess.run(KPI_XL + ["evaluate", str(raw)], stdout=write_end, stderr=subprocess.PIPE,
                              cwd=ROOT, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 0
    assert done.stderr.decode() == ""


def test_rebuilding_over_a_scorecard_shows_no_openpyxl_warning(raw, tmp_path):
    target = tmp_path / "Scorecard.xlsx"
    for _ in range(2):
        done = subprocess.run(KPI_XL + ["build", str(raw), "-o", str(target), "-q"], capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "Sparkline" not in done.stderr and "site-packages" not in done.stderr


# -- runs that overlap or fail (issue 9) ------------------------------------------------

def test_a_held_lock_stops_a_run_before_it_reads_anything(tmp_path, capsys):
    target = tmp_path / "Scorecard.xlsx"
    with safety.RunLock(target):
        # the raw workbook does not exist: reading it first would exit 2, not 4
        assert main(["build", str(tmp_path / "missing.xlsx"), "-o", str(target), "-q"]) == 4
        assert main(["export", str(tmp_path / "missing.xlsx"), "-o", str(target), "-q"]) == 4
    assert "another kpi-xl run" in stderr_of(capsys)


def test_leftovers_of_killed_runs_are_cleared_by_the_next_run(raw, tmp_path):
    target = tmp_path / "Scorecard.xlsx"
    (tmp_path / "versions").mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        killed = [tmp_path / f"{safety.TEMP_PREFIX}Scorecard.xlsx.{dead.pid}.tmp",
                  tmp_path / f"{safety.TEMP_PREFIX}Scorecard (regenerated 2026-11-22 0300).xlsx.{dead.pid}.tmp",
                  tmp_path / "versions" / f"{safety.TEMP_PREFIX}Scorecard.20261122-030000.xlsx.{dead.pid}.tmp"]
        # an hour old: its run was elsewhere, or its process id has been reused since
        old = tmp_path / f"{safety.TEMP_PREFIX}Scorecard.xlsx.{alive.pid}.tmp"
        # just written by a live process: perhaps a run on another computer that took over a stale lock
        recent = tmp_path / f"{safety.TEMP_PREFIX}Scorecard.xlsx.{os.getppid()}.tmp"
        another_target = tmp_path / f"{safety.TEMP_PREFIX}Budget.xlsx.{dead.pid}.tmp"
        for path in killed + [old, recent, another_target]:
            path.write_bytes(b"half a scorecard")
        an_hour_ago = time.time() - 3600
        os.utime(old, (an_hour_ago, an_hour_ago))
        assert main(["build", str(raw), "-o", str(target), "-q"]) == 0
        assert [p.name for p in killed + [old] if p.exists()] == []
        assert recent.exists() and another_target.exists()
    finally:
        alive.kill()
        alive.wait()


def test_a_killed_run_leaves_nothing_in_the_temp_folder(raw, tmp_path):
    """A run killed while XlsxWriter zips the workbook must leave no part files behind."""
    temp = tmp_path / "temp"
    temp.mkdir()
    script = (
        "import os, sys, zipfile\n"
        "from kpi_xl import api\n"
        "from kpi_xl.write.xlsx_writer import write_xlsx\n"
        f"evaluation, layout, _ = api.render_layout({str(raw)!r})\n"
        "kill = lambda *a, **k: os._exit(9)\n"
        "zipfile.ZipFile.write = zipfile.ZipFile.writestr = zipfile.ZipFile.open = kill\n"
        f"write_xlsx(layout, {str(tmp_path / 'out.xlsx')!r})\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "TMPDIR": str(temp)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    assert list(temp.iterdir()) == []


def fill_the_disk(monkeypatch) -> None:
    """From now on XlsxWriter finds the disk full when it saves (it wraps the OSError in its own error)."""
    import xlsxwriter.workbook

    def no_space(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", no_space)


@pytest.mark.parametrize("command", ["build", "export"])
def test_full_disk_exits_2_naming_the_path(raw, tmp_path, monkeypatch, command, capsys):
    target = tmp_path / "Scorecard.xlsx"
    assert main([command, str(raw), "-o", str(target), "-q"]) == 0
    before = target.read_bytes()
    fill_the_disk(monkeypatch)
    assert main([command, str(raw), "-o", str(target), "-q"]) == 2
    err = stderr_of(capsys)
    assert f"{target}: the disk is full" in err and "Traceback" not in err and "kpi-xl: :" not in err
    assert target.read_bytes() == before
    assert no_leftovers(tmp_path)


def test_full_disk_while_taking_the_lock_leaves_no_lock(raw, tmp_path, monkeypatch, capsys):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safety.json, "dump", no_space)
    target = tmp_path / "Scorecard.xlsx"
    assert main(["build", str(raw), "-o", str(target), "-q"]) == 2
    assert f"{target}: the disk is full" in stderr_of(capsys)
    assert not safety.lock_path(target).exists()
    monkeypatch.undo()
    assert main(["build", str(raw), "-o", str(target), "-q"]) == 0  # the next run is not blocked


# -- a save made while a run is working is never lost (issue 9) -------------------------

def type_note(path: Path, text: str) -> None:
    """What a person does in Excel: type into the *When* box and save."""
    book = openpyxl.load_workbook(path)
    sheet, ref = next(iter(book.defined_names[note_name(("section", "front door"), "when")].destinations))
    book[sheet][ref.replace("$", "")] = text
    book.save(path)


def notes_in(path: Path) -> list:
    book = openpyxl.load_workbook(path)
    return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]


def test_a_save_while_the_new_file_is_written_is_never_overwritten(raw, tmp_path, monkeypatch, capsys):
    target = tmp_path / "Scorecard.xlsx"
    assert main(["build", str(raw), "-o", str(target), "-q"]) == 0
    first = target.read_bytes()
    real_write = xlsx_writer.write_xlsx
    saved = []

    def write_while_someone_saves(layout, path, created=None, **options):
        if not saved:
            type_note(target, "Review at March DMT")
            saved.append(target.read_bytes())
        return real_write(layout, path, created, **options)

    monkeypatch.setattr(xlsx_writer, "write_xlsx", write_while_someone_saves)
    assert main(["build", str(raw), "-o", str(target), "-q"]) == 3
    assert target.read_bytes() == saved[0]  # the person's save stands
    beside = list(tmp_path.glob("Scorecard (regenerated *).xlsx"))
    assert len(beside) == 1
    assert f"{target} was saved while this run was working" in stderr_of(capsys)
    assert beside[0].read_bytes() == first  # the whole scorecard, though the first write let its cells go


def test_a_save_while_the_raw_workbook_is_read_is_read_again(raw, tmp_path, monkeypatch):
    target = tmp_path / "Scorecard.xlsx"
    assert main(["build", str(raw), "-o", str(target), "-q"]) == 0
    real_prepare = api.prepare
    calls = []

    def prepare_while_someone_saves(*args, **kwargs):
        prepared = real_prepare(*args, **kwargs)
        if not calls:
            type_note(target, "Review at March DMT")
        calls.append(1)
        return prepared

    monkeypatch.setattr(api, "prepare", prepare_while_someone_saves)
    result = api.build(raw, target)
    assert len(calls) == 2 and not result.wrote_beside
    assert "Review at March DMT" in notes_in(target)


def test_a_file_that_fails_its_own_check_never_replaces_anything(tmp_path):
    """save_layout's ``check`` (the directors' copy's: no macros, no links out ...) runs on the
    new file before it replaces the target: a failing check leaves the old file, byte for byte,
    and no temporary file behind."""
    out = tmp_path / "directors.xlsx"
    assert main(["build", str(SAMPLE), "-o", str(out), "-q"]) == 0
    before = out.read_bytes()
    prepared = api.prepare(SAMPLE, period=api.parse_cli_period("2019-12"))
    checked = []

    def fails(path: Path) -> list[str]:
        checked.append(path.read_bytes()[:2])  # the new file, written and re-opened, is what is checked
        return ["it links to another workbook"]

    with pytest.raises(api.CannotRun) as err:
        api.save_layout(prepared.layout(), prepared.evaluation, out, check=fails)
    assert "it links to another workbook" in str(err.value) and "nothing was written" in str(err.value)
    assert checked == [b"PK"]
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["directors.xlsx"]
