"""What every part of a safe run shares: the names of its files beside the target, and
writing them so that a failure names the target and leaves nothing half-done behind."""
from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path

from ..errors import CannotRun, InputError, KpiError, Problem

LOGGER_NAME = "kpi_xl"


class _Logger:
    """The ``kpi_xl`` logger (``logging.getLogger(LOGGER_NAME)``), looked up when a run first
    logs: a run with nothing to warn about does not import logging (6 ms of every run)."""

    def __getattr__(self, name: str):
        import logging  # noqa: PLC0415

        return getattr(logging.getLogger(LOGGER_NAME), name)


log = _Logger()

TEMP_PREFIX = ".~kpi-xl-"
LOCK_SUFFIX = ".kpi-xl.lock"
VERSIONS_FOLDER = "versions"
STALE_LOCK_SECONDS = 2 * 60 * 60
#: A lock or temporary file this old whose run cannot be told (an empty lock, a temporary
#: file of a process that may be on another computer) is a leftover: every write takes seconds.
GRACE_SECONDS = 60


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


def read_config(path: Path, example: str) -> dict:
    """A TOML config file (a schedule's, a roll-up's) as a dict; an ``InputError`` naming the
    file when it is missing (with ``example`` to copy) or is not valid TOML."""
    if not path.is_file():
        raise InputError(Problem(str(path), "config file not found.", f"Write one like this:\n{example}"))
    import tomllib  # noqa: PLC0415  (here: validate and evaluate, which log through this module, read no config)

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(Problem(str(path), f"is not valid TOML ({exc}).", "Fix the line named.")) from exc
