"""How long a batch of many raw workbooks takes, and how much memory. Run:

    python benchmarks/bench_batch.py [--counts 50,100,150] [--jobs 2] [--indicators 60] [--months 24]

Makes synthetic raw workbooks (one per council: N indicators x M months, figures drawn
with a different seed for each), then times ``kpi-xl build "raw/*.xlsx" -o out/ --jobs J``
as a user runs it, for each count of workbooks, sampling the memory of the whole process
tree (the command and its workers) every 50 ms. The goal (issue 14): 150 workbooks of
60 x 24 in under 60 s on 2 cores; peak memory set by the number of workers, not of
workbooks; time linear in the number of workbooks. Quote these figures; do not put
timings in unit tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

UNITS = ("%", "count", "number", "days")


def make_raws(folder: Path, count: int, indicators: int, months: int) -> None:
    """``count`` raw workbooks, made once and kept in ``folder`` (made again if the shape differs)."""
    stamp = folder / f".made {count} {indicators}x{months}"
    if stamp.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        make_raw(folder / f"council {i + 1:03}.xlsx", indicators, months, seed=i)
    stamp.touch()


def make_raw(path: Path, indicators: int, months: int, seed: int) -> None:
    """A raw workbook in the input contract, like /work/shared/bench/make_big.py's."""
    from openpyxl import Workbook  # noqa: PLC0415

    rnd = random.Random(seed)
    book = Workbook()
    ind = book.active
    ind.title = "Indicators"
    ind.append(["ID", "Indicator", "Section", "Unit", "Polarity", "Target", "Tolerance", "Tolerance type",
                "RAG basis", "YTD", "Decimals"])
    data = book.create_sheet("Data")
    data.append(["ID", "Period", "Value", "Numerator", "Denominator"])
    for i in range(indicators):
        unit, pid = UNITS[i % 4], f"PI {i + 1}"
        ind.append([pid, f"Indicator number {i + 1} measuring something about children", f"Section {i // 12 + 1}",
                    unit, ["High", "Low", "None", "Target"][i % 4] if unit != "%" else ["High", "Low"][i % 2],
                    0.85 if unit == "%" else 100, 5, "points" if unit == "%" else "percent",
                    "Month" if i % 3 else "YTD", "Ratio" if unit == "%" else ["Sum", "Latest", "Mean"][i % 3],
                    0 if unit != "number" else 1])
        for k in range(months):
            year, month = divmod(2018 * 12 + 3 + k, 12)
            period = dt.datetime(year, month + 1, 1)
            if unit == "%":
                den = rnd.randint(20, 200)
                num = rnd.randint(int(den * 0.6), den)
                data.append([pid, period, num / den, num, den])
            else:
                data.append([pid, period, round(rnd.uniform(50, 150), 1 if unit == "number" else 0), None, None])
    book.save(path)


def tree_rss(root: int) -> int:
    """Resident memory (bytes) of ``root`` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * page
    tree, changed = {root}, True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    return sum(rss.get(pid, 0) for pid in tree)


def run(raw_glob: str, out: Path, jobs: int) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds of the command and its workers, peak memory of the process
    tree, peak of the largest single process)."""
    import resource  # noqa: PLC0415

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kpi_xl.cli", "build", raw_glob, "-o", str(out), "-q",
                             "--jobs", str(jobs)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"the batch failed (exit {proc.returncode}): {proc.stderr.read().decode()[:2000]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers are reaped by the command, so counted
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, peak, after.ru_maxrss * 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counts", default="50,100,150", help="numbers of workbooks to time (default 50,100,150)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--indicators", type=int, default=60)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--rerun", action="store_true", help="also time each batch again over its own output "
                    "(the monthly re-run: every scorecard replaced, its commentary carried)")
    ap.add_argument("--raw-folder", help="keep the made raw workbooks here, to time again without making them")
    args = ap.parse_args()
    counts = [int(n) for n in args.counts.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(args.raw_folder) if args.raw_folder else Path(tmp) / "raw"
        started = time.perf_counter()
        make_raws(raw, max(counts), args.indicators, args.months)
        print(f"made {max(counts)} raw workbooks of {args.indicators} indicators x {args.months} months "
              f"in {time.perf_counter() - started:.0f}s (or found them); {os.cpu_count()} cores, --jobs {args.jobs}")
        print("wall: elapsed seconds; CPU: seconds of processor time of the command and its workers; CPU / jobs:\n"
              "the wall time on that many otherwise idle cores (on a shared machine, wall time also counts\n"
              "the time other programs held the cores)")
        print(f"{'workbooks':>9} {'wall s':>8} {'CPU s':>8} {'CPU s/wb':>9} {'CPU/jobs s':>10} "
              f"{'peak MB (all)':>14} {'peak MB (one)':>14}")
        for count in counts:
            part = Path(tmp) / f"part{count}"
            part.mkdir()
            for path in sorted(raw.glob("*.xlsx"))[:count]:
                os.symlink(path, part / path.name)
            for again in range(1 + args.rerun):  # a re-run replaces the scorecards, carrying their commentary
                seconds, cpu, peak, largest = run(str(part / "*.xlsx"), Path(tmp) / f"out{count}", args.jobs)
                print(f"{count:9} {seconds:8.1f} {cpu:8.1f} {cpu / count:9.3f} {cpu / args.jobs:10.1f} "
                      f"{peak / 2**20:14.0f} {largest / 2**20:14.0f}{'  re-run' if again else ''}", flush=True)


if __name__ == "__main__":
    main()
