"""Earlier versions kept beside a scorecard (``versions/``), and the temporary files of
runs that were stopped, cleared away."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

from .files import GRACE_SECONDS, TEMP_PREFIX, VERSIONS_FOLDER, _remove, log
from .runlock import pid_alive


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
