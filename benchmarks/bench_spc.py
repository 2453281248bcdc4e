"""What statistical process control adds to ``kpi-xl evaluate``, measured (issue 12: under 10%
for 3,000 indicators x 60 months). Run: python benchmarks/bench_spc.py

Writes a raw workbook of 3,000 indicators with 60 months of figures each (the wide Data
shape), then times, in one process, best of N, so the figures hold on a shared machine:

* reading the workbook (the larger part of ``kpi-xl evaluate``);
* rating every indicator and making the rows ``kpi-xl evaluate`` prints, with SPC and with
  SPC switched off (``indicator_spc`` replaced by a function returning None), the two
  interleaved run by run so that a busy moment on the machine hits both alike.

What SPC adds to ``evaluate`` is the difference of the two ratings over the whole without
SPC (reading + rating).

Quote these figures; do not put timings in unit tests.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpi_xl.periods import Month  # noqa: E402
from kpi_xl.rate import evaluate as evaluate_module  # noqa: E402
from kpi_xl.rate.evaluate import evaluate, result_row  # noqa: E402
from kpi_xl.read.reader import read_workbook  # noqa: E402

INDICATORS, MONTHS, RUNS = 3000, 60, 5
FIRST = Month(2019, 4)


def write_raw(path: Path) -> None:
    rng = random.Random(12)
    book = xlsxwriter.Workbook(str(path))
    ind = book.add_worksheet("Indicators")
    ind.write_row(0, 0, ["ID", "Indicator", "Section", "Unit", "Polarity", "Target"])
    data = book.add_worksheet("Data")
    data.write_row(0, 0, ["ID"] + [(FIRST + i).label for i in range(MONTHS)])
    for n in range(INDICATORS):
        percent = n % 2 == 0
        ind.write_row(n + 1, 0, [f"K {n}", f"Indicator {n}", f"Section {n % 12}", "%" if percent else "count",
                                 ("High", "Low", "None")[n % 3], 0.8 if percent else 100])
        level, step = (0.75, 0.05) if percent else (100, 15)
        values = [round(min(1.0, max(0.0, rng.gauss(level, step))), 3) if percent else round(rng.gauss(level, step))
                  for _ in range(MONTHS)]
        if n % 7 == 0:  # a step change part way: special causes to find
            values[40:] = [v + (0.1 if percent else 30) for v in values[40:]]
        data.write_row(n + 1, 0, [f"K {n}"] + values)
    book.close()


def best(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "raw.xlsx"
        write_raw(path)
        today = (FIRST + MONTHS).to_date()
        reading = best(lambda: read_workbook(path, today))
        raw = read_workbook(path, today)
        real, off = evaluate_module.indicator_spc, (lambda *args, **kwargs: None)
        with_spc, without = [], []
        for _ in range(RUNS):  # interleaved
            for spc_function, times in ((real, with_spc), (off, without)):
                evaluate_module.indicator_spc = spc_function
                try:
                    start = time.perf_counter()
                    rows = [result_row(r) for r in evaluate(raw).results]
                    times.append(time.perf_counter() - start)
                finally:
                    evaluate_module.indicator_spc = real
        judged = sum(1 for r in evaluate(raw).results if r.spc.variation is not None)
    rate_on, rate_off = min(with_spc), min(without)
    whole = reading + rate_off
    print(f"{INDICATORS:,} indicators x {MONTHS} months ({judged:,} with SPC limits, {len(rows):,} rows), "
          f"best of {RUNS}")
    print(f"read the workbook                   {reading:7.2f} s")
    print(f"rate and make the rows, no SPC      {rate_off:7.2f} s")
    print(f"rate and make the rows, with SPC    {rate_on:7.2f} s   (SPC: {rate_on - rate_off:.2f} s)")
    print(f"SPC adds to evaluate (read + rate)  {100 * (rate_on - rate_off) / whole:7.1f} %")
    print(f"SPC adds to the rating step alone   {100 * (rate_on - rate_off) / rate_off:7.1f} %")


if __name__ == "__main__":
    main()
