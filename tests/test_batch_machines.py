"""What a batch spread over several machines relies on (README, "On several machines"): one
output per input and nothing written outside -o; the same bytes wherever and however often
it runs; a run lock per scorecard, not one for the folder; a summary per part (--summary)."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from kpi_xl.cli import main
from kpi_xl.run.runlock import RunLock

SAMPLES = Path(__file__).resolve().parent.parent / "workbooks"


@pytest.fixture()
def parts(tmp_path):
    """A national batch cut into two parts, as two machines would each be given one."""
    for part, names in (("part-1", ("barnet", "camden")), ("part-2", ("dudley", "ealing"))):
        (tmp_path / "raw" / part).mkdir(parents=True)
        for name in names:
            sample = "monthly_monitoring_feb2014.xlsx" if name == "camden" else "kpi_scorecard_jan2020.xlsx"
            shutil.copy(SAMPLES / sample, tmp_path / "raw" / part / f"{name}.xlsx")
    (tmp_path / "summaries").mkdir()
    return tmp_path


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_two_parts_into_one_folder_give_what_one_run_gives(parts, monkeypatch):
    monkeypatch.chdir(parts)
    raw_before = files_under(parts / "raw")
    for part in ("part-1", "part-2"):  # each "machine" its own share and its own summary
        assert main(["build", f"raw/{part}/*.xlsx", "-o", "out/", "--summary", f"summaries/{part}.csv", "-q",
                     "--jobs", "1"]) == 0
    assert main(["build", "raw/*/*.xlsx", "-o", "alone/", "-q", "--jobs", "2"]) == 0  # one machine, all at once

    spread, alone = files_under(parts / "out"), files_under(parts / "alone")
    assert sorted(spread) == ["barnet.xlsx", "camden.xlsx", "dudley.xlsx", "ealing.xlsx"]  # no summary.csv there
    assert sorted(alone) == sorted(spread) + ["summary.csv"]
    for name, data in spread.items():
        assert data == alone[name], f"{name}: not the same bytes on one machine as on two"
    assert files_under(parts / "raw") == raw_before, "a batch writes nothing beside its inputs"
    assert sorted(p.name for p in parts.iterdir()) == ["alone", "out", "raw", "summaries"], \
        "nothing written outside -o and --summary"
    assert [Path(r["file"]).name for r in rows(parts / "summaries" / "part-1.csv")] == ["barnet.xlsx", "camden.xlsx"]
    assert [Path(r["file"]).name for r in rows(parts / "summaries" / "part-2.csv")] == ["dudley.xlsx", "ealing.xlsx"]

    # a part run again (after a failure, or by a second machine by mistake) changes nothing
    assert main(["build", "raw/part-1/*.xlsx", "-o", "out/", "--summary", "summaries/part-1.csv", "-q"]) == 0
    assert files_under(parts / "out") == spread


def test_the_run_lock_is_per_scorecard_not_per_folder(parts, monkeypatch, capsys):
    monkeypatch.chdir(parts)
    (parts / "out").mkdir()
    with RunLock(parts / "out" / "camden.xlsx"):  # another machine is writing camden.xlsx this moment
        assert main(["build", "raw/part-1/*.xlsx", "-o", "out/", "-q", "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "failed: raw/part-1/camden.xlsx:" in err and "another kpi-xl run" in err
    assert (parts / "out" / "barnet.xlsx").is_file() and not (parts / "out" / "camden.xlsx").exists()
    outcome = {Path(r["file"]).name: r for r in rows(parts / "out" / "summary.csv")}
    assert outcome["camden.xlsx"]["exit_code"] == "4" and outcome["barnet.xlsx"]["outcome"] == "built"


def test_a_summary_option_is_checked_before_anything_is_built(parts, monkeypatch, capsys):
    monkeypatch.chdir(parts)
    assert main(["build", "raw/part-1/*.xlsx", "-o", "out/", "--summary", "raw/part-1/barnet.xlsx"]) == 1
    assert "the summary is a CSV file, so its name must end in .csv" in capsys.readouterr().err
    assert main(["build", "raw/part-1/*.xlsx", "-o", "out/", "--summary", "nowhere/part-1.csv"]) == 2
    assert "nowhere: no such folder" in capsys.readouterr().err
    assert main(["build", "raw/part-1/barnet.xlsx", "-o", "b.xlsx", "--summary", "s.csv"]) == 1
    assert "--summary is for a folder or pattern" in capsys.readouterr().err
    assert not list((parts / "out").glob("*.xlsx")) and not (parts / "b.xlsx").exists()
