"""A single build loads only what it uses: the batch module and its process pool (multiprocessing,
concurrent.futures), uuid, and importlib.resources (the bundled templates are found by path)
are not imported to build one scorecard; nor are difflib (only for a "Did you mean" hint),
statistics (``rules.fmean``), calendar (``periods.month_name``), logging (only when a run
logs: ``files.log``) or, but on Windows, socket (``runlock.this_host``). What each import costs is measured in benchmarks/bench_build.py,
never timed here."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_NEEDED = ("kpi_xl.run.batch", "concurrent.futures", "multiprocessing", "uuid", "importlib.resources",
              "difflib", "statistics", "calendar", "logging") + (("socket",) if hasattr(os, "uname") else ())


def python(script: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``script`` run by a fresh Python with this checkout's kpi_xl; it must succeed."""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return done


def loaded_by_two_builds(tmp_path: Path, modules: tuple[str, ...], env: dict | None = None) -> str:
    """``LOADED [...]``: which of ``modules`` a fresh Python has loaded once it has built the
    sample scorecard twice (a new file, then replacing it under the run lock)."""
    raw = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"
    args = ["build", str(raw), "-o", str(tmp_path / "out.xlsx"), "-q"]
    return python("import sys\nfrom kpi_xl.cli import main\n"
                  f"code = main({args!r}) or main({args!r})\n"
                  f"print('LOADED', sorted(m for m in {modules!r} if m in sys.modules), file=sys.stderr)\n"
                  "sys.exit(code)\n", env).stderr


def test_one_build_does_not_load_the_batch_pool(tmp_path):
    assert "LOADED []" in loaded_by_two_builds(tmp_path, NOT_NEEDED)


def test_a_batch_still_runs_its_pool(tmp_path):
    from kpi_xl.run import batch

    seen = []
    left = batch._pool([(Path("a"), Path("b"))], {}, 1, seen.append, _echo)
    assert left == [] and seen == [("a", "b")]


def _echo(raw: Path, output: Path, options: dict) -> tuple[str, str]:
    return str(raw), str(output)


def test_api_loads_no_reading_or_rating_code_so_a_builds_raw_read_starts_first():
    """``kpi_xl.api`` loads no reading or rating code (``Reads`` forks the raw workbook's read
    first; that process loads it while this one loads the writer)."""
    done = python("import sys\nimport kpi_xl.api, kpi_xl.cli\n"
                  "print('LOADED', sorted(m for m in sys.modules if m.startswith(('kpi_xl.read', 'kpi_xl.rate'))))\n")
    assert "LOADED []" in done.stdout


@pytest.mark.skipif(not (sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1),
                    reason="the raw workbook is read by a second process only on Linux, with two cores or more")
def test_a_build_reading_its_raw_workbook_alongside_does_not_load_the_reader_itself(tmp_path):
    """The second process loads the reader; this one loads what lays out and writes, no
    more (the layout takes the comparators' names from the model, not the Benchmarks reader)."""
    env = {k: v for k, v in os.environ.items() if k != "KPI_XL_ONE_PROCESS"}
    assert "LOADED []" in loaded_by_two_builds(tmp_path, ("kpi_xl.read.grid", "kpi_xl.read.xlsx_stream",
                                                          "kpi_xl.read.reader"), env)
