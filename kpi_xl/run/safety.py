"""Writing the shared scorecard safely: atomic replace, kept versions, Excel detection, a run lock.

The pieces are in their own modules (``runlock``, ``versions``, ``excel_open``, ``runlog``,
``files``); this one holds the write itself and names them all, as callers know them.

Standard library only, so the scheduler and the CLI can use it without loading anything
heavy. The pieces, in the order a scheduled run uses them::

    log = setup_logging(Path("kpi-xl.log"))
    check_output(target, {"the raw workbook": raw})         # never the input, never a raw workbook (exit 1)
    with RunLock(target):                                   # refuse a second run (exit 4), before reading
        clean_stale_temps(target)                           # leftovers of runs that were killed
        seen = file_state(target)                           # then read its commentary, and the raw workbook
        out = beside_name(target, now) if open_in_excel(target) else target   # exit 3 if beside
        atomic_write(out, write=lambda tmp: write_xlsx(layout, tmp),
                     verify=verify_xlsx, keep=7,            # all or nothing
                     unchanged_since=seen)                  # never over a file saved meanwhile

Nothing here ever leaves a half-written file where a person can open it: the new
workbook is written to a hidden temporary file in the same folder, checked, and only
then moved over the target in one step (``os.replace``).
"""
from __future__ import annotations

import datetime as dt
import json  # noqa: F401  (safety.json: the lock file's writer, as callers and tests reach it)
import os
import zipfile
import zlib
from collections.abc import Callable, Collection
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from ..errors import EXIT_INPUT, CannotRun, KpiError
# The pieces live in their own modules; ``safety`` names them all, as callers know them.
from .excel_open import beside_name, excel_owner, open_in_excel, owner_files, owner_name  # noqa: F401
from .files import (GRACE_SECONDS, LOCK_SUFFIX, LOGGER_NAME, STALE_LOCK_SECONDS, TEMP_PREFIX,  # noqa: F401
                    VERSIONS_FOLDER, _fsync_dir, _fsync_file, _remove, failures_named, log, os_error_in,
                    write_failure)
from .runlock import RunLock, lock_path, pid_alive  # noqa: F401
from .versions import clean_stale_temps, glob_escape, keep_version, versions  # noqa: F401


def __getattr__(name: str):
    # setup_logging, named here as callers know it, is imported when asked for: it imports
    # logging, which only the scheduled job needs (a build does not: 6 ms)
    if name == "setup_logging":
        from .runlog import setup_logging  # noqa: PLC0415

        return setup_logging
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- where a run may write -----------------------------------------------------------

class RefusedOutput(KpiError):
    """The output asked for must not be written: it is an input, a raw workbook, or not
    an .xlsx name. Nothing was written."""

    exit_code = EXIT_INPUT


def check_output(output: Path, reads: dict[str, str | Path | None] | None = None, *,
                 what: str = "scorecard") -> None:
    """Refuse an output that would destroy something or could not be written, before any work.

    ``reads``: the files the run reads, by what a person calls them (``{"the raw
    workbook": raw}``); the output must be none of them, whatever the path's spelling.
    An existing file that looks like a raw workbook is never replaced. The name must end
    in ``.xlsx``. Raises ``RefusedOutput`` (exit 1) or, for a missing folder or a folder
    given as the output, ``CannotRun`` (exit 2).
    """
    output = Path(output)
    word = what.split()[0].strip("'")  # "scorecard", "directors": for example names
    another = output.with_name(f"{output.stem} {word}.xlsx")
    if output.is_dir():
        raise CannotRun(f"{output}: is a folder. Give the {what} file's name, such as {output / (word + '.xlsx')}.")
    if not output.parent.is_dir():
        raise CannotRun(f"{output.parent}: no such folder, so {output.name} cannot be written there. "
                        "Create the folder, or choose another output path.")
    for name, path in (reads or {}).items():
        if path is not None and same_file(output, path):
            raise RefusedOutput(f"{output}: that is {name} ({path}); writing the {what} there would replace it. "
                                f"Choose another output file, such as {another}.")
    if output.suffix.lower() != ".xlsx":
        workbook = output.with_name(f"{output.stem or word}.xlsx")
        pdf = (f" For a PDF as well, kpi-xl export --pdf writes {workbook.with_suffix('.pdf')} beside it."
               if output.suffix.lower() == ".pdf" else "")
        raise RefusedOutput(f"{output}: the {what} is an Excel workbook, so its name must end in .xlsx, "
                            f"such as {workbook}.{pdf}")
    if output.is_file() and looks_like_raw_workbook(output):
        raise RefusedOutput(f"{output}: this file has Indicators and Data sheets, so it looks like a raw workbook, "
                            f"not a {what}; it was not replaced. Choose another output file, such as {another}.")


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file: through links and any spelling, and without
    regard to case where the file system ignores it."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): compare the spelled-out paths
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


RAW_SHEETS = {"indicators", "data"}


def looks_like_raw_workbook(path: Path) -> bool:
    """True when ``path`` is an xlsx with ``Indicators`` and ``Data`` sheets (names as the
    reader matches them: any case and spacing)."""
    from xml.parsers.expat import ExpatError, ParserCreate  # noqa: PLC0415  (not ElementTree: 4 ms to load)

    names = set()

    def element(tag: str, attrs: dict) -> None:
        if tag.endswith("}sheet"):  # a <sheet> in a namespace: "namespace}sheet"
            names.add(" ".join(str(attrs.get("name", "")).split()).lower())

    parser = ParserCreate(namespace_separator="}")
    parser.StartElementHandler = element
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 10 * 1024 * 1024:
                return False  # no workbook list is this big; not one of ours to judge
            parser.Parse(zf.read(info), True)
    except (OSError, KeyError, zipfile.BadZipFile, ExpatError, EOFError):
        return False
    return RAW_SHEETS <= names


@dataclass(frozen=True)
class FileState:
    """What a file looked like when a run read it: enough to tell that it was saved since."""

    mtime_ns: int | None  # None: there was no file
    size: int | None
    inode: int | None


def file_state(path: Path) -> FileState:
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return FileState(None, None, None)
    return FileState(st.st_mtime_ns, st.st_size, st.st_ino)


class TargetChanged(CannotRun):
    """The target was saved (by a person) after the run read it; it was not replaced."""


# -- atomic write ------------------------------------------------------------------

def temp_path(target: Path) -> Path:
    """The hidden temporary file a run writes before replacing ``target``.

    Same folder as the target (so ``os.replace`` is one rename on one volume), named
    ``.~kpi-xl-<target name>.<pid>.tmp``. Its suffix is not ``.xlsx``: to open it with
    openpyxl, pass a file object (``load_workbook(open(tmp, "rb"))``) or use ``verify_xlsx``.
    """
    target = Path(target)
    return target.with_name(f"{TEMP_PREFIX}{target.name}.{os.getpid()}.tmp")


def atomic_write(target: Path, write: Callable[[Path], None],
                 verify: Callable[[Path], None] | None = None, keep: int = 0,
                 unchanged_since: FileState | None = None) -> Path:
    """Write ``target`` all or nothing.

    ``write(tmp)`` writes the new file to a temporary path beside ``target``; it is
    flushed to disk, then ``verify(tmp)`` (if given) re-opens it and raises if it is not
    right. Only then, if ``keep > 0``, the current target is copied into ``versions/``
    beside it (the newest ``keep`` copies are kept), and the temporary file replaces the
    target in one step. With ``unchanged_since`` (the target's ``file_state`` when its
    commentary was read), a target saved since then is never replaced: ``TargetChanged``.
    On any exception, KeyboardInterrupt included, the temporary file is removed, the
    target is left byte for byte as it was, and the exception propagates; a failure of
    the operating system (disk full, no permission) as ``CannotRun`` naming ``target``.
    Returns ``target``.
    """
    target = Path(target)
    if not target.parent.is_dir():
        raise CannotRun(f"{target.parent}: no such folder. Create it, or choose another output path.")
    if target.is_dir():
        raise CannotRun(f"{target}: is a folder. Give a file name such as {target / 'scorecard.xlsx'}.")
    tmp = temp_path(target)
    with failures_named(target):
        try:
            _remove(tmp)  # a leftover from an earlier run of a process with the same id
            write(tmp)
            if not tmp.is_file():
                raise CannotRun(f"{target.name}: the writer produced no file. This is a bug in kpi_xl; "
                                "the previous file was left as it was.")
            _fsync_file(tmp)
            if verify is not None:
                verify(tmp)
            if unchanged_since is not None and file_state(target) != unchanged_since:
                raise TargetChanged(f"{target}: someone saved it while this run was working; it was not replaced.")
            if keep > 0 and target.is_file():
                keep_version(target, keep, new=tmp)
            os.replace(tmp, target)
        except BaseException:
            _remove(tmp)
            raise
    _fsync_dir(target.parent)
    return target


#: A new file this size or smaller, of this many parts or more, is checked half here and half
#: by a second process forked for it (``alongside``: a small process forks in a millisecond);
#: a larger one all here (a late fork of a large process would copy the pages either one touched).
CHECK_ALONGSIDE_BYTES = 2 << 20
CHECK_ALONGSIDE_PARTS = 40
KEPT = "it was not used and the previous file was kept."


def verify_xlsx(path: Path, parsed: Collection[str] = ()) -> None:
    """Raise ``CannotRun`` unless ``path`` is a complete xlsx: a sound zip (every part's
    checksum right) holding a workbook, every XML part well formed, and every part a
    relationship names present. One streaming pass over each part, standard library only
    (no tree is built, nothing is parsed twice). ``parsed``: parts the process that wrote
    them has already parsed (``write_xlsx(parsed=)``), read here only to their checksums.
    A small file's parts are shared with a second process (``CHECK_ALONGSIDE_BYTES``)."""
    from xml.parsers.expat import ExpatError  # noqa: PLC0415

    from ..alongside import Alongside  # noqa: PLC0415

    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            missing = {"[Content_Types].xml", "xl/workbook.xml"} - names
            if missing:
                raise CannotRun(f"{path.name}: the new workbook has no {', '.join(sorted(missing))}; {KEPT}")
            here, there = _shared(zf, parsed, path.stat().st_size)
            with Alongside(_check_parts, path, there, names, parsed) if there else nullcontext() as other:
                _check_parts(zf, here, names, parsed)
                if there:
                    other.result()  # (its error, should it find one, raised here: the parts checked again here)
    except ExpatError as exc:
        raise CannotRun(f"{path.name}: the new workbook has malformed XML ({exc}); {KEPT}") from exc
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise CannotRun(f"{path.name}: the new workbook is not a complete xlsx ({exc}); {KEPT}") from exc


def _shared(zf: zipfile.ZipFile, parsed: Collection[str], size: int) -> tuple[list[str], list[str]]:
    """The parts to check here and those for a second process (none, for a large file or a
    few parts): the largest first, each to the side with less to do, a part read only to
    its checksum counted at a quarter of one parsed as well."""
    infos = sorted(zf.infolist(), key=lambda info: (-info.file_size, info.filename))
    if size > CHECK_ALONGSIDE_BYTES or len(infos) < CHECK_ALONGSIDE_PARTS:
        return sorted(info.filename for info in infos), []
    sides: tuple[list[str], list[str]] = ([], [])
    work = [0, 0]
    for info in infos:
        side = 0 if work[0] <= work[1] else 1
        sides[side].append(info.filename)
        work[side] += info.file_size // 4 if info.filename in parsed else info.file_size
    return sorted(sides[0]), sorted(sides[1])


def _check_parts(book: zipfile.ZipFile | Path, parts: list[str], names: set[str], parsed: Collection[str]) -> None:
    """Check each of ``parts`` (``_read_part``); ``book``: the open zip, or its path."""
    with zipfile.ZipFile(book) if isinstance(book, Path) else nullcontext(book) as zf:
        for name in parts:
            named = _read_part(zf, name, parse=name not in parsed)
            absent = sorted(named - names)
            if absent:
                raise CannotRun(f"{Path(zf.filename).name}: the new workbook's part {name} names {absent[0]}, "
                                f"which is not in the file; {KEPT}")


def _read_part(zf: zipfile.ZipFile, name: str, parse: bool = True) -> set[str]:
    """Read one part to its end (zipfile checks its CRC there, raising ``BadZipFile``),
    checking an XML part is well formed (unless not ``parse``). Returns the parts a
    relationships part names."""
    import posixpath  # noqa: PLC0415
    from xml.parsers.expat import ParserCreate  # noqa: PLC0415

    xml = name.endswith(".rels") or parse and name.endswith((".xml", ".vml"))
    parser = ParserCreate() if xml else None
    named: set[str] = set()
    if name.endswith(".rels"):
        folder = posixpath.dirname(posixpath.dirname(name))  # xl/_rels/workbook.xml.rels: relative to xl/

        def relationship(tag, attrs):
            target = attrs.get("Target")
            if tag.endswith("Relationship") and target and attrs.get("TargetMode") != "External":
                named.add(posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                             else posixpath.join(folder, target)))
        parser.StartElementHandler = relationship
    with zf.open(name) as member:
        while chunk := member.read(1 << 20):
            if parser is not None:
                parser.Parse(chunk, False)
    if parser is not None:
        parser.Parse(b"", True)
    return named


# -- reproducible output -----------------------------------------------------------

def document_date(period_year: int, period_month: int) -> dt.datetime:
    """The workbook's created/modified date: the first day of the month after the
    reporting period, 00:00 (naive; read as UTC). The same inputs give the same bytes."""
    if not 1 <= period_month <= 12:
        raise ValueError(f"month {period_month} is not 1-12")
    year, month = (period_year + 1, 1) if period_month == 12 else (period_year, period_month + 1)
    return dt.datetime(year, month, 1)
