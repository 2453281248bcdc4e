"""A build starts its reads at once (api.Reads): a small raw workbook is read by a second
process while this one loads the code that rates, lays out and writes, and the scorecard
about to be replaced is read by another. The same file, and the same errors, either way."""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

from kpi_xl import api
from kpi_xl.alongside import ONE_PROCESS
from kpi_xl.errors import InputError

SAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "kpi_scorecard_jan2020.xlsx"
BAD = Path(__file__).resolve().parent / "data" / "bad" / "duplicate_ids.xlsx"
forking = sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1


def readers(monkeypatch, log: Path) -> None:
    """Each process that reads the raw workbook notes its process id in ``log``."""
    read_raw = api.read_raw

    def noted(*args):
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return read_raw(*args)

    monkeypatch.setattr(api, "read_raw", noted)


def pids(log: Path) -> list[int]:
    return [int(line) for line in log.read_text().split()] if log.exists() else []


@pytest.mark.skipif(not forking, reason="a second process is forked only on Linux, with two cores or more")
def test_a_small_raw_workbook_is_read_once_by_a_second_process_and_rated_here(tmp_path, monkeypatch):
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    assert SAMPLE.stat().st_size <= api.READ_ALONGSIDE_BYTES
    readers(monkeypatch, tmp_path / "readers")
    result = api.build(SAMPLE, tmp_path / "two.xlsx")
    assert len(pids(tmp_path / "readers")) == 1 and pids(tmp_path / "readers")[0] != os.getpid()
    assert len(result.evaluation.results) > 10  # the second process's figures, handed back whole

    monkeypatch.setenv(ONE_PROCESS, "1")
    api.build(SAMPLE, tmp_path / "one.xlsx")
    assert pids(tmp_path / "readers")[1:] == [os.getpid()]
    assert (tmp_path / "two.xlsx").read_bytes() == (tmp_path / "one.xlsx").read_bytes()


def test_a_large_raw_workbook_is_read_here(tmp_path, monkeypatch):
    """Handing a large workbook's figures back would cost more than it saves."""
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    monkeypatch.setattr(api, "READ_ALONGSIDE_BYTES", SAMPLE.stat().st_size - 1)
    readers(monkeypatch, tmp_path / "readers")
    api.build(SAMPLE, tmp_path / "scorecard.xlsx")
    assert pids(tmp_path / "readers") == [os.getpid()]


def test_a_bad_raw_workbook_read_by_a_second_process_fails_here_with_the_same_problems(tmp_path, monkeypatch):
    """The second process's failure is not reported: the workbook is read again here, and its
    problems raised here, cell by cell, as they always were; nothing is written."""
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    assert BAD.stat().st_size <= api.READ_ALONGSIDE_BYTES
    raised = []
    for one_process in (False, True):
        if one_process:
            monkeypatch.setenv(ONE_PROCESS, "1")
        with pytest.raises(InputError) as failed:
            api.build(BAD, tmp_path / "scorecard.xlsx")
        raised.append([str(problem) for problem in failed.value.problems])
    assert raised[0] == raised[1] and raised[0]
    assert not (tmp_path / "scorecard.xlsx").exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file, no lock left behind


def test_the_loaded_code_is_set_aside_from_the_collector_while_building_and_given_back(tmp_path, monkeypatch):
    """Collections during a build look only at what it made (gc.freeze), and afterwards at
    everything again, so a long-lived process (Excel's, xlwings Server's) collects as before."""
    from kpi_xl.write import xlsx_writer

    seen = []
    write_xlsx = xlsx_writer.write_xlsx

    def writing(*args, **kwargs):
        seen.append(gc.get_freeze_count())
        return write_xlsx(*args, **kwargs)

    monkeypatch.setattr(xlsx_writer, "write_xlsx", writing)
    assert gc.get_freeze_count() == 0
    api.build(SAMPLE, tmp_path / "scorecard.xlsx")
    assert seen and seen[0] > 10_000  # the modules, classes and functions loaded
    assert gc.get_freeze_count() == 0


@pytest.mark.skipif(not forking, reason="a second process is forked only on Linux, with two cores or more")
def test_the_check_of_the_new_file_does_not_parse_again_what_the_second_process_parsed(tmp_path, monkeypatch):
    from kpi_xl.run import safety

    monkeypatch.delenv(ONE_PROCESS, raising=False)
    checked = []
    verify_xlsx = safety.verify_xlsx

    def verifying(path, parsed=()):
        checked.append(set(parsed))
        verify_xlsx(path, parsed)

    monkeypatch.setattr(safety, "verify_xlsx", verifying)
    api.build(SAMPLE, tmp_path / "scorecard.xlsx")
    assert len(checked) == 1 and checked[0]
    assert all(name.startswith("xl/charts/chart") for name in checked[0])


@pytest.mark.skipif(not forking, reason="a second process is forked only on Linux, with two cores or more")
def test_last_months_scorecard_is_read_by_a_second_process_only_when_there_is_one(tmp_path, monkeypatch):
    """A first build has no scorecard to carry commentary from: nothing to fork a process for."""
    from kpi_xl.run import carry

    monkeypatch.delenv(ONE_PROCESS, raising=False)
    read_previous, log = carry.read_previous, tmp_path / "carriers"

    def noted(scorecard):
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return read_previous(scorecard)

    monkeypatch.setattr(carry, "read_previous", noted)
    output = tmp_path / "scorecard.xlsx"
    api.build(SAMPLE, output)  # new
    assert pids(log) == [os.getpid()]
    api.build(SAMPLE, output)  # replacing it
    assert len(pids(log)) == 2 and pids(log)[1] != os.getpid()
