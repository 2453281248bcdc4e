"""The Excel RAG formula and the Python rule agree, as a real spreadsheet program computes it.

Hundreds of cases (every polarity, bands, both tolerance types, decimals, half-way and
exactly-on-the-edge values) are written as formulas, recalculated by LibreOffice, and
compared with ``rules.rag``.
"""
from __future__ import annotations

import csv
import itertools
import os
import random
import shutil

import pytest
import xlsxwriter

from kpi_xl.rate.formulas import rag_formula
from kpi_xl.model import Indicator, Polarity, ToleranceType, Unit
from kpi_xl.write.render import to_csv
from kpi_xl.rate.rules import rag

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice"))
                                and not os.environ.get("CI"), reason="LibreOffice is not installed")


def cases():
    rng = random.Random(7)
    edge = [(0.85, 0.95, 10), (0.85, 0.95, 5), (0.745, 0.75, 1), (0.20, 0.10, 10), (16.6, 16, 10), (77, 85, 5),
            (0.905, 0.95, 4.5), (523, 485, 5), (-19, -61, 5), (0.5, 0.5, 0)]
    for (value, target, tol), polarity, ttype in itertools.product(edge, list(Polarity)[:3], list(ToleranceType)):
        percent = abs(target) <= 1
        yield Indicator("X", "x", unit=Unit.PERCENT if percent else Unit.NUMBER, polarity=polarity, target=target,
                        tolerance=tol, tolerance_type=ttype, decimals=rng.choice([0, 1])), value
    for _ in range(200):
        percent = rng.random() < 0.5
        d = rng.randint(0, 2)
        scale = 1 if percent else 100
        target = round(rng.uniform(0, 1) * scale, 3)
        polarity = rng.choice([Polarity.HIGH, Polarity.LOW, Polarity.TARGET])
        upper = round(target + rng.uniform(0, 0.2) * scale, 3) if polarity is Polarity.TARGET and rng.random() < .6 \
            else None
        value = round(target + rng.uniform(-0.3, 0.3) * scale, rng.choice([2, 3, 4]))
        yield Indicator("X", "x", unit=Unit.PERCENT if percent else Unit.NUMBER, polarity=polarity, target=target,
                        target_upper=upper, tolerance=rng.choice([0, 2, 5, 10, 7.5]),
                        tolerance_type=rng.choice(list(ToleranceType)), decimals=d), value


def test_excel_formula_matches_python_rule(tmp_path):
    path = tmp_path / "formulas.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    expected = []
    for row, (ind, value) in enumerate(cases()):
        ws.write_number(row, 0, value)
        ws.write_number(row, 1, ind.target)
        upper = repr(ind.target_upper) if ind.target_upper is not None else None
        ws.write_formula(row, 2, rag_formula(f"A{row + 1}", f"B{row + 1}", ind, upper), None, "stale")
        expected.append(rag(value, ind.target, ind.polarity, ind.tolerance, ind.tolerance_type, ind.target_upper,
                            percent=ind.is_percent, decimals=ind.decimals).rating.value)
    book.close()
    with open(to_csv(path, tmp_path / "out"), encoding="utf-8") as handle:
        computed = [row[2] for row in csv.reader(handle)]
    mismatches = [(i, e, c) for i, (e, c) in enumerate(zip(expected, computed)) if e != c]
    assert len(computed) == len(expected) and not mismatches, mismatches[:10]
