"""The command's process ends without the interpreter's teardown (cli._leave), but as any exit
ends: the exit handlers run, what was printed is flushed, the exit code is the command's, and
the scheduled job's log is complete."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"
BAD = ROOT / "tests" / "data" / "bad" / "duplicate_ids.xlsx"


def command(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``kpi-xl ARGS`` in a process of its own, with an exit handler that prints and writes a file."""
    script = ("import atexit, sys\n"
              "from kpi_xl import cli\n"
              f"atexit.register(lambda: (print('exit handler ran'), open({str(tmp_path / 'ran')!r}, 'w').close()))\n"
              f"sys.argv = ['kpi-xl', *{list(args)!r}]\n"
              "sys.exit(cli.main())\n")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=300)


def test_a_build_runs_the_exit_handlers_and_flushes_its_output(tmp_path):
    done = command(tmp_path, "build", str(SAMPLE), "-o", str(tmp_path / "scorecard.xlsx"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "exit handler ran" and (tmp_path / "ran").exists()
    assert "Wrote " in done.stderr and (tmp_path / "scorecard.xlsx").is_file()


def test_the_exit_code_is_the_commands(tmp_path):
    done = command(tmp_path, "build", str(BAD), "-o", str(tmp_path / "scorecard.xlsx"))
    assert done.returncode == 1
    assert "Indicators!A5" in done.stdout + done.stderr and (tmp_path / "ran").exists()
    assert not (tmp_path / "scorecard.xlsx").exists()


def test_the_scheduled_jobs_log_is_complete(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "raw.xlsx")
    (tmp_path / "kpi-xl.toml").write_text('log = "logs/kpi-xl.log"\n\n[[job]]\nraw = "raw.xlsx"\n'
                                          'output = "Scorecard.xlsx"\n', encoding="utf-8")
    done = command(tmp_path, "schedule", str(tmp_path / "kpi-xl.toml"))
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "logs" / "kpi-xl.log").read_text(encoding="utf-8")
    assert "start: " in log and "built: period January 2020" in log
    assert log.splitlines()[-1].endswith("done: 1 job(s), exit 0")  # the last line, written
