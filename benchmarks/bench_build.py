"""How long kpi-xl takes, measured (not guessed). Run: python benchmarks/bench_build.py

Times whole commands as a user runs them (a fresh Python each time) and each phase of a
build in a separate process, all in one run so the ratios hold on a shared, noisy machine.
Quote these figures; do not put timings in unit tests.

    python benchmarks/bench_build.py                    # sizes 60, 1000, 3000 and the four odd shapes
    python benchmarks/bench_build.py --sizes 60 --no-shapes
    python benchmarks/bench_build.py --samples          # the sample workbooks, and import costs
    python benchmarks/bench_build.py --code /tmp/old    # the same, with another checkout's kpi_xl

Inputs are made by ``make_big.py N 24`` (N indicators, 24 months); the floor is
``floor.py N --charts C --sparklines S``: XlsxWriter alone writing a scorecard-sized
workbook with as many charts and sparklines as the build wrote (counted in its output: the
bundled templates draw two charts per indicator, a trend and an SPC chart). "replace" is the scheduled job's case: the output exists (last month's
scorecard), so its commentary is read and carried over before it is replaced.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
RUNS = 5
PHASES = ("read", "rate", "carry", "layout", "write", "verify")


def best(cmd: list[str]) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def samples() -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        rows = [("python -c pass (interpreter start)", [py, "-c", "pass"]),
                ("import pandas", [py, "-c", "import pandas"]),
                ("import xlwings", [py, "-c", "import xlwings"]),
                ("kpi-xl templates", [py, "-m", "kpi_xl.cli", "templates"])]
        for sample in ("kpi_scorecard_jan2020", "monthly_monitoring_feb2014"):
            raw = str(ROOT / "workbooks" / f"{sample}.xlsx")
            rows.append((f"kpi-xl validate {sample}", [py, "-m", "kpi_xl.cli", "validate", raw]))
            rows.append((f"kpi-xl evaluate {sample}", [py, "-m", "kpi_xl.cli", "evaluate", raw]))
            rows.append((f"kpi-xl build {sample}", [py, "-m", "kpi_xl.cli", "build", raw, "-q", "-o",
                                                    str(Path(tmp) / f"{sample}.xlsx")]))
        results = [(name, *best(cmd)) for name, cmd in rows]
    base = results[0][1]
    print(f"{'command':48} {'best s':>8} {'median s':>9} {'x start':>8}")
    for name, fastest, median in results:
        print(f"{name:48} {fastest:8.3f} {median:9.3f} {fastest / base:8.1f}")


# -- inputs ---------------------------------------------------------------------------

def make_input(folder: Path, name: str, n: int, shape: str = "plain") -> Path:
    """``make_big.py n 24``, then reshaped: ``merged`` (each ID merged down its Data rows),
    ``unknown`` (2,000 extra Data rows whose IDs are not on Indicators), ``sections`` (two
    indicators to a section), ``commentary`` (a Commentary sheet with a row per indicator
    and per section)."""
    path = folder / f"{name}.xlsx"
    if path.exists():
        return path
    making = folder / f"{name}.making.xlsx"  # renamed when complete: a stopped run leaves no half-made input
    subprocess.run([sys.executable, str(HERE / "make_big.py"), str(n), "24", str(making)], check=True)
    if shape != "plain":  # in a process of its own: a child forked from a large parent reports its peak memory
        subprocess.run([sys.executable, __file__, "--reshape", shape, str(n), str(making)], check=True)
    return making.replace(path)


def reshape(shape: str, n: int, making: Path) -> None:
    import datetime as dt

    import openpyxl

    book = openpyxl.load_workbook(making)
    data = book["Data"]
    if shape == "merged":
        ids = [row[0] for row in data.iter_rows(min_row=2, max_col=1, values_only=True)]
        start = 0
        for i in range(1, len(ids) + 1):
            if i == len(ids) or ids[i] != ids[start]:
                if i - 1 > start:
                    data.merge_cells(start_row=start + 2, start_column=1, end_row=i + 1, end_column=1)
                start = i
    elif shape == "unknown":
        for i in range(2000):
            data.append([f"ZZ {i + 1}", dt.datetime(2019, 4, 1), 10, None, None])
    elif shape == "sections":  # two indicators to a section
        sheet = book["Indicators"]
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, 3).value = f"Section {(row - 2) // 2 + 1}"
    elif shape == "commentary":
        sheet = book.create_sheet("Commentary")
        sheet.append(["Section", "ID", "Why", "What", "When"])
        for s in range(n // 12 + 1):
            sheet.append([f"Section {s + 1}", None, f"Section {s + 1} is on track overall.",
                          "Keep the weekly review.", "Next quarter"])
        for i in range(n):
            sheet.append([None, f"PI {i + 1}", f"Demand rose in month {i % 12 + 1}.",
                          "Extra staff from the bank.", "End of March"])
    book.save(making)


# -- whole commands -------------------------------------------------------------------

#: As a user's installed copy runs: from compiled bytecode (pip compiles it), not the source.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class TreeMemory:
    """The peak of the memory a command and every process it starts use together, sampled every
    20 ms: the sum of each one's proportional set size (a page two processes share counts half
    to each), so a second process forked by a build counts for what it adds, not again for
    what it shares. ``ru_maxrss`` gives only the largest single process. Linux only (None elsewhere)."""

    def __init__(self, pid: int):
        import threading

        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.watch = threading.Thread(target=self._sample, daemon=True)
        if Path(f"/proc/{pid}/smaps_rollup").exists():
            self.watch.start()

    def _tree(self) -> list[int]:
        todo, found = [self.pid], []
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    todo += [int(child) for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            except OSError:
                pass
        return found

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            return 0
        return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)

    def _sample(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, sum(self._pss_kib(pid) for pid in self._tree()))

    def stop(self) -> float | None:
        self.done.set()
        if not self.watch.is_alive():
            return None
        self.watch.join()
        return self.peak / 1024


def run(cmd: list[str], cwd: Path, ok=(0,)) -> tuple[float, float, float | None]:
    """Seconds, and peak memory in MiB: of the largest single process (``ru_maxrss``) and of all
    the command's processes together (``TreeMemory``), of one command in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreeMemory(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    together = memory.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return seconds, usage.ru_maxrss / 1024, together


def median_run(cmd: list[str], cwd: Path, runs: int, ok=(0,), before=None) -> tuple[float, float, float]:
    """Median seconds, and the highest peak memory of the runs (one process; all together)."""
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(run(cmd, cwd, ok))
    return summary(results)


def summary(results: list[tuple[float, float, float | None]]) -> tuple[float, float, float]:
    """``run``'s results as median seconds and the highest peak memory (one process; all together)."""
    together = [t for _, _, t in results if t is not None]
    return (statistics.median(s for s, _, _ in results), max(m for _, m, _ in results),
            max(together) if together else float("nan"))


def ratio(times: list[float], floors: list[float]) -> float:
    """The median of each round's time over the floor's in the same round: on a shared machine
    whose speed drifts from minute to minute, a round's commands run under the same load."""
    return statistics.median(t / f for t, f in zip(times, floors))


# -- phases (run in a fresh process with the code under test on sys.path) ---------------

PHASE_SCRIPT = r"""
import json, sys, time, warnings
from pathlib import Path
raw, out = sys.argv[1], Path(sys.argv[2])
t = {}
def lap(name, start):
    t[name] = time.perf_counter() - start
    return time.perf_counter()
from kpi_xl import api
from kpi_xl.read.reader import read_workbook
from kpi_xl.rate.evaluate import evaluate
from kpi_xl.run import carry
from kpi_xl.errors import InputError
from kpi_xl.layout.builder import build_layout
from kpi_xl.layout.templates import load_workbook_template
from kpi_xl.write.xlsx_writer import write_xlsx
from kpi_xl.run import safety
start = time.perf_counter()
try:
    rawbook = read_workbook(raw)
except InputError as exc:
    lap("read", start)
    print(json.dumps(t)); sys.exit(0)
start = lap("read", start)
evaluation = evaluate(rawbook)
start = lap("rate", start)
carried = carry.carry_over(evaluation, carry.read_previous(out)) if out.exists() else carry.Carried()
start = lap("carry", start)
tpl = load_workbook_template(rawbook.settings.template, rawbook.settings.template_where, Path(raw).parent,
                             rawbook.source)
layout = build_layout(evaluation, tpl, {}, carried.notes, carried.orphans)
start = lap("layout", start)
tmp = out.with_name("phase-" + out.name)
write_xlsx(layout, tmp, api.document_date(evaluation))
start = lap("write", start)
verify = getattr(safety, "verify_xlsx")
verify(tmp)
import inspect
if "load_workbook" in inspect.getsource(api.save_layout):  # the old code re-opened it with openpyxl as well
    import openpyxl
    with tmp.open("rb") as handle:
        openpyxl.load_workbook(handle, read_only=True).close()
lap("verify", start)
tmp.unlink()
print(json.dumps(t))
"""


def phases(code: Path, raw: Path, out: Path) -> dict[str, float]:
    env = {**ENV, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-c", PHASE_SCRIPT, str(raw), str(out)], env=env, cwd=code,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def drawn(scorecard: Path) -> tuple[int, int]:
    """How many charts and sparklines a built scorecard has (the floor is given as many)."""
    import zipfile

    with zipfile.ZipFile(scorecard) as book:
        names = book.namelist()
        charts = sum(name.startswith("xl/charts/chart") for name in names)
        sparklines = sum(book.read(name).count(b"<x14:sparkline>") for name in names
                         if name.startswith("xl/worksheets/sheet"))
    return charts, sparklines


# -- the table ------------------------------------------------------------------------

def sizes_table(code: Path, folder: Path, sizes: list[int], shapes: bool | set[str], runs: int) -> None:
    py = sys.executable
    cli = [py, "-m", "kpi_xl.cli"]
    cases = [(f"{n}", n, "plain") for n in sizes]
    if shapes:
        cases += [case for case in [("merged IDs 2000", 2000, "merged"), ("unknown IDs 2000", 1000, "unknown"),
                  ("sections 1000 of 2000", 2000, "sections"),
                  ("commentary 3000", 3000, "commentary")] if shapes is True or case[2] in shapes]
    subprocess.run([py, "-m", "compileall", "-q", str(code / "kpi_xl")], check=True, env=ENV)
    print(f"code: {code}\n")
    print("| input | floor s | build new s | ratio to the floor | build replace s | ratio | peak MiB new / replace "
          "/ floor, largest process | the same, all processes | validate s | evaluate s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    per_phase, floors = [], []
    for name, n, shape in cases:
        raw = make_input(folder, f"big-{shape}-{n}", n, shape)
        out = folder / f"scorecard-{shape}-{n}.xlsx"
        many = runs if n <= 100 else 1
        fails = shape in ("unknown", "merged")  # input errors: build and validate stop with exit 1
        ok = (0, 1) if fails else (0,)

        build = cli + ["build", str(raw), "-q", "-o", str(out)]
        new, floor, replace, charts, sparklines = [], [], [], n, n
        for _ in range(many):  # round by round: a new scorecard, the floor, then replacing the scorecard
            out.unlink(missing_ok=True)
            new.append(run(build, code, ok))
            if out.exists() and not floor:
                charts, sparklines = drawn(out)  # the floor draws as many as the build
            floor.append(run([py, str(HERE / "floor.py"), str(n), str(folder / "floor.xlsx"),
                              "--charts", str(charts), "--sparklines", str(sparklines)], code))
            if not fails:
                replace.append(run(build, code, ok))
        floors.append(f"{name}: {charts} charts, {sparklines} sparklines")
        (new_s, new_m, new_t), (floor_s, floor_m, floor_t) = summary(new), summary(floor)
        rep_s, rep_m, rep_t = summary(replace) if replace else (float("nan"),) * 3
        floor_each = [s for s, _, _ in floor]
        new_x = ratio([s for s, _, _ in new], floor_each)
        rep_x = ratio([s for s, _, _ in replace], floor_each) if replace else float("nan")
        val_s = median_run(cli + ["validate", str(raw)], code, many, ok)[0]
        eva_s = median_run(cli + ["evaluate", str(raw)], code, many, ok)[0]
        print(f"| {name} | {floor_s:.2f} | {new_s:.2f} | {new_x:.2f} | {rep_s:.2f} | "
              f"{rep_x:.2f} | {new_m:.0f} / {rep_m:.0f} / {floor_m:.0f} | "
              f"{new_t:.0f} / {rep_t:.0f} / {floor_t:.0f} | {val_s:.2f} | {eva_s:.2f} |", flush=True)
        out_exists = out.exists()
        times = phases(code, raw, out) if out_exists or fails else {}
        per_phase.append((name, n, times))
    print("\nthe floor drew as many charts and sparklines as each build: " + "; ".join(floors))
    print("\nmilliseconds per indicator, by phase (replacing the scorecard; each phase in turn, in one process:"
          "\nthe whole build does some of them in a second process meanwhile, see kpi_xl/alongside.py):\n")
    print("| input | " + " | ".join(PHASES) + " |")
    print("|" + " --- |" * (len(PHASES) + 1))
    for name, n, times in per_phase:
        cells = [f"{1000 * times[p] / n:.2f}" if p in times else "-" for p in PHASES]
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", action="store_true", help="time the sample workbooks and imports instead")
    parser.add_argument("--sizes", default="60,1000,3000")
    parser.add_argument("--no-shapes", action="store_true", help="leave out the four odd shapes")
    parser.add_argument("--shapes", help="only these odd shapes: merged,unknown,sections,commentary")
    parser.add_argument("--runs", type=int, default=3, help="rounds at 60 indicators, each a new build, the floor "
                        "and a replacing build in turn (medians)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose kpi_xl is timed")
    parser.add_argument("--inputs", type=Path, help="a folder to keep the generated inputs in")
    parser.add_argument("--reshape", nargs=3, help=argparse.SUPPRESS)  # SHAPE N FILE: see make_input
    args = parser.parse_args()
    if args.reshape:
        reshape(args.reshape[0], int(args.reshape[1]), Path(args.reshape[2]))
        return
    if args.samples:
        samples()
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    shapes = set(args.shapes.split(",")) if args.shapes else not args.no_shapes
    if args.inputs:
        args.inputs.mkdir(parents=True, exist_ok=True)
        sizes_table(args.code.resolve(), args.inputs, sizes, shapes, args.runs)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            sizes_table(args.code.resolve(), Path(tmp), sizes, shapes, args.runs)


if __name__ == "__main__":
    main()
