"""What the ribbon draws, format by format, and what a failure halfway leaves.

The xlwings actions of a *Build scorecard* are played onto a model of the workbook's
cells (fonts, fills, number formats, alignment, wrap, merges and border lines, where a
line between two cells is one line whichever of them it was set on, and lines inside a
merged range are not shown), and every cell is checked against the layout the
scorecard file is written from; a format copy (``copyFromRange``, from the same sheet or
another) copies every format of its source cells and the lines on their edges. The border
strokes are checked the same way on random boxes. And desktop Excel refusing the n-th call
must leave the last good scorecard.
"""
from __future__ import annotations

import copy
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import pytest  # noqa: E402
import xlwings as xw  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from test_scripts import SAMPLE_NAMES, Drawn, file_layout, run  # noqa: E402

from kpi_xl.read.reader import INPUT_SHEETS  # noqa: E402
from xlwings_body import body_after, book_body  # noqa: E402

from kpi_xl.excel import scripts  # noqa: E402
from kpi_xl.write.xlwings_borders import border_strokes, drawn_segments  # noqa: E402
from kpi_xl.write.xlwings_cells import merge_blocks  # noqa: E402
from kpi_xl.write.xlwings_charts import CHART_ACTION  # noqa: E402
from kpi_xl.write.xlwings_painter import FORMATS_CALLBACK  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BORDER = ("continuous", "#A6A6A6")


def unbatched(actions: list[dict]) -> list[dict]:
    """The actions with each sheet's batch of formats (runMacro "kpiFormats", which
    kpi_xl's add-in applies one by one: static/js/kpi-formats.js) in its place."""
    out = []
    for act in actions:
        if act["func"] == "runMacro" and act["args"][0] == FORMATS_CALLBACK:
            out.extend({"values": None, **inner} for inner in act["args"][1])
        else:
            out.append(act)
    return out


class Painted:
    """Per sheet (by its final name): each cell's formats and the border lines drawn."""

    def __init__(self, body: dict, actions: list[dict]):
        names = [s["name"] for s in body["sheets"]]
        self.cells: dict[str, dict] = defaultdict(lambda: defaultdict(dict))
        self.lines: dict[str, dict] = defaultdict(dict)  # ("h", y, c) / ("v", r, x) -> {attr: value}
        self.merges: dict[str, list] = defaultdict(list)
        keys: list[object] = [object() for _ in names]  # one key per sheet, kept through renames
        for act in unbatched(actions):
            func, pos = act["func"], act["sheet_position"]
            if func == "addSheet":
                names.insert(act["args"][0], act["args"][1])
                keys.insert(act["args"][0], object())
                continue
            if func == "sheetDelete":
                del names[pos], keys[pos]
                continue
            if func == "setSheetName":
                names[pos] = act["args"][0]
                continue
            if act.get("start_row") is None:
                continue
            r0, c0 = act["start_row"], act["start_column"]
            r1, c1 = r0 + act["row_count"] - 1, c0 + act["column_count"] - 1
            key = keys[pos]
            spots = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
            prop = {"setFontProperty": lambda a: ("font." + a["args"][0], a["args"][1]),
                    "setRangeColor": lambda a: ("fill", a["args"][0]),
                    "setNumberFormat": lambda a: ("num_format", a["args"][0]),
                    "setHorizontalAlignment": lambda a: ("align", a["args"][0]),
                    "setVerticalAlignment": lambda a: ("valign", a["args"][0]),
                    "setWrapText": lambda a: ("wrap", a["args"][0]),
                    "rangeAdjustIndent": lambda a: ("indent", a["args"][0])}.get(func)
            if prop:
                name, value = prop(act)
                if (name, value) in (("align", "General"), ("num_format", "General")):
                    value = None  # Excel's own value where none is set: as if never set
                for spot in spots:
                    self.cells[key][spot][name] = value
            elif func == "copyFromRange":  # every format of the source cells, their lines included
                assert act["args"][2] == "Formats"
                from openpyxl.utils.cell import range_boundaries

                src = keys[act["args"][0]]  # this sheet, or one drawn before it
                sc0, sr0, _, _ = range_boundaries(act["args"][1].replace("$", ""))
                dr, dc = r0 - (sr0 - 1), c0 - (sc0 - 1)
                source = {spot: dict(self.cells[src].get((spot[0] - dr, spot[1] - dc), {})) for spot in spots}
                lines = {seg: dict(attrs) for seg, attrs in self.lines[src].items()}
                for spot, props in source.items():
                    self.cells[key][spot] = props
                for r, c in spots:
                    for seg in (("h", r, c), ("h", r + 1, c), ("v", r, c), ("v", r, c + 1)):
                        was = lines.get((seg[0], seg[1] - dr, seg[2] - dc))
                        if was is None:
                            self.lines[key].pop(seg, None)
                        else:
                            self.lines[key][seg] = dict(was)
            elif func == "rangeMerge":  # Merge Across (args [True]) merges each row on its own
                across = act["args"][0] if isinstance(act["args"], list) else act["args"]
                self.merges[key].extend([(r, c0, r, c1) for r in range(r0, r1 + 1)] if across else [(r0, c0, r1, c1)])
            elif func == "setBorderProperty":
                side, attr, value = act["args"]
                h, v = drawn_segments([((r0, c0, r1, c1), (side,))])
                for seg in [("h", *s) for s in h] + [("v", *s) for s in v]:
                    self.lines[key].setdefault(seg, {})[attr] = value
        self.by_name = dict(zip(names, keys))

    def sheet(self, name: str):
        key = self.by_name[name]
        return self.cells[key], self.lines[key], self.merges[key]


def outline(r0, c0, r1, c1):
    return ({("h", r0, c) for c in range(c0, c1 + 1)} | {("h", r1 + 1, c) for c in range(c0, c1 + 1)}
            | {("v", r, c0) for r in range(r0, r1 + 1)} | {("v", r, c1 + 1) for r in range(r0, r1 + 1)})


def hidden_inside(r0, c0, r1, c1):
    return ({("h", y, c) for y in range(r0 + 1, r1 + 1) for c in range(c0, c1 + 1)}
            | {("v", r, x) for r in range(r0, r1 + 1) for x in range(c0 + 1, c1 + 1)})


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_cell_is_drawn_with_its_formats_and_lines(name):
    path = ROOT / "workbooks" / name
    body = book_body(path)
    painted = Painted(body, run(scripts.build_scorecard, body))
    layout = file_layout(path)
    checked = 0
    for spec in layout.sheets:
        cells, lines, merges = painted.sheet(spec.name)
        wanted_merges = sorted((c.row, c.col, *c.merge_to) for c in spec.cells if c.merge_to)
        assert sorted(merges) == wanted_merges, spec.name
        wanted, hidden = set(), set()
        for rect in wanted_merges:
            hidden |= hidden_inside(*rect)
        for cell in spec.cells:
            rect = (cell.row, cell.col, *(cell.merge_to or (cell.row, cell.col)))
            style, got = cell.style, cells[(cell.row, cell.col)]
            if style.border:
                wanted |= outline(*rect)
            if style.fill:
                for r in range(rect[0], rect[2] + 1):
                    for c in range(rect[1], rect[3] + 1):
                        assert cells[(r, c)].get("fill") == style.fill, (spec.name, r, c)
            if cell.value in (None, "") and cell.formula is None and cell.link is None:
                continue  # fonts and number formats do not show on an empty cell
            where = (spec.name, cell.row, cell.col)
            assert got.get("font.name") == layout.font, where
            assert got.get("font.size") == (style.size or layout.font_size), where
            assert bool(got.get("font.bold")) == style.bold and bool(got.get("font.italic")) == style.italic, where
            assert got.get("font.color") == style.colour, where
            assert got.get("num_format") == style.num_format, where
            assert (got.get("align") or "").lower() == {"centre": "center"}.get(style.align, style.align or ""), where
            assert bool(got.get("wrap")) == style.wrap, where
            checked += 1
        shown = {seg for seg, attrs in lines.items() if seg not in hidden}
        assert shown == wanted - hidden, spec.name
        assert all((lines[seg].get("line_style"), str(lines[seg].get("color")).upper()) == BORDER
                   for seg in wanted - hidden)
    assert checked > 300


FORMAT_ACTIONS = {"setFontProperty", "setRangeColor", "setNumberFormat", "setHorizontalAlignment",
                  "setVerticalAlignment", "setWrapText", "rangeAdjustIndent", "setBorderProperty", "rangeMerge",
                  "setRowHeight", "setColumnWidth", "copyFromRange"}


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_each_sheets_formats_go_as_one_action(name):
    """On xlwings Server a sheet's formats are one runMacro("kpiFormats") action, applied
    by the add-in's static/js/kpi-formats.js, which knows exactly the actions inside."""
    path = ROOT / "workbooks" / name
    actions = run(scripts.build_scorecard, book_body(path))
    batches = [a for a in actions if a["func"] == "runMacro" and a["args"][0] == FORMATS_CALLBACK]
    assert len(batches) == len(file_layout(path).sheets)
    assert not [a["func"] for a in actions if a["func"] in FORMAT_ACTIONS]
    inside = {inner["func"] for batch in batches for inner in batch["args"][1]}
    assert inside <= FORMAT_ACTIONS | {CHART_ACTION}  # the sheet's charts come last (tests/test_ribbon_charts.py)
    assert all(len({inner["sheet_position"] for inner in batch["args"][1]}) == 1 for batch in batches)  # one sheet each
    callback = (ROOT / "kpi_xl/excel/xlwings_server_app/static/js/kpi-formats.js").read_text()
    assert all(f'case "{func}"' in callback for func in FORMAT_ACTIONS | {CHART_ACTION})


def test_merge_blocks_make_exactly_the_merged_ranges():
    """One-row merges over the same columns on consecutive rows go as one Merge Across;
    a gap, other columns or a taller range start another call."""
    merges = [(1, 0, 1, 3), (2, 0, 2, 3), (3, 0, 3, 3), (5, 0, 5, 3), (6, 1, 6, 3), (7, 0, 8, 3), (9, 0, 9, 3)]
    blocks = merge_blocks(merges)
    assert blocks == [(1, 0, 3, 3, True), (5, 0, 5, 3, False), (6, 1, 6, 3, False), (7, 0, 8, 3, False),
                      (9, 0, 9, 3, False)]
    made = [(r, c0, r, c1) for r0, c0, r1, c1, across in blocks if across for r in range(r0, r1 + 1)]
    made += [block[:4] for block in blocks if not block[4]]
    assert sorted(made) == sorted(merges)


def test_border_strokes_draw_exactly_the_lines_of_the_boxes():
    rng = random.Random(11)
    for _ in range(2000):
        boxes, merges, used = [], [], set()
        for _ in range(rng.randint(1, 14)):
            r0, c0 = rng.randint(0, 9), rng.randint(0, 7)
            r1 = r0 + (rng.randint(0, 2) if rng.random() < 0.3 else 0)
            c1 = c0 + (rng.randint(0, 3) if rng.random() < 0.5 else 0)
            spots = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
            if spots & used:
                continue
            used |= spots
            if (r0, c0) != (r1, c1):
                merges.append((r0, c0, r1, c1))
            if rng.random() < 0.85:
                boxes.append((r0, c0, r1, c1))
        wanted, hidden = set(), set()
        for rect in boxes:
            wanted |= outline(*rect)
        for rect in merges:
            hidden |= hidden_inside(*rect)
        h, v = drawn_segments(border_strokes(boxes, merges))
        drawn = {("h", *s) for s in h} | {("v", *s) for s in v}
        assert wanted <= drawn and drawn <= wanted | hidden, (boxes, merges)


def test_boxes_in_a_column_share_their_strokes():
    """Three answer boxes, one above another with a question between each (the commentary
    sheet): their top and bottom lines are one range's edges and inside lines."""
    boxes = [(5, 0, 5, 5), (7, 0, 7, 5), (9, 0, 9, 5)]
    strokes = border_strokes(boxes, boxes)
    sides = sum(len(s) for _, s in strokes)
    assert sides == 3 + 2 * 3  # was 4 a box


# -- desktop Excel refusing a call halfway ------------------------------------------------------


class Refused(Exception):
    pass


class Desktop:
    """An xlwings object as desktop Excel would run it: every call and setting goes through
    at once, and the n-th one fails (Excel refuses it), as a COM error reaches Python."""

    def __init__(self, target, counter, fail_at):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_counter", counter)
        object.__setattr__(self, "_fail_at", fail_at)

    def _tick(self):
        self._counter[0] += 1
        if self._counter[0] == self._fail_at:
            raise Refused(f"Excel refused call {self._fail_at}")

    def _wrap(self, value):
        if value is None or isinstance(value, (str, int, float, bool, list, tuple, dict)):
            return value
        return Desktop(value, self._counter, self._fail_at)

    def __getattr__(self, name):
        if name == "engine":
            return type("Engine", (), {"name": "excel"})()
        value = getattr(self._target, name)
        if callable(value) and not isinstance(getattr(type(self._target), name, None), property):
            def call(*args, **kwargs):
                self._tick()
                args = [a._target if isinstance(a, Desktop) else a for a in args]
                kwargs = {k: (v._target if isinstance(v, Desktop) else v) for k, v in kwargs.items()}
                return self._wrap(value(*args, **kwargs))
            return call
        return self._wrap(value)

    def __setattr__(self, name, value):
        self._tick()
        setattr(self._target, name, value._target if isinstance(value, Desktop) else value)

    def __getitem__(self, key):
        return self._wrap(self._target[key])

    def __iter__(self):
        return (self._wrap(item) for item in self._target)

    def __len__(self):
        return len(self._target)


@pytest.mark.parametrize("fail_at", [1, 40, 400, 1200])
def test_desktop_failure_halfway_leaves_the_last_good_scorecard(fail_at):
    path = ROOT / "workbooks" / SAMPLE_NAMES[0]
    body = book_body(path)
    after = body_after(body, run(scripts.build_scorecard, body))
    layout = file_layout(path)
    book = xw.Book(json=copy.deepcopy(after))
    from kpi_xl.write.xlwings_writer import write_book

    with pytest.raises(Refused):
        write_book(layout, Desktop(book, [0], fail_at), protect=INPUT_SHEETS)
    left = body_after(after, book.json()["actions"])
    assert [s["name"] for s in left["sheets"]] == [s["name"] for s in after["sheets"]]  # no draft left
    assert left["sheets"] == after["sheets"] and left["names"] == after["names"]
    assert all(n.startswith("kpi_xl draft ") for n in Drawn(after, book.json()["actions"]).deleted)
