"""kpi_xl.run.safety: nothing half-written ever replaces the scorecard; one run at a time."""
from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kpi_xl.run import safety
from kpi_xl.errors import EXIT_LOCKED, CannotRun, TargetLocked
from kpi_xl.run.safety import (RunLock, atomic_write, beside_name, document_date, lock_path,
                           open_in_excel, setup_logging, temp_path, verify_xlsx, versions)

OLD = b"PK old scorecard bytes \x00\x01\x02" * 100


def make_xlsx(path: Path, text: str = "new") -> None:
    """A tiny but complete xlsx-shaped zip (enough for verify_xlsx)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", f"<workbook><name>{text}</name></workbook>")


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "Scorecard.xlsx"
    path.write_bytes(OLD)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(safety.TEMP_PREFIX))


# -- atomic_write ------------------------------------------------------------------

def test_success_replaces_target_and_leaves_no_temp(target):
    out = atomic_write(target, make_xlsx, verify=verify_xlsx)
    assert out == target
    assert zipfile.ZipFile(target).read("xl/workbook.xml") == b"<workbook><name>new</name></workbook>"
    assert leftovers(target.parent) == []


def test_temp_file_is_beside_target_with_a_hidden_name(target):
    seen = []

    def write(tmp: Path):
        seen.append(tmp)
        make_xlsx(tmp)

    atomic_write(target, write)
    assert seen == [temp_path(target)]
    assert seen[0].parent == target.parent
    assert seen[0].name == f".~kpi-xl-Scorecard.xlsx.{os.getpid()}.tmp"


def test_writer_failing_halfway_leaves_old_file_identical(target):
    def write(tmp: Path):
        tmp.write_bytes(b"PK half a workbook")
        raise OSError(28, "No space left on device")

    with pytest.raises(CannotRun, match="No space"):  # naming the target: exit 2, no traceback
        atomic_write(target, write, verify=verify_xlsx, keep=3)
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []
    assert not (target.parent / "versions").exists()


def test_verify_failing_leaves_old_file_identical(target):
    def write(tmp: Path):
        tmp.write_bytes(b"PK\x03\x04 truncated")  # not a complete zip

    with pytest.raises(CannotRun, match="previous file was kept"):
        atomic_write(target, write, verify=verify_xlsx)
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_custom_verify_raising_leaves_old_file_identical(target):
    def verify(tmp: Path):
        raise ValueError("reopened workbook has no Scorecard sheet")

    with pytest.raises(ValueError):
        atomic_write(target, make_xlsx, verify=verify)
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_keyboard_interrupt_leaves_old_file_identical(target):
    def write(tmp: Path):
        make_xlsx(tmp)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, write, keep=2)
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_interrupt_during_verify_leaves_old_file_identical(target):
    def verify(tmp: Path):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, make_xlsx, verify=verify)
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_writer_that_writes_nothing_is_refused(target):
    with pytest.raises(CannotRun, match="produced no file"):
        atomic_write(target, lambda tmp: None)
    assert target.read_bytes() == OLD


def test_new_target_is_created(tmp_path):
    target = tmp_path / "fresh.xlsx"
    atomic_write(target, make_xlsx, verify=verify_xlsx, keep=5)
    assert target.is_file()
    assert versions(target) == []


def test_a_target_saved_meanwhile_is_never_replaced(target):
    seen = safety.file_state(target)

    def write(tmp: Path):
        target.write_bytes(OLD + b" and a note typed meanwhile")
        make_xlsx(tmp)

    with pytest.raises(safety.TargetChanged):
        atomic_write(target, write, unchanged_since=seen)
    assert target.read_bytes() == OLD + b" and a note typed meanwhile"
    assert leftovers(target.parent) == []


def test_a_target_created_meanwhile_is_never_replaced(tmp_path):
    target = tmp_path / "Scorecard.xlsx"
    seen = safety.file_state(target)  # no file yet
    with pytest.raises(safety.TargetChanged):
        atomic_write(target, lambda tmp: (target.write_bytes(OLD), make_xlsx(tmp)), unchanged_since=seen)
    assert target.read_bytes() == OLD


def test_an_unchanged_target_is_replaced(target):
    atomic_write(target, make_xlsx, unchanged_since=safety.file_state(target))
    assert target.read_bytes() != OLD


def test_missing_folder_is_a_clear_cannot_run(tmp_path):
    with pytest.raises(CannotRun, match="no such folder"):
        atomic_write(tmp_path / "nope" / "x.xlsx", make_xlsx)


def test_os_errors_wrapped_by_a_library_name_the_target(target):
    class FileCreateError(Exception):  # as XlsxWriter wraps the OSError from Workbook.close
        pass

    def write(tmp: Path):
        raise FileCreateError(OSError(errno.ENOSPC, "No space left on device"))

    with pytest.raises(CannotRun, match=f"{target}: the disk is full"):
        atomic_write(target, write)
    assert target.read_bytes() == OLD


def test_clean_stale_temps_removes_only_dead_runs_leftovers(target):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = temp_path(target).with_name(f"{safety.TEMP_PREFIX}{target.name}.{dead.pid}.tmp")
    mine = temp_path(target)
    live = temp_path(target).with_name(f"{safety.TEMP_PREFIX}{target.name}.{os.getppid()}.tmp")
    for path in (gone, mine, live):
        path.write_bytes(b"partial")
    assert safety.clean_stale_temps(target) == [gone]
    assert mine.exists() and live.exists()


def test_versions_keep_newest_n(target):
    stamp = dt.datetime(2026, 1, 1, 3, 0).timestamp()
    for day in range(6):
        os.utime(target, (stamp + day * 86400, stamp + day * 86400))
        atomic_write(target, lambda tmp, d=day: make_xlsx(tmp, f"day {d}"), keep=3)
    kept = versions(target)
    assert [p.name for p in kept] == ["Scorecard.20260104-030000.xlsx", "Scorecard.20260105-030000.xlsx",
                                      "Scorecard.20260106-030000.xlsx"]
    # the newest copy is what the target held before the last run
    assert zipfile.ZipFile(kept[-1]).read("xl/workbook.xml") == b"<workbook><name>day 4</name></workbook>"
    assert zipfile.ZipFile(target).read("xl/workbook.xml") == b"<workbook><name>day 5</name></workbook>"


def test_versions_never_delete_other_files(target):
    folder = target.parent / "versions"
    folder.mkdir()
    mine = folder / "Scorecard notes.xlsx"
    mine.write_bytes(b"a person's own file")
    for n in range(3):
        os.utime(target, (1e9 + n, 1e9 + n))
        atomic_write(target, make_xlsx, keep=1)
    assert mine.read_bytes() == b"a person's own file"
    assert len(versions(target)) == 1


def test_same_second_versions_do_not_overwrite_each_other(target):
    for n in range(3):
        target.write_bytes(OLD + bytes([n]))
        os.utime(target, (1e9, 1e9))
        atomic_write(target, make_xlsx, keep=10)
    assert [p.read_bytes()[-1] for p in versions(target)] == [0, 1, 2]


# -- open in Excel -----------------------------------------------------------------

def test_not_open_without_owner_file(target):
    assert open_in_excel(target) is False


def test_owner_file_full_name(target):
    owner = target.with_name("~$Scorecard.xlsx")
    owner.write_bytes(bytes([10]) + b"Jane Smith" + b" " * 44)
    assert open_in_excel(target) is True
    assert safety.excel_owner(target) == owner
    assert safety.owner_name(owner) == "Jane Smith"


def test_owner_file_long_name_truncated(tmp_path):
    target = tmp_path / "Childrens services scorecard November.xlsx"
    target.write_bytes(OLD)
    (tmp_path / "~$ildrens services scorecard November.xlsx").write_bytes(b"\x00")
    assert open_in_excel(target) is True


def test_beside_name():
    now = dt.datetime(2026, 11, 22, 3, 0, 41)
    assert beside_name(Path("/share/Scorecard.xlsx"), now) == Path(
        "/share/Scorecard (regenerated 2026-11-22 0300).xlsx")


# -- run lock ----------------------------------------------------------------------

def test_lock_created_and_released(target):
    lock = lock_path(target)
    assert lock.name == "Scorecard.xlsx.kpi-xl.lock"
    with RunLock(target) as held:
        info = json.loads(lock.read_text())
        assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
        assert dt.datetime.fromisoformat(info["started"])
        assert held.took_over is None
    assert not lock.exists()


def test_lock_released_on_error(target):
    with pytest.raises(RuntimeError):
        with RunLock(target):
            raise RuntimeError("boom")
    assert not lock_path(target).exists()


def test_concurrent_lock_refused(target):
    with RunLock(target):
        with pytest.raises(TargetLocked) as info:
            with RunLock(target):
                pass  # pragma: no cover
        message = str(info.value)
        assert f"process {os.getpid()} on {socket.gethostname()}" in message
        assert "since" in message and "Wait for it to finish" in message and "delete" in message
        assert info.value.exit_code == EXIT_LOCKED
    assert not lock_path(target).exists()


def test_lock_held_by_another_live_process_refused(target):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock_path(target).write_text(json.dumps({"pid": child.pid, "host": socket.gethostname(),
                                                 "started": dt.datetime.now().isoformat()}))
        with pytest.raises(TargetLocked):
            RunLock(target).acquire()
    finally:
        child.kill()
        child.wait()


def test_stale_lock_of_dead_process_taken_over(target, caplog):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # its pid is now dead
    lock_path(target).write_text(json.dumps({"pid": child.pid, "host": socket.gethostname(),
                                             "started": dt.datetime.now().isoformat()}))
    with caplog.at_level(logging.WARNING, logger="kpi_xl"):
        with RunLock(target) as held:
            assert held.took_over and "no longer running" in held.took_over
            assert json.loads(lock_path(target).read_text())["pid"] == os.getpid()
    assert "took over the lock" in caplog.text
    assert not lock_path(target).exists()
    assert [p for p in target.parent.iterdir() if "stale" in p.name] == []


def test_old_lock_from_another_host_taken_over(target):
    started = dt.datetime.now() - dt.timedelta(hours=3)
    lock_path(target).write_text(json.dumps({"pid": 1, "host": "some-other-server",
                                             "started": started.isoformat()}))
    with RunLock(target) as held:
        assert "old" in held.took_over


def test_recent_lock_from_another_host_refused(target):
    started = dt.datetime.now() - dt.timedelta(minutes=10)
    lock_path(target).write_text(json.dumps({"pid": 1, "host": "some-other-server",
                                             "started": started.isoformat()}))
    with pytest.raises(TargetLocked, match="some-other-server"):
        RunLock(target).acquire()
    assert lock_path(target).exists()  # never removed someone else's live lock


def test_unreadable_old_lock_taken_over(target):
    lock = lock_path(target)
    lock.write_text("{half")
    old = dt.datetime.now().timestamp() - 3 * 3600
    os.utime(lock, (old, old))
    with RunLock(target) as held:
        assert held.took_over


def test_empty_lock_past_the_grace_period_is_stale(target):
    """A run that failed (disk full) while writing its lock must not block runs for hours."""
    lock = lock_path(target)
    lock.write_text("")
    a_while_ago = dt.datetime.now().timestamp() - safety.GRACE_SECONDS - 5
    os.utime(lock, (a_while_ago, a_while_ago))
    with RunLock(target) as held:
        assert "empty or unreadable" in held.took_over and "?" not in held.took_over


def test_empty_lock_being_written_is_respected(target):
    lock_path(target).write_text("")  # another run between creating its lock and writing it
    with pytest.raises(TargetLocked) as info:
        RunLock(target).acquire()
    assert "process ?" not in str(info.value) and "Try again in a minute" in str(info.value)
    assert lock_path(target).exists()


def test_release_leaves_a_lock_taken_over_by_another_run(target):
    held = RunLock(target).acquire()
    lock_path(target).write_text(json.dumps({"pid": 1, "host": "x", "started": "2026-01-01T00:00:00",
                                             "token": "someone else"}))
    held.release()
    assert lock_path(target).exists()


# -- document date and logging -----------------------------------------------------

@pytest.mark.parametrize("year, month, expected", [
    (2025, 11, dt.datetime(2025, 12, 1)),
    (2025, 12, dt.datetime(2026, 1, 1)),
    (2026, 3, dt.datetime(2026, 4, 1)),
])
def test_document_date(year, month, expected):
    assert document_date(year, month) == expected
    assert document_date(year, month).tzinfo is None


@pytest.fixture
def restore_logger():
    logger = logging.getLogger("kpi_xl")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield
    for handler in logger.handlers:
        handler.close()
    logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]


def test_setup_logging_to_stderr_and_file(tmp_path, capsys, restore_logger):
    log_file = tmp_path / "logs" / "kpi-xl.log"
    log_file.parent.mkdir()
    log_file.write_text("earlier run\n")
    logger = setup_logging(log_file)
    logger.info("built %s: %d indicators\nsecond line", "Scorecard.xlsx", 3)
    setup_logging(log_file).warning("again")  # calling twice must not duplicate lines
    for handler in logger.handlers:
        handler.flush()
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "earlier run"
    assert len(lines) == 3
    assert lines[1].endswith("INFO built Scorecard.xlsx: 3 indicators | second line")
    assert dt.datetime.strptime(lines[1][:19], "%Y-%m-%d %H:%M:%S")
    assert "WARNING again" in lines[2]
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "built Scorecard.xlsx" in err[0]


# -- verify_xlsx: what the check of a new workbook proves ----------------------------

def _xlsx_with(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:  # stored: a changed byte is a checksum error
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def test_verify_accepts_a_scorecard_kpi_xl_wrote(tmp_path):
    from kpi_xl import api

    out = tmp_path / "Scorecard.xlsx"
    api.build(Path(__file__).parent.parent / "workbooks" / "kpi_scorecard_jan2020.xlsx", out)
    verify_xlsx(out)  # every part present, well formed and with its checksum right


def test_verify_refuses_malformed_xml(tmp_path):
    bad = _xlsx_with(tmp_path / "bad.xlsx", {"xl/worksheets/sheet1.xml": b"<worksheet><row></worksheet>"})
    with pytest.raises(CannotRun, match="malformed XML"):
        verify_xlsx(bad)


def test_verify_refuses_a_part_a_relationship_names_but_the_file_lacks(tmp_path):
    rels = (b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            b'<Relationship Id="rId2" Target="http://example.org" TargetMode="External"/></Relationships>')
    bad = _xlsx_with(tmp_path / "bad.xlsx", {"xl/_rels/workbook.xml.rels": rels})
    with pytest.raises(CannotRun, match="names xl/worksheets/sheet1.xml, which is not in the file"):
        verify_xlsx(bad)
    good = _xlsx_with(tmp_path / "good.xlsx", {"xl/_rels/workbook.xml.rels": rels,
                                               "xl/worksheets/sheet1.xml": b"<worksheet/>"})
    verify_xlsx(good)


def test_verify_refuses_a_part_whose_checksum_is_wrong(tmp_path):
    path = _xlsx_with(tmp_path / "bad.xlsx", {"xl/media/image1.png": b"\x89PNG" + bytes(range(256)) * 40})
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("xl/media/image1.png")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10] ^= 0xFF  # one byte of the stored part changed: the zip still opens
    path.write_bytes(bytes(data))
    with pytest.raises(CannotRun, match="not a complete xlsx"):
        verify_xlsx(path)



def test_a_part_its_writer_already_parsed_is_read_only_to_its_checksum(tmp_path):
    """The chart parts a build's second process wrote it also parsed (xlsx_package._chart_parts):
    the check reads them to their checksums, not through the XML parser again."""
    chart = b"<c:chartSpace><c:chart>" + b"<c:ser/>" * 500  # not closed: malformed, to show it is not parsed
    path = _xlsx_with(tmp_path / "checked.xlsx", {"xl/charts/chart1.xml": chart})
    verify_xlsx(path, parsed={"xl/charts/chart1.xml"})
    with pytest.raises(CannotRun, match="malformed XML"):
        verify_xlsx(path)  # not said to be parsed: parsed here

    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("xl/charts/chart1.xml")
    data[info.header_offset + 30 + len(info.filename) + 100] ^= 0xFF  # one byte changed on its way to the disk
    path.write_bytes(bytes(data))
    with pytest.raises(CannotRun, match="not a complete xlsx"):
        verify_xlsx(path, parsed={"xl/charts/chart1.xml"})


def test_a_relationships_part_is_always_parsed(tmp_path):
    rels = b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'
    bad = _xlsx_with(tmp_path / "bad.xlsx", {"xl/_rels/workbook.xml.rels": rels})
    with pytest.raises(CannotRun, match="names xl/worksheets/sheet1.xml"):
        verify_xlsx(bad, parsed={"xl/_rels/workbook.xml.rels"})



def many_parts(path: Path, bad: str | None = None) -> Path:
    """A small xlsx-shaped zip of 60 chart parts (enough to be checked by two processes), ``bad`` malformed."""
    parts = {f"xl/charts/chart{n}.xml": b"<c:chartSpace>" + b"<c:ser/>" * (50 + n) + b"</c:chartSpace>"
             for n in range(1, 61)}
    if bad:
        parts[bad] = b"<c:chartSpace><c:ser>"
    return _xlsx_with(path, parts)


def test_a_small_file_is_checked_by_two_processes_each_part_once(tmp_path, monkeypatch):
    import os
    import sys

    from kpi_xl.alongside import ONE_PROCESS

    monkeypatch.delenv(ONE_PROCESS, raising=False)
    log = tmp_path / "checked"
    read_part = safety._read_part

    def noted(zf, name, parse=True):
        with log.open("a") as out:
            out.write(f"{os.getpid()} {name}\n")
        return read_part(zf, name, parse)

    monkeypatch.setattr(safety, "_read_part", noted)
    path = many_parts(tmp_path / "small.xlsx")
    verify_xlsx(path)
    checked = [line.split() for line in log.read_text().splitlines()]
    assert sorted(name for _, name in checked) == sorted(zipfile.ZipFile(path).namelist())  # each once
    if sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1:
        pids = {pid for pid, _ in checked}
        assert len(pids) == 2 and str(os.getpid()) in pids

    log.unlink()
    monkeypatch.setattr(safety, "CHECK_ALONGSIDE_BYTES", path.stat().st_size - 1)  # a larger file: all here
    verify_xlsx(path)
    assert {line.split()[0] for line in log.read_text().splitlines()} == {str(os.getpid())}


def test_a_bad_part_the_second_process_checks_is_reported_here_in_the_same_words(tmp_path, monkeypatch):
    from kpi_xl.alongside import ONE_PROCESS

    monkeypatch.delenv(ONE_PROCESS, raising=False)
    messages = []
    for chart in range(1, 61):  # whichever side of the two each part falls to
        path = many_parts(tmp_path / f"bad{chart}.xlsx", bad=f"xl/charts/chart{chart}.xml")
        with pytest.raises(CannotRun, match="malformed XML") as failed:
            verify_xlsx(path)
        messages.append(str(failed.value))
    monkeypatch.setenv(ONE_PROCESS, "1")
    for chart, message in zip(range(1, 61), messages):
        with pytest.raises(CannotRun) as failed:
            verify_xlsx(tmp_path / f"bad{chart}.xlsx")
        assert str(failed.value) == message
