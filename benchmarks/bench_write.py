"""CPU time of the write phase (``write_xlsx``), this checkout against another, interleaved.

    python benchmarks/bench_write.py --code /tmp/old              # 1,000 indicators, 5 rounds
    python benchmarks/bench_write.py --code /tmp/old --sizes 60,1000 --rounds 7

Each round writes the same scorecard once with each checkout's kpi_xl, one after the other,
each in a fresh process that reads, rates and lays out first (not timed) and then times only
``write_xlsx`` in CPU seconds (``time.process_time``): on a shared machine wall time would
measure the neighbours. Both files must be byte for byte the same, or the figures are not
comparable and the script says so. Quote the medians and the ratio; no timings in unit tests.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

WRITE_SCRIPT = r"""
import hashlib, json, sys, time
from pathlib import Path
from kpi_xl import api
from kpi_xl.rate.evaluate import evaluate
from kpi_xl.read.reader import read_workbook
from kpi_xl.layout.builder import build_layout
from kpi_xl.layout.templates import load_workbook_template
from kpi_xl.write.xlsx_writer import write_xlsx
raw, out = sys.argv[1], Path(sys.argv[2])
book = read_workbook(raw)
evaluation = evaluate(book)
tpl = load_workbook_template(book.settings.template, book.settings.template_where, Path(raw).parent, book.source)
layout = build_layout(evaluation, tpl, {}, {}, [])
start = time.process_time()
write_xlsx(layout, out, api.document_date(evaluation))
cpu = time.process_time() - start
print(json.dumps({"cpu": cpu, "sha": hashlib.sha256(out.read_bytes()).hexdigest()}))
"""


def write_once(code: Path, raw: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", WRITE_SCRIPT, str(raw), str(out)], cwd=code, check=True,
                          env={**ENV, "PYTHONPATH": str(code)}, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, required=True, help="the other checkout (e.g. a git worktree)")
    parser.add_argument("--sizes", default="1000", help="indicator counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    codes = {"this": ROOT, "other": args.code.resolve()}
    print(f"this: {ROOT}\nother: {codes['other']}\n")
    print("| indicators | other ms/indicator | this ms/indicator | this / other | same bytes |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in [int(size) for size in args.sizes.split(",")]:
            raw = folder / f"big{n}.xlsx"
            subprocess.run([sys.executable, str(HERE / "make_big.py"), str(n), "24", str(raw)], check=True,
                           env=ENV, capture_output=True)
            cpu: dict[str, list[float]] = {"this": [], "other": []}
            hashes = set()
            for _ in range(args.rounds):
                for name, code in codes.items():
                    result = write_once(code, raw, folder / f"{name}.xlsx")
                    cpu[name].append(result["cpu"])
                    hashes.add(result["sha"])
            other, this = (statistics.median(cpu[name]) * 1000 / n for name in ("other", "this"))
            print(f"| {n} | {other:.2f} | {this:.2f} | {this / other:.2f} | {'yes' if len(hashes) == 1 else 'NO'} |",
                  flush=True)


if __name__ == "__main__":
    main()
