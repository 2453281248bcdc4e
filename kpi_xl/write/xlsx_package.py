"""XlsxWriter with each part of the xlsx compressed into the file as it is written.

XlsxWriter's ``in_memory`` mode keeps every XML part as a Python string until ``close``
zips them all (at 3,000 indicators several hundred MB, four bytes a character); its other
mode writes each part to a temporary file first (left behind when a run is killed, and
dated in local time in the zip). ``StreamingWorkbook`` uses the hook XlsxWriter leaves
for another packager (``Workbook._get_packager``): each part goes straight into the
output's zip entry as XlsxWriter writes it, a megabyte at a time, with the entry that
``in_memory`` mode gives it (the same name, order, 1 January 1980 date and compression).
The file is byte for byte what ``in_memory`` mode writes, but for the zip's comment, which
lists its parts as written (``as_written.written_mark``: the next build's carry reads only
the commentary of a scorecard nothing has changed since); only one part is ever in memory
and no temporary file is made.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.parsers.expat import ExpatError, ParserCreate

from xlsxwriter.exceptions import EmptyChartSeries
from xlsxwriter.packager import Packager
from xlsxwriter.workbook import Workbook

from ..alongside import Alongside, Standby, can_fork
from ..read.as_written import written_mark
from .xlsx_charts import CacheWriter
from .xlsx_chart_store import handed_over, let_go, pack, restored, unpack
from .xlsx_tags import quicken

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the date XlsxWriter's in_memory mode gives every part
CHUNK_BYTES = 1 << 20  # encoded text gathered before it is compressed
CHART_PART = "xl/charts/chart"
#: The share of the charts whose parts a second process writes (``chart_standby``) while this
#: one writes the sheets and the other charts: measured so that both finish together.
SECOND_SHARE = 0.63
#: Fewer charts than this are all written here: a second process would save less than it costs.
FEWEST_ALONGSIDE = 24
#: A scorecard with this many charts or fewer (200 indicators) keeps them as they are, not
#: packed (xlsx_chart_store: at most 10 MB), and its last charts are drawn again, from the
#: layout, by a second process forked as the writing starts (``StreamingWorkbook.draw_apart``):
#: it works while this one writes the sheets, the first charts and the rest, and nothing need
#: be handed over. A larger one's are packed, and handed to the standby forked at the start.
FEW_CHARTS = 400
#: The share of those few charts drawn apart: that process also places the others, and writes
#: the cells its charts show (at 60 indicators, about 60 ms), measured so that both finish together.
APART_SHARE = 0.6


def chart_standby() -> Standby:
    """A second process, forked at the start of a build while this one is small, to write the
    last charts' parts once they are drawn (``StreamingWorkbook(..., standby=)``)."""
    return Standby(_chart_parts)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


class _Part(io.StringIO):
    """What XlsxWriter writes one part into (it writes to any ``StringIO`` it is given):
    its ``write`` is a UTF-8 encoder's, which hands the zip entry a megabyte at a time to
    compress (all in C: XlsxWriter calls it for every tag). A part with an ``edit`` is kept
    whole and edited before it is stored."""

    def __init__(self, book: zipfile.ZipFile, name: str, edit: Callable[[str], str] | None):
        super().__init__()
        self.entry = book.open(_entry(name), "w")
        self.edit = edit
        if edit is None:
            self.encoder = io.TextIOWrapper(self.entry, encoding="utf-8", newline="")  # "\n" stays "\n"
            self.encoder._CHUNK_SIZE = CHUNK_BYTES
            self.write = self.encoder.write

    def finish(self) -> None:
        if self.edit is None:
            self.encoder.close()  # the rest of the text into the entry, and the entry closed
        else:
            self.entry.write(self.edit(self.getvalue()).encode("utf-8"))
            self.entry.close()


class _StreamingPackager(Packager):
    """XlsxWriter's packager, writing every part into ``book`` as it goes, in its order."""

    def __init__(self, book: zipfile.ZipFile, edits: dict[str, Callable[[str], str]]):
        super().__init__()
        self.book, self.edits = book, edits
        self.stored = 0  # how many of ``self.filenames`` are in the zip (the last one perhaps still open)
        self.writing: _Part | None = None
        self.chart = None  # the chart whose part is being written
        self.standby: Alongside | None = None  # a second process to write the last charts' parts
        self.later = 0  # the index of the first chart it writes
        self.parsed: set[str] = set()  # the parts already checked to be well-formed XML (its parts)

    def _filename(self, xml_filename):
        self._store_finished()
        if xml_filename.startswith(CHART_PART):  # xl/charts/chartN.xml is workbook.charts[N - 1]
            self.chart = self.workbook.charts[int(xml_filename[len(CHART_PART):-4]) - 1]
            self.workbook.ready_to_write(self.chart)
        part = _Part(self.book, xml_filename, self.edits.get(xml_filename))
        self.filenames.append((part, xml_filename, False))
        self.stored = len(self.filenames)  # its entry is open: the parts listed after it follow it
        self.writing = part
        return part

    def _store_finished(self) -> None:
        """Close the part being written (a new one starts only when it is complete), then
        add the binary parts (images) XlsxWriter listed since, in its order."""
        if self.writing is not None:
            self.writing.finish()
            self.writing = None
        if self.chart is not None:  # its part is written
            let_go(self.chart)
            self.chart = None
        for data, name, is_binary in self.filenames[self.stored:]:
            self.book.writestr(_entry(name), data.getvalue() if is_binary else data.getvalue().encode("utf-8"))
        self.stored = len(self.filenames)

    def _write_worksheet_files(self):
        # a sheet's rows and cells: hundreds of thousands of tags with numbered attributes (xlsx_tags)
        for sheet in self.workbook.worksheets():
            quicken(sheet)
        super()._write_worksheet_files()

    def _write_drawing_files(self):
        # the drawings place the charts: thousands of small tags (xlsx_tags)
        for drawing in self.workbook.drawings:
            quicken(drawing)
        super()._write_drawing_files()

    def _write_chart_files(self):
        """XlsxWriter's, for the charts before ``self.later``; the parts of the others, written
        meanwhile by the standby process, are stored after them, in their turn."""
        charts = self.workbook.charts
        if self.later == len(charts):
            return super()._write_chart_files()
        self.workbook.charts = charts[:self.later]  # XlsxWriter's loop numbers them 1, 2 ... as ever
        try:
            super()._write_chart_files()
        finally:
            self.workbook.charts = charts
        self._store_finished()
        for name, crc, size, compressed, well_formed in self.standby.result():
            _store_compressed(self.book, name, crc, size, compressed)
            if well_formed:
                self.parsed.add(name)

    def _create_package(self):
        self.later = self._hand_over()
        try:
            super()._create_package()
            self._store_finished()
        finally:
            if self.standby is not None:
                self.standby.cancel()  # (nothing left to stop once its parts are stored)
        return []  # every part is in the zip: nothing left for XlsxWriter to add

    def _hand_over(self) -> int:
        """Give the standby process the last charts (``_Handed``); returns the index of the
        first (all of them: none handed over). Charts drawn apart (``draw_apart``) are taken
        from that process instead."""
        charts = self.workbook.charts
        apart = self.workbook.apart
        if apart is not None:
            if apart.count == len(charts):
                self.standby = apart.process
                return apart.first
            apart.process.cancel()  # (not as many charts as it was told of: every chart drawn and written here)
            apart.draw_here()
            return len(charts)
        first = len(charts) - round(len(charts) * SECOND_SHARE)
        if (self.standby is None or not self.standby.forked or len(charts) - first < FEWEST_ALONGSIDE
                or len(charts) <= FEW_CHARTS):
            return len(charts)
        for sheet in self.workbook.worksheets():
            rows_as_written(sheet)  # (the charts' cached figures are read before the sheets are written)
        try:
            self.standby.give(_Handed(self.workbook, first))
        except Exception:  # noqa: BLE001  (a chart it cannot be handed, say: every chart written here, as ever)
            self.standby.cancel()
            return len(charts)
        return first


class _Apart:
    """The charts of a workbook from ``first`` on (of ``count``), drawn and written by a second
    process (``process``: ``draw(first)``) and only placed here, unless ``draw_here()`` is
    called; should that process fail, they are drawn and written here (``_parts_from``)."""

    def __init__(self, workbook: StreamingWorkbook, draw: Callable[[int], list], first: int, count: int,
                 draw_here: Callable[[], None]):
        self.first, self.count, self.draw_here = first, count, draw_here

        def instead():
            draw_here()
            return _parts_from(workbook, first)
        self.process = Alongside(draw, first, instead=instead)


def rows_as_written(sheet) -> None:
    """Every row of ``sheet``'s extent in its table, as writing its XML leaves them
    (``xlsx_cells._write_rows``): a chart's cached figures read from there, and a row with no
    cell reads as one empty point when it is not in the table and as one a column when it is."""
    if sheet.dim_rowmin is not None:
        for row in range(sheet.dim_rowmin, sheet.dim_rowmax + 1):
            sheet.table[row]  # noqa: B018  (a defaultdict: the row added if missing)


class _Handed:
    """The charts from ``first`` on, as the standby process needs them: their XlsxWriter class,
    settings and cached figures, looked up here where the sheets are, one chart at a time and
    each chart left as it was (so they can be handed over again, to be written here)."""

    def __init__(self, workbook: StreamingWorkbook, first: int):
        self.workbook, self.first = workbook, first

    def __iter__(self):
        for number, chart in enumerate(self.workbook.charts[self.first:], self.first + 1):
            looked_up = list(chart.formula_data)
            self.workbook.add_chart_data(chart)
            yield (number, *handed_over(chart))
            chart.formula_data = looked_up  # its figures not held here once handed over


def _chart_parts(given: Iterable[tuple[int, type, dict]]) -> list[tuple[str, int, int, bytes, bool]]:
    """The parts (``_parts``) of the charts ``_hand_over`` gave, each restored here."""
    caches = CacheWriter()

    def charts():
        for number, cls, state in given:
            chart = restored(cls, state)
            caches.bind(chart)
            yield number, chart
    return _parts(charts())


def _parts_from(workbook: StreamingWorkbook, first: int) -> list[tuple[str, int, int, bytes, bool]]:
    """The parts (``_parts``) of ``workbook``'s charts from index ``first`` on, each made ready
    as the packager makes its own: written here when the process drawing them apart failed."""
    def charts():
        for number, chart in enumerate(workbook.charts[first:], first + 1):
            workbook.ready_to_write(chart)
            yield number, chart
    return _parts(charts())


def _parts(charts: Iterable[tuple[int, object]]) -> list[tuple[str, int, int, bytes, bool]]:
    """(part name, CRC, size, compressed XML, well formed) of each (number, chart), written and
    compressed as XlsxWriter's own loop and ``_Part`` would write its zip entry, and its XML
    parsed here, by the process that wrote it, as the check of the new file would
    (``run.safety.verify_xlsx``): that check then reads these parts only to their checksums."""
    parts = []
    for number, chart in charts:
        if not chart.series:  # XlsxWriter's own check and words
            raise EmptyChartSeries(f"Chart{number} must contain at least one data series. See chart.add_series().")
        text = io.StringIO()
        chart._set_filehandle(text)
        chart._assemble_xml_file()
        xml = text.getvalue().encode("utf-8")
        squeeze = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's ZIP_DEFLATED
        parts.append((f"{CHART_PART}{number}.xml", zlib.crc32(xml), len(xml), squeeze.compress(xml) + squeeze.flush(),
                      _well_formed(xml)))
        let_go(chart)  # (its quick writers hold it: a cycle, and the collector is off in a second process)
    return parts


def _well_formed(xml: bytes) -> bool:
    """Whether ``xml`` parses (expat, in C, as ``run.safety.verify_xlsx`` reads every XML part)."""
    try:
        ParserCreate().Parse(xml, True)
    except ExpatError:
        return False
    return True


def _store_compressed(book: zipfile.ZipFile, name: str, crc: int, size: int, compressed: bytes) -> None:
    """Add an entry whose data was compressed elsewhere, byte for byte as ``book.open(_entry(name),
    "w")`` writes it on a seekable file: its header (with the sizes and CRC, as zipfile
    rewrites it on closing), the data, and the entry listed for the zip's directory."""
    info = _entry(name)
    if size * 1.05 > zipfile.ZIP64_LIMIT or not book._seekable:  # not how the second process's parts are
        with book.open(info, "w") as entry:
            entry.write(zlib.decompress(compressed, -15))
        return
    info.file_size, info.compress_size, info.CRC = size, len(compressed), crc
    info.flag_bits = 0
    info.external_attr = 0o600 << 16  # permissions: ?rw-------, as zipfile gives an entry it opens
    book.fp.seek(book.start_dir)
    info.header_offset = book.fp.tell()
    book._writecheck(info)
    book._didModify = True
    book.fp.write(info.FileHeader(False))
    book.fp.write(compressed)
    book.start_dir = book.fp.tell()
    book.filelist.append(info)
    book.NameToInfo[name] = info


class StreamingWorkbook(Workbook):
    """An XlsxWriter workbook written to ``path`` part by part (see the module's note).
    ``edits``: part name -> a function that changes its text before it is stored; ``standby``: a
    second process to write the last charts' parts (``chart_standby``); ``pack_charts``: False
    for a workbook of ``FEW_CHARTS`` or fewer, whose charts are kept as they are."""

    def __init__(self, path: str | Path, options: dict | None = None,
                 edits: dict[str, Callable[[str], str]] | None = None, standby: Standby | None = None,
                 pack_charts: bool = True):
        # XlsxWriter's own zip gets no parts and goes nowhere: the parts go to self.book
        super().__init__(io.BytesIO(), {**(options or {}), "in_memory": True})
        self.edits = edits or {}
        self.standby = standby  # (chart_standby) to write the last charts' parts
        self.pack_charts = pack_charts  # each chart packed once drawn (False: a few, kept as they are)
        self.packager: _StreamingPackager | None = None
        self.apart: _Apart | None = None  # (draw_apart) the last charts, drawn by a second process
        self.handle = open(path, "wb")  # noqa: SIM115  (closed in close())
        self.book = zipfile.ZipFile(self.handle, "w", zipfile.ZIP_DEFLATED, allowZip64=self.allow_zip64)

    def _get_packager(self):
        self.packager = _StreamingPackager(self.book, self.edits)
        self.packager.standby = self.standby
        return self.packager

    def draw_apart(self, count: int, draw: Callable[[int], list], draw_here: Callable[[], None]) -> int:
        """For a workbook with a standby about to be given ``count`` charts, ``FEW_CHARTS`` or
        fewer: a second process, forked now, writes the parts of the last of them
        (``APART_SHARE``) while this one writes the sheets, the other charts and the rest.
        ``draw(first)`` draws the charts from index ``first`` on again, on its own, and returns
        their parts (``_parts``); they need only be placed here. Should it fail, ``draw_here()``
        draws them here and they are written from this workbook (``_parts_from``). The standby
        is let go. Returns how many charts are written here (all of them: no second process)."""
        first = count - round(count * APART_SHARE)
        if self.standby is None or count - first < FEWEST_ALONGSIDE or not can_fork():
            return count
        self.standby.cancel()
        self.standby = None
        self.apart = _Apart(self, draw, first, count, draw_here)
        return first

    def add_chart(self, options):
        """A new chart, the one before it packed: a caller finishes a chart before it adds
        the next, so only one chart's settings are ever unpacked (xlsx_chart_store)."""
        self._pack_charts()
        return super().add_chart(options)

    def _pack_charts(self) -> None:
        if self.charts and self.pack_charts:
            pack(self.charts[-1])

    def _add_chart_data(self) -> None:
        """Not every chart's cached figures at once: each chart's are looked up as its part is
        written (``add_chart_data``) and let go with its settings (xlsx_chart_store)."""

    def ready_to_write(self, chart) -> None:
        """``chart``'s settings back (xlsx_chart_store), and its cached figures looked up."""
        unpack(chart)
        self.add_chart_data(chart)

    def add_chart_data(self, chart) -> None:
        """``chart``'s cached figures (the numbers and labels a chart shows until Excel
        recalculates), looked up as XlsxWriter's ``_add_chart_data`` does for all charts
        (the same lists, so the same XML), for this chart alone."""
        charts, self.charts = self.charts, [chart]  # (the packager's loop over the charts keeps its own list)
        try:
            Workbook._add_chart_data(self)
        finally:
            self.charts = charts

    def close(self) -> None:
        try:
            self._pack_charts()
            super().close()
            self.book.comment = written_mark(self.book.infolist())  # (the next build's carry.read_previous)
            self.book.close()  # the zip's directory
        except BaseException:
            self._abandon()
            raise
        finally:
            self.handle.close()

    def _abandon(self) -> None:
        """After a failure (a full disk): close the part being written and the zip now, quietly
        (the file is incomplete and the caller removes it), not leave them to the garbage
        collector, which would print the error again as an 'Exception ignored' message."""
        if self.apart is not None:
            self.apart.process.cancel()
        part = self.packager.writing if self.packager else None
        closing = [part.encoder.close] if part is not None and part.edit is None else []
        closing += [part.entry.close] if part is not None else []
        for close in closing + [self.book.close]:
            try:
                close()
            except (OSError, ValueError):
                pass
