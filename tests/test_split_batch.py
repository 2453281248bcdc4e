"""kpi-xl build "raw/*.xlsx" -o out/ --split: each raw workbook of a folder or pattern split by
its Split by column into its own subfolder, in parallel, with one summary.csv (run.split_batch)."""
from __future__ import annotations

import csv
import logging
import shutil
from pathlib import Path

import openpyxl
import pytest

from kpi_xl.cli import main
from kpi_xl.run import split_batch
from kpi_xl.run.split_batch import split_folders

from make_split_workbook import write_split_workbook

SAMPLES = Path(__file__).resolve().parent.parent / "workbooks"


@pytest.fixture()
def regions(tmp_path):
    """One raw workbook per region, each split by Authority; one copied while still being saved."""
    raw = tmp_path / "raw"
    raw.mkdir()
    write_split_workbook(raw / "North West.xlsx", {"Bolton": 1.02, "Wigan": 0.86, "Bury": 0.98}, column="Authority")
    write_split_workbook(raw / "London.xlsx", {"Barnet": 1.0, "Camden/Islington": 0.9}, total=False,
                         column="Authority")
    whole = (raw / "London.xlsx").read_bytes()
    (raw / "Yorkshire.xlsx").write_bytes(whole[: len(whole) // 2])
    return raw


def summary_rows(folder: Path) -> list[dict]:
    with (folder / "summary.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_each_workbook_is_split_into_its_own_folder_and_a_bad_one_fails_alone(regions, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(regions / "*.xlsx"), "-o", str(out), "--split", "--jobs", "2"]) == 1
    captured = capsys.readouterr()
    failures = [line for line in captured.err.splitlines() if line.startswith("failed:")]
    assert len(failures) == 1 and "Yorkshire.xlsx: is damaged or incomplete" in failures[0]
    assert "6 built, 1 failed" in captured.err
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.xlsx"))
    assert written == ["London/Barnet.xlsx", "London/Camden - Islington.xlsx", "London/Comparison by Authority.xlsx",
                       "North West/Bolton.xlsx", "North West/Bury.xlsx", "North West/Comparison by Authority.xlsx",
                       "North West/Total.xlsx", "North West/Wigan.xlsx"]
    assert not (out / "Yorkshire").exists(), "no empty folder for a workbook that could not be split"
    assert sorted(Path(line).relative_to(out).as_posix() for line in captured.out.split("\n") if line) == written
    for path in out.rglob("*.xlsx"):
        openpyxl.load_workbook(path, read_only=True).close()
    title = openpyxl.load_workbook(out / "North West" / "Wigan.xlsx", read_only=True).properties.title
    assert "Wigan" in title

    rows = summary_rows(out)
    assert [(Path(r["file"]).name, r["split"], r["outcome"]) for r in rows] == [
        ("London.xlsx", "Barnet", "built"), ("London.xlsx", "Camden/Islington", "built"),
        ("North West.xlsx", "Bolton", "built"), ("North West.xlsx", "Wigan", "built"),
        ("North West.xlsx", "Bury", "built"), ("North West.xlsx", "Total", "built"),
        ("Yorkshire.xlsx", "", "failed")]
    wigan = next(r for r in rows if r["split"] == "Wigan")
    assert wigan["period"] == "2020-01" and Path(wigan["output"]) == out / "North West" / "Wigan.xlsx"
    counts = {k: int(wigan[k]) for k in ("green", "amber", "red", "grey", "no_data")}
    assert sum(counts.values()) == int(wigan["indicators"]) == 9 and counts["red"] > 0
    assert float(wigan["seconds"]) > 0
    assert "damaged or incomplete" in rows[-1]["problem"]
    assert not list(out.rglob(".*")), "no temporary files left behind"


def test_same_inputs_same_bytes(regions, tmp_path):
    (regions / "Yorkshire.xlsx").unlink()
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["build", str(regions), "-o", str(first), "--split", "-q"]) == 0
    assert main(["build", str(regions), "-o", str(second), "--split", "-q", "--jobs", "1"]) == 0
    made = sorted(p.relative_to(first) for p in first.rglob("*.xlsx"))
    assert len(made) == 8 and made == sorted(p.relative_to(second) for p in second.rglob("*.xlsx"))
    for path in made:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path


def test_a_workbook_with_no_split_by_is_one_failed_row(regions, tmp_path, capsys):
    shutil.copy(SAMPLES / "kpi_scorecard_jan2020.xlsx", regions / "Plain.xlsx")
    (regions / "Yorkshire.xlsx").unlink()
    out = tmp_path / "out"
    assert main(["build", str(regions), "-o", str(out), "--split", "-q"]) == 1
    failures = [line for line in capsys.readouterr().err.splitlines() if line.startswith("failed:")]
    assert len(failures) == 1 and "Plain.xlsx" in failures[0] and "Split by" in failures[0]
    plain = [r for r in summary_rows(out) if Path(r["file"]).name == "Plain.xlsx"]
    assert len(plain) == 1 and plain[0]["outcome"] == "failed"
    assert (out / "London" / "Barnet.xlsx").is_file()


def test_subfolder_names_are_safe_and_unique(tmp_path):
    raws = [Path("a/North.xlsx"), Path("b/north.xlsx"), Path("CON.xlsx"), Path("summary.xlsx"), Path("x/ .xlsx")]
    assert [folder.name for _, folder in split_folders(raws, tmp_path)] == [
        "North", "north (2)", "CON (team)", "summary (2)", "blank"]


def test_the_scheduled_job_splits_a_pattern(regions, tmp_path):
    config = tmp_path / "kpi-xl.toml"
    config.write_text('log = "kpi-xl.log"\n\n[[job]]\nraw = "raw/*.xlsx"\noutput = "regions/"\nsplit = true\n'
                      "jobs = 2\n", encoding="utf-8")
    logger = logging.getLogger("kpi_xl")
    handlers, level = list(logger.handlers), logger.level
    try:
        assert main(["schedule", str(config)]) == 1  # Yorkshire.xlsx is truncated; the rest are built
    finally:
        for handler in logger.handlers[:]:
            if handler not in handlers:
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(level)
    assert (tmp_path / "regions" / "North West" / "Wigan.xlsx").is_file()
    assert (tmp_path / "regions" / "London" / "Comparison by Authority.xlsx").is_file()
    assert len(summary_rows(tmp_path / "regions")) == 7
    log = (tmp_path / "kpi-xl.log").read_text(encoding="utf-8")
    assert "failed" in log and "Yorkshire.xlsx" in log and "North West.xlsx (Wigan)" in log
    assert "comparison: " in log

_split_one = split_batch.split_one


def _dies_on_london(raw, folder, options):
    if Path(raw).name == "London.xlsx":
        import os  # noqa: PLC0415
        os._exit(9)  # the worker process is killed (as by the out-of-memory killer)
    return _split_one(raw, folder, options)


_dies_on_london.__module__, _dies_on_london.__qualname__ = split_batch.__name__, "split_one"  # pickled by that name


def test_a_worker_that_dies_takes_no_other_workbook_with_it(regions, tmp_path, monkeypatch):
    import multiprocessing  # noqa: PLC0415

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched worker reaches the pool only when it forks")
    (regions / "Yorkshire.xlsx").unlink()
    monkeypatch.setattr(split_batch, "split_one", _dies_on_london)
    out = tmp_path / "out"
    out.mkdir()
    outcomes, comparisons = split_batch.run_split_batch(sorted(regions.glob("*.xlsx")), out, {}, jobs=2)
    london = [o for o in outcomes if Path(o.file).name == "London.xlsx"]
    assert len(london) == 1 and london[0].failed and "stopped unexpectedly" in london[0].problem
    assert (out / "North West" / "Wigan.xlsx").is_file() and len(comparisons) == 1
    assert len(summary_rows(out)) == 5
