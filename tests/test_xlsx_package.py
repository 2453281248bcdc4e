"""The scorecard's xlsx is compressed part by part as XlsxWriter writes it (write/xlsx_package):
the same bytes as XlsxWriter's in-memory mode (but for the zip's comment, kpi_xl's listing of
the parts), without every part held in memory at once."""
from __future__ import annotations

import datetime as dt
import os
import sys
import struct
import zlib
from pathlib import Path

import pytest
import xlsxwriter
from golden import as_xlsxwriter_writes_it
from xlsxwriter.packager import Packager

from kpi_xl.api import render_layout
from kpi_xl.write.xlsx_package import StreamingWorkbook
from kpi_xl.write.xlsx_writer import write_xlsx

SAMPLES = Path(__file__).resolve().parent.parent / "workbooks"


def png(width: int = 3, height: int = 2) -> bytes:
    """A tiny grey PNG (an image part: XlsxWriter adds those as binary parts)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def fill(book, image) -> None:
    book.set_properties({"title": "Scorecard", "created": dt.datetime(2020, 2, 1)})
    for name in ("Overview", "Chart data"):
        sheet = book.add_worksheet(name)
        bold = book.add_format({"bold": True, "border": 1})
        sheet.write_row(0, 0, ["ID", "Indicator", "Apr", "May"], bold)
        for row in range(1, 300):
            sheet.write_string(row, 0, f"PI {row}")
            sheet.write_string(row, 1, f"Indicator {row} measuring something\nover two lines")
            sheet.write_number(row, 2, row / 7)
            sheet.write_formula(row, 3, f"=C{row + 1}*2", None, row * 2 / 7)
        chart = book.add_chart({"type": "line"})
        chart.add_series({"values": [name, 1, 2, 299, 2], "name": "Apr"})
        sheet.insert_chart(2, 6, chart)
        sheet.insert_image(20, 6, "grey.png", {"image_data": image})
        sheet.add_sparkline(1, 4, {"range": f"'{name}'!C2:D2"})


def test_the_file_is_byte_for_byte_what_xlsxwriter_writes_in_memory(tmp_path):
    import io

    image = png()
    plain = xlsxwriter.Workbook(str(tmp_path / "in_memory.xlsx"), {"in_memory": True})
    fill(plain, io.BytesIO(image))
    plain.close()
    streamed = StreamingWorkbook(tmp_path / "streamed.xlsx")
    fill(streamed, io.BytesIO(image))
    streamed.close()
    assert as_xlsxwriter_writes_it(tmp_path / "streamed.xlsx") == (tmp_path / "in_memory.xlsx").read_bytes()


def test_the_parts_are_in_the_file_before_the_last_ones_are_written(tmp_path, monkeypatch):
    """Not every part kept in memory until the end (XlsxWriter's in_memory mode keeps them
    all as strings, four bytes a character): by the time the document properties (among
    the last parts) are written, the sheets and charts are already compressed in the file."""
    _, layout, _ = render_layout(SAMPLES / "kpi_scorecard_jan2020.xlsx")
    path = tmp_path / "scorecard.xlsx"
    on_disk = []
    real = Packager._write_core_file

    def core_file(self):
        on_disk.append(path.stat().st_size)
        real(self)

    monkeypatch.setattr(Packager, "_write_core_file", core_file)
    write_xlsx(layout, path)
    assert on_disk and on_disk[0] > 0.9 * path.stat().st_size


def test_the_language_is_recorded_in_the_core_properties(tmp_path):
    import zipfile

    _, layout, _ = render_layout(SAMPLES / "kpi_scorecard_jan2020.xlsx")
    path = write_xlsx(layout, tmp_path / "scorecard.xlsx")
    with zipfile.ZipFile(path) as book:
        core = book.read("docProps/core.xml").decode()
        names = book.namelist()
    assert core.count("<dc:language>en-GB</dc:language>") == 1 and core.endswith("</cp:coreProperties>")
    assert names[0] == "[Content_Types].xml" and len(names) == len(set(names))


def test_a_full_disk_while_a_part_is_written_is_reported_once(tmp_path, monkeypatch):
    """The error reaches the caller (as XlsxWriter's FileCreateError, which the run reports
    naming the file); the half-written part's encoder is closed then, not later by the
    garbage collector with an 'Exception ignored' message on the screen."""
    import errno
    import gc
    import sys
    import zipfile

    from xlsxwriter.exceptions import FileCreateError

    _, layout, _ = render_layout(SAMPLES / "kpi_scorecard_jan2020.xlsx")
    real = zipfile._ZipWriteFile.write
    written = []

    def fills_up(self, data):
        written.append(len(data))
        if len(written) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    ignored = []
    monkeypatch.setattr(zipfile._ZipWriteFile, "write", fills_up)
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    with pytest.raises(FileCreateError, match="No space left"):
        write_xlsx(layout, tmp_path / "scorecard.xlsx")
    gc.collect()
    assert ignored == []


def test_the_garbage_collector_is_paused_while_laying_out_and_writing(tmp_path, monkeypatch):
    """Nothing laid out or written is in a cycle to collect meanwhile, and walking the
    growing heap again and again cost about a fifth of the writing: paused, then running
    again afterwards."""
    import gc

    from kpi_xl.api import prepare
    from kpi_xl.layout import builder
    from kpi_xl.write.xlsx_package import StreamingWorkbook

    seen = []
    real_overview, real_close = builder.SHEET_KINDS["overview"], StreamingWorkbook.close

    def laying_out(*args):
        seen.append(("layout", gc.isenabled()))
        return real_overview(*args)

    def closing(self):
        seen.append(("write", gc.isenabled()))
        real_close(self)

    monkeypatch.setitem(builder.SHEET_KINDS, "overview", laying_out)
    monkeypatch.setattr(StreamingWorkbook, "close", closing)
    layout = prepare(SAMPLES / "kpi_scorecard_jan2020.xlsx").layout()
    assert gc.isenabled()
    write_xlsx(layout, tmp_path / "scorecard.xlsx")
    assert gc.isenabled()
    assert seen == [("layout", False), ("write", False)]


# -- the last charts' parts written by a second process (alongside) ----------------------------

def many_charts(book, count: int = 60) -> None:
    book.set_properties({"created": dt.datetime(2020, 2, 1)})
    sheet = book.add_worksheet("Chart data")
    for row in range(count):
        sheet.write_row(row, 0, [f"PI {row}"] + [row * month / 7 for month in range(12)])
    for row in range(count):
        chart = book.add_chart({"type": "line"})
        chart.add_series({"values": ["Chart data", row, 1, row, 12], "name": f"PI {row}",
                          "marker": {"type": "square"}})
        chart.add_series({"values": ["Chart data", 0, 1, 0, 12], "line": {"dash_type": "dash"}})
        chart.set_title({"name": f"Indicator {row} & more <trend>"})
        sheet.insert_chart(row * 16, 14, chart)


def charts_as_xlsxwriter_writes_them(tmp_path) -> bytes:
    """``many_charts`` written by XlsxWriter's own in-memory mode: the bytes to match."""
    plain = xlsxwriter.Workbook(str(tmp_path / "in_memory.xlsx"), {"in_memory": True})
    many_charts(plain)
    plain.close()
    return (tmp_path / "in_memory.xlsx").read_bytes()


def streamed_with_a_standby(path: Path) -> StreamingWorkbook:
    """``many_charts`` streamed to ``path`` with a standby process for the last charts."""
    from kpi_xl.write import xlsx_package

    with xlsx_package.chart_standby() as standby:
        streamed = StreamingWorkbook(path, standby=standby)
        many_charts(streamed)
        streamed.close()
    return streamed


def test_charts_written_by_a_second_process_give_the_same_bytes(tmp_path, monkeypatch):
    """A large scorecard's last charts' parts are written by a standby process forked before the
    workbook existed, from what the packager hands it, and stored in their turn: the same file."""
    from kpi_xl.alongside import ONE_PROCESS
    from kpi_xl.write import xlsx_package

    monkeypatch.setattr(xlsx_package, "FEW_CHARTS", 0)  # as a large scorecard's: handed to the standby

    plain = charts_as_xlsxwriter_writes_them(tmp_path)
    writers = []
    chart_parts = xlsx_package._chart_parts

    def noted(given):
        given = list(given)
        writers.append((os.getpid(), [number for number, _, _ in given]))
        return chart_parts(given)

    monkeypatch.setattr(xlsx_package, "_chart_parts", noted)
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    handed = 60 - (60 - round(60 * xlsx_package.SECOND_SHARE))
    for name, one_process in (("streamed", False), ("in_place", True)):
        if one_process:
            monkeypatch.setenv(ONE_PROCESS, "1")  # no second process: every chart written here, XlsxWriter's way
        with xlsx_package.chart_standby() as standby:
            assert standby.forked == (not one_process and sys.platform == "linux"
                                      and len(os.sched_getaffinity(0)) > 1)
            streamed = StreamingWorkbook(tmp_path / f"{name}.xlsx", standby=standby)
            many_charts(streamed)
            streamed.close()
            assert standby.pid is None  # its parts were taken, and it has ended
        assert as_xlsxwriter_writes_it(tmp_path / f"{name}.xlsx") == plain
    assert writers == [], "the second process's note of its own work stays in that process"
    assert handed >= xlsx_package.FEWEST_ALONGSIDE


def test_when_the_second_process_fails_its_charts_are_written_here(tmp_path, monkeypatch):
    from kpi_xl.alongside import ONE_PROCESS
    from kpi_xl.write import xlsx_package

    monkeypatch.setattr(xlsx_package, "FEW_CHARTS", 0)  # as a large scorecard's: handed to the standby

    plain = charts_as_xlsxwriter_writes_them(tmp_path)
    parent, chart_parts, done_here = os.getpid(), xlsx_package._chart_parts, []

    def dies_in_the_child(given):
        if os.getpid() != parent:
            os._exit(9)  # killed midway, say
        given = list(given)
        done_here.append(len(given))
        return chart_parts(given)

    monkeypatch.setattr(xlsx_package, "_chart_parts", dies_in_the_child)
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    streamed = streamed_with_a_standby(tmp_path / "streamed.xlsx")
    assert as_xlsxwriter_writes_it(tmp_path / "streamed.xlsx") == plain
    if sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1:
        assert done_here == [round(60 * xlsx_package.SECOND_SHARE)]  # the handed-over charts, written here


def test_a_chart_that_cannot_be_handed_over_has_every_chart_written_here(tmp_path, monkeypatch):
    from kpi_xl.alongside import ONE_PROCESS
    from kpi_xl.write import xlsx_package

    monkeypatch.setattr(xlsx_package, "FEW_CHARTS", 0)  # as a large scorecard's: handed to the standby

    plain = charts_as_xlsxwriter_writes_them(tmp_path)
    handed_over = xlsx_package.handed_over

    def unpicklable(chart):
        cls, state = handed_over(chart)
        return cls, {**state, "lock": __import__("threading").Lock()}

    monkeypatch.setattr(xlsx_package, "handed_over", unpicklable)
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    streamed = streamed_with_a_standby(tmp_path / "streamed.xlsx")
    assert streamed.packager.later == 60  # none handed over
    assert as_xlsxwriter_writes_it(tmp_path / "streamed.xlsx") == plain


def test_the_second_process_parses_the_chart_parts_it_writes(tmp_path, monkeypatch):
    """Each chart part the standby wrote is parsed there, as the check of the new file would
    parse it; the packager lists those parts (``parsed``), and one that does not parse is not listed."""
    from kpi_xl.alongside import ONE_PROCESS
    from kpi_xl.write import xlsx_package

    monkeypatch.setattr(xlsx_package, "FEW_CHARTS", 0)  # as a large scorecard's: handed to the standby
    assert xlsx_package._well_formed(b"<c:chart xmlns:c='x'><c:ser/></c:chart>")
    assert not xlsx_package._well_formed(b"<c:chart><c:ser></c:chart>")
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    streamed = streamed_with_a_standby(tmp_path / "streamed.xlsx")
    first = streamed.packager.later + 1
    assert streamed.packager.parsed == {f"xl/charts/chart{n}.xml" for n in range(first, 61)}
    if sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1:
        assert first < 61

    well_formed = xlsx_package._well_formed
    monkeypatch.setattr(xlsx_package, "_well_formed", lambda xml: b"chart" not in xml and well_formed(xml))
    streamed = streamed_with_a_standby(tmp_path / "unparsed.xlsx")
    assert streamed.packager.parsed == set()


def parts_noted(monkeypatch, log: Path, fail_in_child: bool = False) -> None:
    """Each process that writes chart parts (``xlsx_package._parts``) notes its id and how many."""
    from kpi_xl.write import xlsx_package

    parent, parts = os.getpid(), xlsx_package._parts

    def noted(charts):
        if fail_in_child and os.getpid() != parent:
            os._exit(9)  # killed midway, say
        written = parts(charts)
        with log.open("a") as out:
            out.write(f"{os.getpid()} {len(written)}\n")
        return written

    monkeypatch.setattr(xlsx_package, "_parts", noted)


def sample_layout():
    return render_layout(SAMPLES / "kpi_scorecard_jan2020.xlsx")[1]


def can_fork() -> bool:
    return sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1


def written_both_ways(tmp_path, monkeypatch, layout_of) -> tuple[bytes, bytes, set[str]]:
    """``layout_of()`` written by one process, then as a build writes it (a standby, each sheet
    let go as it is written): (the first file, the second, the parts the second process parsed)."""
    from kpi_xl.alongside import ONE_PROCESS
    from kpi_xl.write import xlsx_package

    monkeypatch.setenv(ONE_PROCESS, "1")
    write_xlsx(layout_of(), tmp_path / "one.xlsx")
    monkeypatch.delenv(ONE_PROCESS)
    parsed: set[str] = set()
    with xlsx_package.chart_standby() as standby:
        write_xlsx(layout_of(), tmp_path / "two.xlsx", release=True, standby=standby, parsed=parsed)
    assert standby.pid is None
    return (tmp_path / "one.xlsx").read_bytes(), (tmp_path / "two.xlsx").read_bytes(), parsed


def test_a_small_scorecards_last_charts_are_drawn_apart_by_a_process_forked_as_writing_starts(tmp_path, monkeypatch):
    """With ``FEW_CHARTS`` or fewer, the standby is let go: a second process forked as the
    writing starts draws the last charts again from the layout and writes their parts, while
    this one writes the rest. Nothing is handed over or packed, and the file is the one a
    single process writes."""
    from kpi_xl.write import xlsx_chart_store, xlsx_package

    charts = sum(len(sheet.charts) for sheet in sample_layout().sheets)
    assert charts <= xlsx_package.FEW_CHARTS
    parts_noted(monkeypatch, tmp_path / "writers")
    handed, packed = [], []
    monkeypatch.setattr(xlsx_package, "_Handed", lambda *args: handed.append(args))
    monkeypatch.setattr(xlsx_chart_store, "pack", packed.append)
    one, two, parsed = written_both_ways(tmp_path, monkeypatch, sample_layout)
    assert two == one
    assert handed == packed == []
    if can_fork():  # (the first charts are written here by XlsxWriter's own loop)
        writers = [line.split() for line in (tmp_path / "writers").read_text().splitlines()]
        apart = round(charts * xlsx_package.APART_SHARE)
        assert [(pid != str(os.getpid()), int(count)) for pid, count in writers] == [(True, apart)]
        assert parsed == {f"xl/charts/chart{n}.xml" for n in range(charts - apart + 1, charts + 1)}


def test_when_the_process_drawing_charts_apart_fails_its_charts_are_written_here(tmp_path, monkeypatch):
    from kpi_xl.write import xlsx_package

    charts = sum(len(sheet.charts) for sheet in sample_layout().sheets)
    parts_noted(monkeypatch, tmp_path / "writers", fail_in_child=True)
    one, two, _ = written_both_ways(tmp_path, monkeypatch, sample_layout)
    assert two == one
    if can_fork():
        apart = round(charts * xlsx_package.APART_SHARE)
        writers = [line.split() for line in (tmp_path / "writers").read_text().splitlines()]
        assert writers == [[str(os.getpid()), str(apart)]]  # redone here


@pytest.mark.parametrize("how", ["drawn apart", "handed to the standby"])
def test_charts_written_by_a_second_process_read_their_ranges_as_one_process_does(tmp_path, monkeypatch, how):
    """A chart's cached figures depend on more than the cells in its range: a row with cells
    elsewhere reads as one empty point per column; a row with no cell at all reads as one point,
    unless it lies within the sheet's rows, which writing the sheet adds to XlsxWriter's table
    before one process reads the charts' figures; and a merged range's blanks start in the row of
    its first cell. Whichever process writes a chart, each reads as in one process."""
    from kpi_xl.layout.types import Chart, Layout, Series, SheetLayout
    from kpi_xl.write import xlsx_package

    monkeypatch.setattr(xlsx_package, "APART_SHARE", 1.0)
    monkeypatch.setattr(xlsx_package, "SECOND_SHARE", 1.0)
    monkeypatch.setattr(xlsx_package, "FEWEST_ALONGSIDE", 1)
    if how == "handed to the standby":
        monkeypatch.setattr(xlsx_package, "FEW_CHARTS", 0)

    def layout_of() -> Layout:
        data = SheetLayout("Chart data")
        for col, month in enumerate(["Apr", "May", "Jun"], 1):
            data.put(0, col, month)
            data.put(1, col, col * 1.5)
        data.put(2, 9, "a note beyond the range")  # row 3: no cell in B:D
        data.put(4, 1, "merged", merge_to=(5, 3))  # rows 5 and 6, B:D: blanks below and beside
        data.put(7, 2, "=B2*2", formula="=B2*2")  # a formula: its value was not given
        data.put(9, 1, "merged", merge_to=(10, 3))  # its first row in no range
        ranges = ["$B$2:$D$2", "$B$3:$D$3", "$B$4:$D$4", "$B$6:$D$6", "$B$8:$D$8", "$B$5:$B$8", "$B$11:$D$11",
                  "$B$20:$D$20"]  # below the sheet's last row
        charts = SheetLayout("Charts", charts=[
            Chart(f"Range {values}", row * 16, 1, 480, 288,
                  (Series("Figure", "='Chart data'!$B$1:$D$1", f"='Chart data'!{values}", "#1F4E79"),))
            for row, values in enumerate(ranges)])
        return Layout([charts, data], {"title": "Ranges"})

    parts_noted(monkeypatch, tmp_path / "writers")
    one, two, parsed = written_both_ways(tmp_path, monkeypatch, layout_of)
    assert two == one
    if can_fork() and how == "drawn apart":
        [(pid, count)] = [line.split() for line in (tmp_path / "writers").read_text().splitlines()]
        assert pid != str(os.getpid()) and count == "8"  # every chart, drawn apart (not redone here)
    elif can_fork():
        assert len(parsed) == 8  # every chart, by the standby


def test_a_small_scorecards_charts_are_not_packed_and_a_large_ones_are(tmp_path, monkeypatch):
    from kpi_xl.write import xlsx_package

    packed = []
    init = StreamingWorkbook.__init__

    def noting(self, *args, **kwargs):
        init(self, *args, **kwargs)
        packed.append(self.pack_charts)

    monkeypatch.setattr(StreamingWorkbook, "__init__", noting)
    layout = render_layout(SAMPLES / "kpi_scorecard_jan2020.xlsx")[1]
    charts = sum(len(sheet.charts) for sheet in layout.sheets)
    write_xlsx(layout, tmp_path / "few.xlsx")
    monkeypatch.setattr(xlsx_package, "FEW_CHARTS", charts - 1)
    write_xlsx(layout, tmp_path / "many.xlsx")
    assert packed == [False, True]
    assert (tmp_path / "few.xlsx").read_bytes() == (tmp_path / "many.xlsx").read_bytes()
