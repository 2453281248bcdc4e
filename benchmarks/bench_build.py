"""How long kpi-xl takes, measured (not guessed). Run: python benchmarks/bench_build.py

Times whole commands as a user runs them (a fresh Python each time), best of N, and the
import cost of the heavy libraries for comparison, all in one run so the ratios hold on a
shared, noisy machine. Quote these figures; do not put timings in unit tests.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def best(cmd: list[str]) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
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


if __name__ == "__main__":
    main()
