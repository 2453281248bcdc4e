"""Regenerate the README's pictures: page 1 of each template's scorecard, as LibreOffice prints it.

    python docs/make_images.py
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from kpi_xl.run.export import export_directors_copy

ROOT = Path(__file__).resolve().parent.parent
PICTURES = {"kpi-scorecard": "kpi_scorecard_jan2020", "monthly-monitoring": "monthly_monitoring_feb2014"}

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        for template, sample in PICTURES.items():
            result = export_directors_copy(ROOT / "workbooks" / f"{sample}.xlsx", Path(tmp) / f"{template}.xlsx",
                                           template=template, pdf=True)
            for page, suffix in ((1, "page1"), (2, "page2")):
                target = ROOT / "docs" / "images" / f"{template}-{suffix}"
                subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
                                str(result.pdf), str(target)], check=True)
                print(f"{target}.png")
