"""How ``kpi-xl serve`` holds up under concurrent clicks, measured on loopback.

    python benchmarks/bench_server.py [--builds 50] [--workers 1]

Starts ``kpi-xl serve`` on 127.0.0.1 (a free port) with ``KPI_XL_OUTPUT_DIR`` set to a
temporary folder, sends N *Build scorecard* requests for the sample workbook at once,
and while they run times the manifest (what Excel fetches to show the ribbon). Prints
the builds' times and outcomes and the manifest's latency. Bounded: N requests, each with
a timeout; the server is stopped at the end.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import httpx  # noqa: E402
from xlwings_body import RunningServer, book_body  # noqa: E402

SAMPLE = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"
TIMEOUT = 300


def alert_text(response) -> str:
    try:
        actions = response.json()["actions"]
    except Exception:  # noqa: BLE001
        return ""
    return " ".join(str(a["args"][0]) for a in actions if a["func"] == "alert")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--builds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    opts = parser.parse_args()
    body = book_body(SAMPLE)
    with tempfile.TemporaryDirectory() as out:
        srv = RunningServer("--workers", str(opts.workers), env={"KPI_XL_OUTPUT_DIR": out})
        try:
            url = srv.url + "/xlwings/custom-scripts-call/build_scorecard"
            with httpx.Client(timeout=TIMEOUT) as client:
                start = time.perf_counter()
                client.post(url, json=body)  # one build alone, warm
                alone = time.perf_counter() - start

            def build(_):
                t0 = time.perf_counter()
                with httpx.Client(timeout=TIMEOUT) as c:
                    r = c.post(url, json=body)
                return r.status_code, alert_text(r), time.perf_counter() - t0

            manifest = []
            with ThreadPoolExecutor(opts.builds) as pool:
                started = time.perf_counter()
                futures = [pool.submit(build, i) for i in range(opts.builds)]
                time.sleep(0.5)
                with httpx.Client(timeout=TIMEOUT) as client:
                    while not all(f.done() for f in futures) and len(manifest) < 200:
                        t0 = time.perf_counter()
                        client.get(srv.url + "/manifest.xml")
                        manifest.append(time.perf_counter() - t0)
                        time.sleep(0.2)
                results = [f.result() for f in futures]
                total = time.perf_counter() - started
        finally:
            srv.stop()
    ok = [r for r in results if r[0] == 200 and "File copy saved" in r[1]]
    print(f"workers={opts.workers} builds={opts.builds}: one build alone {alone:.2f}s; all {total:.1f}s")
    print(f"  saved with a file copy: {len(ok)}/{len(results)}; statuses "
          f"{sorted({r[0] for r in results})}; build time median {statistics.median(r[2] for r in results):.1f}s "
          f"max {max(r[2] for r in results):.1f}s")
    for status, text, _ in results:
        if not (status == 200 and "File copy saved" in text):
            print(f"  failed: {status} {text[:200]}")
            break
    if manifest:
        print(f"  manifest while building: {len(manifest)} requests, median {statistics.median(manifest):.3f}s "
              f"max {max(manifest):.3f}s")


if __name__ == "__main__":
    main()
