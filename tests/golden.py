"""Golden scorecards, in the XlsxWriter style: describe a written workbook part by part
(cells, number formats, fonts, fills, conditional formats, charts, sparklines, print
setup, names), compare with the description kept in tests/golden/, keep the actual file
on failure. Regenerate deliberately with KPI_XL_UPDATE_GOLDEN=1.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl

from kpi_xl.read.as_written import as_written

GOLDEN_DIR = Path(__file__).parent / "golden"
OUTPUT_DIR = Path(__file__).parent / "output"
NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "x14": "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main",
      "xm": "http://schemas.microsoft.com/office/excel/2006/main",
      "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def as_xlsxwriter_writes_it(path: Path) -> bytes:
    """A file ``StreamingWorkbook`` wrote, without the comment it adds (after checking that the
    comment lists the parts as written, ``read.as_written``): XlsxWriter's own bytes."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as book:
        assert as_written(book)
        comment = book.comment
    assert data.endswith(struct.pack("<H", len(comment)) + comment)  # the zip's last record ends with it
    return data[:-len(comment) - 2] + struct.pack("<H", 0)


def _colour(c) -> str | None:
    if c is None or c.type != "rgb" or not isinstance(c.rgb, str):
        return None
    return c.rgb[-6:].upper()


def describe_xlsx(path: Path) -> dict:
    """A plain, JSON-able description of everything a reader of the workbook sees."""
    book = openpyxl.load_workbook(path)  # formulas, not cached values
    cached = openpyxl.load_workbook(path, data_only=True)
    out: dict = {"sheets": {}, "names": {}, "properties": {}}
    for ws in book.worksheets:
        cws = cached[ws.title]
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not (cell.fill and cell.fill.fgColor and _colour(cell.fill.fgColor)
                                               and cell.fill.fill_type):
                    continue
                entry: dict = {"v": cell.value if not hasattr(cell.value, "isoformat") else cell.value.isoformat()}
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    entry["cached"] = cws[cell.coordinate].value
                if cell.number_format != "General":
                    entry["fmt"] = cell.number_format
                f = cell.font
                if f.b:
                    entry["b"] = True
                if f.i:
                    entry["i"] = True
                if _colour(f.color) not in (None, "000000"):
                    entry["fc"] = _colour(f.color)
                if cell.fill.fill_type == "solid" and _colour(cell.fill.fgColor):
                    entry["fill"] = _colour(cell.fill.fgColor)
                if cell.hyperlink is not None:
                    entry["link"] = cell.hyperlink.location or cell.hyperlink.target
                cells[cell.coordinate] = entry
        cfs = []
        for rng, rules in ws.conditional_formatting._cf_rules.items():
            for rule in rules:
                fill = rule.dxf.fill.bgColor if rule.dxf and rule.dxf.fill else None
                cfs.append({"range": str(rng.sqref), "type": rule.type, "formula": list(rule.formula or []),
                            "fill": _colour(fill) if fill is not None else None})
        ps = ws.page_setup
        out["sheets"][ws.title] = {
            "cells": cells,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "conditional_formats": sorted(cfs, key=lambda c: (c["range"], c["formula"])),
            "freeze": ws.freeze_panes,
            "print": {"fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                      "orientation": ps.orientation, "paper": ps.paperSize, "fit_width": ps.fitToWidth,
                      "fit_height": ps.fitToHeight, "title_rows": ws.print_title_rows,
                      "header": ws.oddHeader.center.text or ws.oddHeader.left.text,
                      "footer": ws.oddFooter.center.text, "print_area": ws.print_area,
                      "row_breaks": [b.id for b in ws.row_breaks.brk]},
            "widths": {k: round(v.width, 1) for k, v in sorted(ws.column_dimensions.items()) if v.width},
        }
    for name, dn in book.defined_names.items():
        out["names"][name] = dn.attr_text
    props = book.properties
    out["properties"] = {"title": props.title, "subject": props.subject, "creator": props.creator,
                         "created": props.created.isoformat() if props.created else None}
    out["charts"], out["sparklines"] = _charts_and_sparklines(path, book)
    return out


def _charts_and_sparklines(path: Path, book) -> tuple[list, dict]:
    from xml.etree import ElementTree as ET

    charts, sparks = [], {}
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        for name in sorted((n for n in names if re.match(r"xl/charts/chart\d+\.xml$", n)),
                           key=lambda n: int(re.findall(r"\d+", n)[-1])):
            root = ET.fromstring(zf.read(name))
            title = "".join(t.text or "" for t in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t"))
            series = []
            for ser in root.iter(f"{{{NS['c']}}}ser"):
                refs = [f.text for f in ser.iter(f"{{{NS['c']}}}f")]
                dash = ser.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}prstDash")
                series.append({"refs": refs, "dash": dash.get("val") if dash is not None else None})
            charts.append({"title": title, "series": series})
        for i, ws in enumerate(book.worksheets, 1):
            part = f"xl/worksheets/sheet{i}.xml"
            if part not in names:
                continue
            root = ET.fromstring(zf.read(part))
            found = [(s.find("xm:f", NS).text, s.find("xm:sqref", NS).text)
                     for s in root.iter(f"{{{NS['x14']}}}sparkline")]
            if found:
                sparks[ws.title] = found
    return charts, sparks


def differences(expected, actual, path="") -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                out.append(f"{path}/{key}: missing (expected {expected[key]!r})")
            elif key not in expected:
                out.append(f"{path}/{key}: unexpected {actual[key]!r}")
            else:
                out += differences(expected[key], actual[key], f"{path}/{key}")
        return out
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]")]
    if isinstance(expected, float) and isinstance(actual, (int, float)) and abs(expected - actual) < 1e-9:
        return []
    return [] if expected == actual else [f"{path}: expected {expected!r}, got {actual!r}"]


def check_golden(actual_xlsx: Path, name: str) -> None:
    """Compare ``actual_xlsx`` with tests/golden/<name>.json; keep the file on failure."""
    actual = json.loads(json.dumps(describe_xlsx(actual_xlsx), default=str))
    golden = GOLDEN_DIR / f"{name}.json"
    if os.environ.get("KPI_XL_UPDATE_GOLDEN") or not golden.exists():
        if not os.environ.get("KPI_XL_UPDATE_GOLDEN") and os.environ.get("CI"):
            raise AssertionError(f"{golden} is missing; generate it with KPI_XL_UPDATE_GOLDEN=1 and review it")
        GOLDEN_DIR.mkdir(exist_ok=True)
        golden.write_text(json.dumps(actual, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    expected = json.loads(golden.read_text(encoding="utf-8"))
    diffs = differences(expected, actual)
    if diffs:
        OUTPUT_DIR.mkdir(exist_ok=True)
        kept = OUTPUT_DIR / f"{name}.xlsx"
        shutil.copyfile(actual_xlsx, kept)
        (OUTPUT_DIR / f"{name}.json").write_text(json.dumps(actual, indent=1, sort_keys=True, ensure_ascii=False),
                                                  encoding="utf-8")
        shown = "\n  ".join(diffs[:25])
        raise AssertionError(f"{len(diffs)} difference(s) from {golden.name}; actual workbook kept at {kept}:\n  "
                             f"{shown}")
