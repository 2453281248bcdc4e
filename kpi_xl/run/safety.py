"""Writing the shared scorecard safely: atomic replace, kept versions, Excel detection, a run lock.

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
import errno
import json
import logging
import os
import re
import shutil
import socket
import sys
import uuid
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import EXIT_INPUT, CannotRun, KpiError, TargetLocked

LOGGER_NAME = "kpi_xl"
log = logging.getLogger(LOGGER_NAME)

TEMP_PREFIX = ".~kpi-xl-"
LOCK_SUFFIX = ".kpi-xl.lock"
VERSIONS_FOLDER = "versions"
STALE_LOCK_SECONDS = 2 * 60 * 60
#: A lock or temporary file this old whose run cannot be told (an empty lock, a temporary
#: file of a process that may be on another computer) is a leftover: every write takes seconds.
GRACE_SECONDS = 60


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
    from xml.etree.ElementTree import ParseError, fromstring  # noqa: PLC0415

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 10 * 1024 * 1024:
                return False  # no workbook list is this big; not one of ours to judge
            root = fromstring(zf.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ParseError, EOFError):
        return False
    names = {" ".join(str(el.get("name", "")).split()).lower() for el in root.iter() if el.tag.endswith("}sheet")}
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


def write_failure(target: Path, exc: OSError) -> CannotRun:
    """A failed write, told about the file the person asked for (never a temporary or
    lock file beside it) and what to do."""
    target = Path(target)
    folder = Path(os.path.abspath(target)).parent
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        text = (f"{target}: the disk is full ({exc.strerror or 'no space left'} in {folder}). Free some space "
                "there or choose another folder, then run again.")
    elif isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        text = (f"{target}: not allowed to write it ({exc.strerror or 'permission denied'}). Check that you may "
                f"save files in {folder} and that the file is not read-only, or choose another output path.")
    elif isinstance(exc, FileNotFoundError):
        text = f"{target}: the folder {folder} does not exist. Create it, or choose another output path."
    else:
        text = f"{target}: could not write it ({exc.strerror or exc})."
    return CannotRun(text + " Nothing was replaced.")


@contextmanager
def failures_named(target: Path):
    """Report a failure of the operating system inside the block (disk full, no
    permission) as ``CannotRun`` naming ``target`` and what to do."""
    try:
        yield
    except KpiError:
        raise
    except Exception as exc:
        failure = os_error_in(exc)
        if failure is None:
            raise
        raise write_failure(target, failure) from exc


def os_error_in(exc: BaseException) -> OSError | None:
    """The operating system's error behind ``exc``: itself, or the one a library wrapped
    (XlsxWriter raises ``FileCreateError(OSError)`` from ``Workbook.close``)."""
    for candidate in (exc, exc.args[0] if exc.args else None, exc.__cause__):
        if isinstance(candidate, OSError):
            return candidate
    return None


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


def verify_xlsx(path: Path) -> None:
    """Raise ``CannotRun`` unless ``path`` is a complete xlsx: a sound zip (every part's
    checksum right) holding a workbook, every XML part well formed, and every part a
    relationship names present. One streaming pass over each part, standard library only
    (no tree is built, nothing is parsed twice)."""
    from xml.parsers.expat import ExpatError  # noqa: PLC0415

    path = Path(path)
    kept = "it was not used and the previous file was kept."
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            missing = {"[Content_Types].xml", "xl/workbook.xml"} - names
            if missing:
                raise CannotRun(f"{path.name}: the new workbook has no {', '.join(sorted(missing))}; {kept}")
            for name in sorted(names):
                named = _read_part(zf, name)
                absent = sorted(named - names)
                if absent:
                    raise CannotRun(f"{path.name}: the new workbook's part {name} names {absent[0]}, which is "
                                    f"not in the file; {kept}")
    except ExpatError as exc:
        raise CannotRun(f"{path.name}: the new workbook has malformed XML ({exc}); {kept}") from exc
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise CannotRun(f"{path.name}: the new workbook is not a complete xlsx ({exc}); {kept}") from exc


def _read_part(zf: zipfile.ZipFile, name: str) -> set[str]:
    """Read one part to its end (zipfile checks its CRC there, raising ``BadZipFile``),
    checking an XML part is well formed. Returns the parts a relationships part names."""
    import posixpath  # noqa: PLC0415
    from xml.parsers.expat import ParserCreate  # noqa: PLC0415

    xml = name.endswith((".xml", ".rels", ".vml"))
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


_VERSION_RE = r"\.(\d{8}-\d{6})(?:-(\d+))?"


def keep_version(target: Path, keep: int, new: Path | None = None) -> Path | None:
    """Copy ``target`` into ``versions/<stem>.<YYYYmmdd-HHMMSS><suffix>`` beside it (the
    time is when that version was written), then delete all but the newest ``keep``
    copies. Returns the copy. Only files named by this pattern are ever deleted.

    A version is kept only when it is new history: nothing is copied when the file
    about to replace ``target`` (``new``) has the same bytes (an unchanged run), or when
    ``target`` has the same bytes as the newest kept copy, so unchanged runs never push
    real earlier versions out. Returns ``None`` when nothing needed keeping."""
    target = Path(target)
    if keep <= 0 or not target.is_file():
        return None
    if new is not None and _same_bytes(Path(new), target):
        return None
    kept = versions(target)
    copy = kept[-1] if kept and _same_bytes(kept[-1], target) else _copy_version(target)
    for old in versions(target)[:-keep]:
        _remove(old)
    return copy


def _copy_version(target: Path) -> Path:
    """Copy ``target`` into ``versions/`` under a name not yet taken (or the same-second
    copy that already holds its bytes)."""
    folder = target.parent / VERSIONS_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    copy = folder / f"{target.stem}.{stamp}{target.suffix}"
    n = 1
    while copy.exists():
        if _same_bytes(copy, target):
            return copy
        n += 1
        copy = folder / f"{target.stem}.{stamp}-{n}{target.suffix}"
    partial = folder / f"{TEMP_PREFIX}{copy.name}.{os.getpid()}.tmp"
    try:
        shutil.copy2(target, partial)
        os.replace(partial, copy)
    except BaseException:
        _remove(partial)
        raise
    return copy


def versions(target: Path) -> list[Path]:
    """The kept copies of ``target``, oldest first."""
    target = Path(target)
    folder = target.parent / VERSIONS_FOLDER
    if not folder.is_dir():
        return []
    pattern = re.compile(re.escape(target.stem) + _VERSION_RE + re.escape(target.suffix) + r"\Z")
    found = []
    for path in folder.iterdir():
        m = pattern.match(path.name)
        if m:
            found.append(((m.group(1), int(m.group(2) or 1)), path))
    return [p for _, p in sorted(found)]


def clean_stale_temps(target: Path, older_than: float = GRACE_SECONDS) -> list[Path]:
    """Delete the temporary files that runs killed while writing ``target`` left behind:
    beside it (for the target and for its "regenerated" names) and in ``versions/``.

    Call it while holding the ``RunLock`` on ``target``: every run writing these files
    holds that lock, so a temporary file of another process is a leftover once that
    process has gone from this computer or the file is ``older_than`` seconds old (the
    process may have been on another computer). Returns what was removed.
    """
    target = Path(target)
    stem, suffix = glob_escape(target.stem), glob_escape(target.suffix)
    patterns = [(target.parent, f"{TEMP_PREFIX}{stem}{suffix}.*.tmp"),
                (target.parent, f"{TEMP_PREFIX}{stem} (regenerated *){suffix}.*.tmp"),
                (target.parent / VERSIONS_FOLDER, f"{TEMP_PREFIX}{stem}.*{suffix}.*.tmp")]
    removed = []
    now = dt.datetime.now().timestamp()
    for folder, pattern in patterns:
        for path in folder.glob(pattern) if folder.is_dir() else []:
            pid = path.name[:-len(".tmp")].rsplit(".", 1)[-1]
            if pid == str(os.getpid()):
                continue
            try:
                if (pid.isdigit() and not pid_alive(int(pid))) or now - path.stat().st_mtime > older_than:
                    path.unlink()
                    removed.append(path)
                    log.info("removed %s, left by a run that was stopped", path)
            except OSError:
                pass
    return removed


def glob_escape(text: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", text)


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:  # never hide the original failure behind a clean-up failure
        log.warning("could not remove temporary file %s: %s", path, exc)


def _fsync_file(path: Path) -> None:
    # "ab" rather than "rb": Windows needs a handle open for writing to flush it.
    with open(path, "ab") as handle:
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some network file systems refuse; the rename itself is still atomic
    finally:
        os.close(fd)


# -- a target open in Excel --------------------------------------------------------

def owner_files(target: Path) -> list[Path]:
    """Where Excel puts its owner (lock) file for ``target``: ``~$<name>``, or for a long
    name ``~$`` plus the name without its first two characters."""
    target = Path(target)
    names = [f"~${target.name}"]
    if len(target.stem) > 2:
        names.append(f"~${target.name[2:]}")
    return [target.with_name(n) for n in names]


def excel_owner(target: Path) -> Path | None:
    """The owner file showing ``target`` is open in Excel, or ``None``."""
    return next((p for p in owner_files(target) if p.is_file()), None)


def owner_name(owner_file: Path) -> str | None:
    """Best effort: the user name Excel writes at the start of its owner file."""
    try:
        data = Path(owner_file).read_bytes()[:165]
        size = data[0]
        name = data[1:1 + size].decode("latin-1").strip()
        return name if name and name.isprintable() else None
    except (OSError, IndexError):
        return None


def open_in_excel(target: Path) -> bool:
    """True when ``target`` is open in Excel: its ``~$`` owner file exists beside it, or
    (on Windows) another program holds it so it cannot be opened for writing."""
    target = Path(target)
    if excel_owner(target) is not None:
        return True
    if os.name == "nt" and target.is_file():
        try:
            # Opening for append writes nothing and leaves the file as it was; Excel
            # opens workbooks denying write to others, so this fails while it is open.
            with open(target, "ab"):
                pass
        except PermissionError:
            return True
        except OSError:
            return False
    return False


def beside_name(target: Path, now: dt.datetime | None = None) -> Path:
    """``Scorecard (regenerated 2026-11-22 0300).xlsx``: where a run writes when the
    target is open in Excel."""
    target = Path(target)
    now = now or dt.datetime.now()
    return target.with_name(f"{target.stem} (regenerated {now:%Y-%m-%d %H%M}){target.suffix}")


# -- the run lock ------------------------------------------------------------------

def lock_path(target: Path) -> Path:
    target = Path(target)
    return target.with_name(target.name + LOCK_SUFFIX)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this computer. (On Windows ``os.kill(pid, 0)``
    would terminate it, so the process is queried instead.)"""
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes  # noqa: PLC0415

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class RunLock:
    """Refuse to regenerate the same target twice at once.

    ``with RunLock(target):`` creates ``<target>.kpi-xl.lock`` atomically (``O_CREAT |
    O_EXCL``) holding ``{pid, host, started}``. A lock left by a run that died (its
    process is gone on this computer) or older than ``stale_after`` seconds is taken
    over with a warning; any other lock raises ``TargetLocked`` (exit code 4).
    The lock file is removed on exit, unless another run has since taken it over.
    """

    def __init__(self, target: Path, stale_after: float = STALE_LOCK_SECONDS,
                 now: Callable[[], dt.datetime] = dt.datetime.now):
        self.target = Path(target)
        self.path = lock_path(self.target)
        self.stale_after = stale_after
        self._now = now
        self.token = uuid.uuid4().hex
        self.held = False
        self.took_over: str | None = None  # what was taken over, for the log

    # the lock file's contents
    def _record(self) -> dict:
        return {"pid": os.getpid(), "host": socket.gethostname(),
                "started": self._now().isoformat(timespec="seconds"), "token": self.token,
                "target": str(self.target)}

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:
            raise write_failure(self.target, exc) from exc
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self._record(), handle)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException as exc:
            _remove(self.path)  # never leave an empty lock that blocks the next runs
            if isinstance(exc, OSError):
                raise write_failure(self.target, exc) from exc
            raise
        return True

    def _read(self) -> tuple[dict, str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}, ""
        except OSError:
            return {}, ""
        try:
            data = json.loads(text)
            return (data if isinstance(data, dict) else {}), text
        except ValueError:
            return {}, text  # half-written by a run killed while taking the lock

    def _started(self, info: dict) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(str(info["started"]))
        except (KeyError, ValueError):
            try:
                return dt.datetime.fromtimestamp(self.path.stat().st_mtime)
            except OSError:
                return None

    def stale_reason(self, info: dict) -> str | None:
        """Why the lock described by ``info`` may be taken over, or ``None`` if it is live."""
        if not info:  # empty or unreadable: a run is writing it this instant, or failed to
            try:
                age = self._now().timestamp() - self.path.stat().st_mtime
            except OSError:
                return "the lock file is unreadable"
            if age > GRACE_SECONDS:
                return (f"the lock file is empty or unreadable and {_duration(age)} old "
                        "(left by a run that failed while taking it)")
            return None
        started = self._started(info)
        if started is not None:
            age = (self._now() - started).total_seconds()
            if age > self.stale_after:
                return f"it is {_duration(age)} old (locks older than {_duration(self.stale_after)} are stale)"
        pid, host = info.get("pid"), info.get("host")
        if isinstance(pid, int) and host == socket.gethostname() and not pid_alive(pid):
            return f"process {pid} on {host} is no longer running"
        return None

    def acquire(self) -> "RunLock":
        for _ in range(3):
            if self._create():
                self.held = True
                return self
            info, text = self._read()
            if not text and not self.path.exists():
                continue  # released between our two looks: try again
            reason = self.stale_reason(info)
            if reason is None:
                raise TargetLocked(self._held_message(info))
            if self._take_over(text):
                whose = (f" from pid {info.get('pid', '?')} on {info.get('host', '?')} "
                         f"(started {info.get('started', '?')})" if info else "")
                self.took_over = f"took over the lock {self.path.name}{whose}: {reason}"
                log.warning("%s", self.took_over)
        raise TargetLocked(self._held_message(self._read()[0]))

    def _take_over(self, seen_text: str) -> bool:
        """Move the stale lock aside, making sure it is the one we judged stale."""
        aside = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}-{self.token[:8]}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return True  # someone else removed it; just try to create ours
        except OSError:
            return False
        try:
            moved = aside.read_text(encoding="utf-8")
        except OSError:
            moved = seen_text
        if moved != seen_text:
            # another run replaced it between our look and the move: put it back
            if not self.path.exists():
                try:
                    os.replace(aside, self.path)
                except OSError:
                    pass
            return False
        _remove(aside)
        return True

    def _held_message(self, info: dict) -> str:
        if not info:
            return (f"{self.target.name}: another kpi-xl run is starting on it (its lock file {self.path} is not "
                    f"written yet). Try again in a minute; a lock left empty is ignored after {GRACE_SECONDS} seconds.")
        started = self._started(info)
        since = started.strftime("%Y-%m-%d %H:%M") if started else "an unknown time"
        who = f"process {info.get('pid', '?')} on {info.get('host', '?')}"
        return (f"{self.target.name}: another kpi-xl run ({who}) has been regenerating it since {since}. "
                f"Wait for it to finish and try again. If no kpi-xl run is active, delete {self.path}.")

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        info, _ = self._read()
        if info.get("token") == self.token:
            _remove(self.path)
        else:
            log.warning("lock %s was taken over by another run; left in place", self.path)

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{seconds // 60} minutes"
    return f"{seconds / 3600:.1f} hours"


# -- reproducible output -----------------------------------------------------------

def document_date(period_year: int, period_month: int) -> dt.datetime:
    """The workbook's created/modified date: the first day of the month after the
    reporting period, 00:00 (naive; read as UTC). The same inputs give the same bytes."""
    if not 1 <= period_month <= 12:
        raise ValueError(f"month {period_month} is not 1-12")
    year, month = (period_year + 1, 1) if period_month == 12 else (period_year, period_month + 1)
    return dt.datetime(year, month, 1)


# -- logging for the scheduled job -------------------------------------------------

class _OneLine(logging.Formatter):
    """Every event on one line, so a log file reads one run event per line."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return " | ".join(part for part in text.splitlines() if part.strip())


def setup_logging(log_file: Path | None = None, level: int = logging.INFO) -> logging.Logger:
    """The ``kpi_xl`` logger: one timestamped line per event to standard error and, when
    given, appended to ``log_file`` (its folder is created). Calling it again replaces
    the handlers it added before."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in [h for h in logger.handlers if getattr(h, "_kpi_xl", False)]:
        logger.removeHandler(handler)
        handler.close()
    formatter = _OneLine("%(asctime)s %(levelname)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file = Path(log_file)
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handlers.append(logging.FileHandler(log_file, mode="a", encoding="utf-8"))
        except OSError as exc:
            raise CannotRun(f"{log_file}: cannot write the log file ({exc.strerror}). "
                            "Choose a folder you may write to.") from exc
    for handler in handlers:
        handler.setFormatter(formatter)
        handler._kpi_xl = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger
