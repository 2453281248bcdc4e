"""Many raw workbooks in one run: kpi-xl build "raw/*.xlsx" -o out/ (kpi_xl.run.batch)."""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from kpi_xl.cli import main
from kpi_xl.run import batch

SAMPLES = Path(__file__).resolve().parent.parent / "workbooks"


@pytest.fixture()
def raw_folder(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(SAMPLES / "kpi_scorecard_jan2020.xlsx", folder / "barnet.xlsx")
    shutil.copy(SAMPLES / "monthly_monitoring_feb2014.xlsx", folder / "camden.xlsx")
    shutil.copy(SAMPLES / "kpi_scorecard_jan2020.xlsx", folder / "ealing.xlsx")
    whole = (SAMPLES / "kpi_scorecard_jan2020.xlsx").read_bytes()
    (folder / "dudley.xlsx").write_bytes(whole[: len(whole) // 2])  # copied while still being saved
    (folder / "~$barnet.xlsx").write_bytes(b"owner")  # Excel's owner file: not a workbook to build
    return folder


def summary(folder: Path) -> dict[str, dict]:
    with (folder / "summary.csv").open(encoding="utf-8-sig") as handle:
        return {Path(row["file"]).name: row for row in csv.DictReader(handle)}


def test_one_truncated_workbook_fails_alone_and_the_rest_are_written(raw_folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(raw_folder / "*.xlsx"), "-o", str(out), "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    failures = [line for line in err.splitlines() if line.startswith("failed:")]
    assert len(failures) == 1 and "dudley.xlsx" in failures[0] and "damaged or incomplete" in failures[0]
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["barnet.xlsx", "camden.xlsx", "ealing.xlsx"]
    for name in ("barnet.xlsx", "camden.xlsx", "ealing.xlsx"):
        openpyxl.load_workbook(out / name, read_only=True).close()
    rows = summary(out)
    assert set(rows) == {"barnet.xlsx", "camden.xlsx", "dudley.xlsx", "ealing.xlsx"}
    assert rows["dudley.xlsx"]["outcome"] == "failed" and "damaged" in rows["dudley.xlsx"]["problem"]
    assert rows["barnet.xlsx"]["outcome"] == "built" and rows["barnet.xlsx"]["period"] == "2020-01"
    assert rows["camden.xlsx"]["period"] == "2014-02"
    counts = {k: int(rows["barnet.xlsx"][k]) for k in ("green", "amber", "red", "grey", "no_data")}
    assert sum(counts.values()) == int(rows["barnet.xlsx"]["indicators"]) > 0
    assert not list(out.glob(".*")), "no temporary files left behind"


def test_same_inputs_same_bytes(raw_folder, tmp_path):
    (raw_folder / "dudley.xlsx").unlink()
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["build", str(raw_folder), "-o", str(first), "-q"]) == 0
    assert main(["build", str(raw_folder), "-o", str(second), "-q", "--jobs", "1"]) == 0
    for path in first.glob("*.xlsx"):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_output_folder_holding_the_raw_workbooks_is_refused(raw_folder, capsys):
    before = {p.name: p.read_bytes() for p in raw_folder.iterdir()}
    assert main(["build", str(raw_folder / "*.xlsx"), "-o", str(raw_folder)]) == 1
    assert "would replace the raw workbooks" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in raw_folder.iterdir()} == before


def test_a_single_xlsx_output_is_refused_for_many(raw_folder, tmp_path, capsys):
    assert main(["build", str(raw_folder / "*.xlsx"), "-o", str(tmp_path / "all.xlsx")]) == 1
    assert "need a folder" in capsys.readouterr().err


def test_a_pattern_matching_nothing_says_so(tmp_path, capsys):
    assert main(["build", str(tmp_path / "*.xlsx"), "-o", str(tmp_path / "out")]) == 2
    assert "no file matches it" in capsys.readouterr().err


_build_one = batch.build_one


def _dies_on_camden(raw, output, options):
    if raw.name == "camden.xlsx":
        os._exit(9)  # the worker process is killed (as by the out-of-memory killer)
    return _build_one(raw, output, options)


_dies_on_camden.__module__, _dies_on_camden.__qualname__ = batch.__name__, "build_one"  # pickled by that name


def test_a_worker_that_dies_takes_no_other_workbook_with_it(raw_folder, tmp_path, monkeypatch):
    import multiprocessing  # noqa: PLC0415

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched worker reaches the pool only when it forks")
    (raw_folder / "dudley.xlsx").unlink()
    monkeypatch.setattr(batch, "build_one", _dies_on_camden)
    out = tmp_path / "out"
    outcomes = batch.run_batch(batch.raw_workbooks(str(raw_folder)), batch.output_folder(out), {}, jobs=2)
    by_file = {Path(o.file).name: o for o in outcomes}
    assert by_file["camden.xlsx"].failed and "stopped unexpectedly" in by_file["camden.xlsx"].problem
    assert not by_file["barnet.xlsx"].failed and not by_file["ealing.xlsx"].failed
    assert (out / "barnet.xlsx").is_file() and (out / "ealing.xlsx").is_file()
    assert batch.exit_code(outcomes) == 1


def test_the_scheduled_job_takes_a_pattern_and_a_split(raw_folder, tmp_path):
    import logging  # noqa: PLC0415

    from make_split_workbook import write_split_workbook  # noqa: PLC0415

    write_split_workbook(tmp_path / "teams.xlsx")
    config = tmp_path / "kpi-xl.toml"
    config.write_text('log = "kpi-xl.log"\n\n[[job]]\nraw = "raw/*.xlsx"\noutput = "councils/"\njobs = 2\n\n'
                      '[[job]]\nraw = "teams.xlsx"\noutput = "teams/"\nsplit = true\n', encoding="utf-8")
    logger = logging.getLogger("kpi_xl")
    handlers, level = list(logger.handlers), logger.level
    try:
        assert main(["schedule", str(config)]) == 1  # dudley.xlsx is truncated; the rest are built
    finally:
        for handler in logger.handlers[:]:
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(level)
    assert sorted(p.name for p in (tmp_path / "councils").glob("*.xlsx")) == ["barnet.xlsx", "camden.xlsx",
                                                                              "ealing.xlsx"]
    assert (tmp_path / "teams" / "East.xlsx").is_file() and (tmp_path / "teams" / "Comparison by Team.xlsx").is_file()
    log = (tmp_path / "kpi-xl.log").read_text(encoding="utf-8")
    assert "failed" in log and "dudley.xlsx" in log and "built Team East" in log


def test_a_directors_copy_on_a_job_of_many_is_refused(tmp_path, capsys):
    config = tmp_path / "kpi-xl.toml"
    config.write_text('[[job]]\nraw = "raw/*.xlsx"\noutput = "out/"\n[job.directors_copy]\noutput = "d.xlsx"\n',
                      encoding="utf-8")
    assert main(["schedule", str(config)]) == 1
    assert "job[1].directors_copy: is for one scorecard, not many." in capsys.readouterr().err


def test_workers_end_when_the_batch_is_killed(raw_folder, tmp_path):
    import signal  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    import time  # noqa: PLC0415

    for i in range(8):
        shutil.copy(SAMPLES / "kpi_scorecard_jan2020.xlsx", raw_folder / f"extra {i}.xlsx")
    proc = subprocess.Popen([sys.executable, "-m", "kpi_xl.cli", "build", str(raw_folder), "-o", str(tmp_path / "out"),
                             "--jobs", "2", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                                  text=True).stdout.split()]
        time.sleep(0.1)
    assert workers, "the batch started no workers"
    proc.send_signal(signal.SIGKILL)  # as a scheduler ends a job that ran too long
    proc.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "zombie" not in Path(f"/proc/{pid}/status").read_text()
             and "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "workers lived on after the batch was killed"


def test_a_raw_workbook_named_with_brackets_is_one_workbook(tmp_path):
    raw = tmp_path / "Raw [v2].xlsx"
    shutil.copy(SAMPLES / "kpi_scorecard_jan2020.xlsx", raw)
    assert not batch.is_batch(str(raw))
    assert batch.is_batch(str(tmp_path / "*.xlsx")) and batch.is_batch(str(tmp_path))
