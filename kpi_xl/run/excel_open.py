"""A target open in Excel: Excel's owner file beside it, and the dated name a run writes
to instead."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path


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
