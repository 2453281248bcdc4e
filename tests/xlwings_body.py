"""Request bodies shaped as Excel's Office.js client sends them, built from an .xlsx.

xlwings Server's ribbon buttons POST the open workbook as JSON (xlwings-server
``static/js/custom-scripts/index.js``: ``getBookData``): every sheet's values from A1 to
the bottom-right of the used range, empty cells as ``""``, date-formatted numbers as ISO
strings ending ``Z``, defined names with their addresses. ``book_body(path)`` builds the
same from a file, so ``xw.Book(json=book_body(path))`` behaves as the workbook would in
Excel. Formulas arrive as their cached values: fixtures must hold values.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

EPOCH = dt.datetime(1899, 12, 30)


def iso_z(v) -> str:
    """What Office.js sends for a date-formatted number."""
    if isinstance(v, dt.time):
        v = dt.datetime.combine(EPOCH.date(), v)
    elif isinstance(v, dt.timedelta):
        v = EPOCH + v
    elif not isinstance(v, dt.datetime):
        v = dt.datetime.combine(v, dt.time())
    return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"


def cell_json(v):
    if v is None:
        return ""
    if isinstance(v, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return iso_z(v)
    return v if isinstance(v, (bool, int, float, str)) else str(v)


def sheet_json(name: str, rows: list[list], visibility: str = "Visible") -> dict:
    """One sheet's entry from its rows of Python values (row 1 first)."""
    filled = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v not in (None, "")]
    base = {"name": name, "visibility": visibility, "show_gridlines": True, "print_area": None,
            "notes": [], "notes_supported": True, "pictures": [], "shapes": [], "charts": [],
            "tables": [], "pivot_tables": []}
    if not filled:
        return {**base, "values": [[""]], "used_range_address": None,
                "used_range_row_count": 0, "used_range_column_count": 0}
    r0, r1 = min(r for r, _ in filled), max(r for r, _ in filled)
    c0, c1 = min(c for _, c in filled), max(c for _, c in filled)
    first, last = f"{get_column_letter(c0 + 1)}{r0 + 1}", f"{get_column_letter(c1 + 1)}{r1 + 1}"
    values = [[cell_json(rows[r][c] if c < len(rows[r]) else None) for c in range(c1 + 1)]
              for r in range(r1 + 1)]
    return {**base, "values": values, "used_range_address": first if first == last else f"{first}:{last}",
            "used_range_row_count": r1 - r0 + 1, "used_range_column_count": c1 - c0 + 1}


def book_json(name: str, sheets: dict[str, list[list]], names: list[dict] | None = None,
              active_sheet: int = 0) -> dict:
    """A whole body from ``{sheet name: rows}``."""
    import xlwings  # noqa: PLC0415  (the caller sets XLWINGS_LICENSE_KEY first)

    return {"client": "Office.js", "version": xlwings.__version__,
            "book": {"name": name, "active_sheet_index": active_sheet, "selection": "A1",
                     "calculation": "Automatic"},
            "names": names or [], "sheets": [sheet_json(n, rows) for n, rows in sheets.items()]}


def book_body(path: str | Path, active_sheet: int = 0) -> dict:
    """The body Excel would send for the workbook at ``path``."""
    path = Path(path)
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    body = book_json(path.name, sheets, active_sheet=active_sheet)
    for entry, ws in zip(body["sheets"], wb.worksheets):
        entry["visibility"] = {"visible": "Visible", "hidden": "Hidden"}.get(ws.sheet_state, "VeryHidden")
    for dn in wb.defined_names.values():  # book-scoped names only
        dests = list(dn.destinations)
        idx = addr = None
        if len(dests) == 1 and dests[0][0] in wb.sheetnames:
            idx, addr = wb.sheetnames.index(dests[0][0]), dests[0][1].replace("$", "")
        body["names"].append({"name": dn.name, "refers_to": "=" + dn.attr_text,
                              "type": "Range" if addr else "String", "sheet_index": idx, "address": addr,
                              "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})
    return body


def body_after(body: dict, actions: list[dict]) -> dict:
    """The body Excel would send next time, after applying the value-level ``actions``
    (addSheet, sheetDelete, setSheetName, setValues, setFormula with formulas kept as their text):
    enough to run a second button on what the first one drew."""
    import copy  # noqa: PLC0415

    body = copy.deepcopy(body)
    sheets = [{"name": s["name"], "rows": [list(r) for r in s["values"]]} for s in body["sheets"]]
    for act in actions:
        func = act["func"]
        if func == "addSheet":
            sheets.insert(act["args"][0], {"name": act["args"][1], "rows": [[""]]})
        elif func == "sheetDelete":
            del sheets[act["sheet_position"]]
        elif func == "setSheetName":
            sheets[act["sheet_position"]]["name"] = act["args"][0]
        elif func in ("setValues", "setFormula"):
            rows = sheets[act["sheet_position"]]["rows"]
            r0, c0 = act["start_row"], act["start_column"]
            for i, vals in enumerate(act["values"]):
                while len(rows) <= r0 + i:
                    rows.append([])
                row = rows[r0 + i]
                for j, v in enumerate(vals):
                    while len(row) <= c0 + j:
                        row.append("")
                    if isinstance(v, str) and v.startswith("'"):
                        v = v[1:]
                    row[c0 + j] = "" if v is None else v
    names = [n for n in body["names"]]
    for act in actions:
        if act["func"] == "namesAdd":
            names = [n for n in names if n["name"] != act["args"][0]]
            names.append({"name": act["args"][0], "refers_to": act["args"][1], "type": "String",
                          "sheet_index": None, "address": None, "scope_sheet_name": None,
                          "scope_sheet_index": None, "book_scope": True})
        elif act["func"] == "nameDelete":
            names = [n for n in names if n["name"] != act["args"][0]]
    rebuilt = book_json(body["book"]["name"], {s["name"]: s["rows"] for s in sheets}, names)
    return rebuilt


# -- a running ``kpi-xl serve`` on loopback, for the server tests ---------------------------------


def free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RunningServer:
    """``python -m kpi_xl.excel.server`` (what ``kpi-xl serve`` runs) on 127.0.0.1, a free port."""

    def __init__(self, *args: str, env: dict | None = None, timeout: float = 60):
        import os  # noqa: PLC0415
        import subprocess  # noqa: PLC0415
        import sys  # noqa: PLC0415
        import tempfile  # noqa: PLC0415
        import time  # noqa: PLC0415

        import httpx  # noqa: PLC0415

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "KPI_XL_"))}
        full_env.update({"XLWINGS_LICENSE_KEY": "noncommercial", "KPI_XL_LOG_LEVEL": "warning"})
        full_env.update(env or {})
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([sys.executable, "-m", "kpi_xl.excel.server", "--port", str(self.port), *args],
                                     env=full_env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kpi-xl serve exited ({self.proc.returncode}):\n{self.output()}")
            try:
                if httpx.get(self.url + "/manifest.xml", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"kpi-xl serve did not answer within {timeout}s:\n{self.output()}")
            time.sleep(0.2)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def post(self, path: str, body: dict, **headers):
        import httpx  # noqa: PLC0415

        return httpx.post(self.url + path, json=body, headers=headers, timeout=60)

    def get(self, path: str):
        import httpx  # noqa: PLC0415

        return httpx.get(self.url + path, timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except Exception:  # noqa: BLE001
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def function_call(func_name: str, *args, version: str = "") -> dict:
    """A custom-function request body as Excel sends it: each argument a 2-D matrix
    (``[[x]]`` for one cell), an omitted optional argument ``None``."""
    import xlwings  # noqa: PLC0415

    def matrix(a):
        if a is None:
            return None
        if isinstance(a, list):
            return [row if isinstance(row, list) else [row] for row in a]
        return [[a]]

    return {"client": "Office.js", "func_name": func_name, "args": [matrix(a) for a in args],
            "caller_address": "[raw.xlsx]Sheet1!E2", "session_id": "test", "culture_info_name": "en-GB",
            "date_format": "dd/mm/yyyy", "version": version or xlwings.__version__, "runtime": "1.4"}
