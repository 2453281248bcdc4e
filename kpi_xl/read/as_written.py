"""The mark kpi_xl leaves on a scorecard it writes, and the check that it still holds.

kpi_xl gives every xlsx it writes (``write.xlsx_package``) a zip comment that lists its parts
as written: a digest of their names, sizes and CRC-32 checksums. Any program that saves the
workbook, Excel first, writes a new zip without it, and a part changed in place has another
size or checksum; so a file whose comment still matches is, part for part, as kpi_xl wrote
it (``run.carry`` then need not look for notes outside the answer boxes). Kept apart from the
reader so that writing a scorecard does not load it.
"""
from __future__ import annotations

import hashlib
import zipfile


def written_mark(entries: list[zipfile.ZipInfo]) -> bytes:
    """The comment kpi_xl gives a zip it writes (``xlsx_package``): a digest of its entries'
    names, sizes and CRC-32 checksums, as written (``as_written``)."""
    listing = "".join(f"{entry.filename}\t{entry.file_size}\t{entry.CRC:08x}\n" for entry in entries)
    return b"kpi_xl parts " + hashlib.sha256(listing.encode("utf-8")).hexdigest().encode("ascii")


def as_written(book: zipfile.ZipFile) -> bool:
    """Whether every part of ``book`` is as kpi_xl wrote it: its comment is still the
    ``written_mark`` of its entries. A program that saves the workbook (Excel first) writes a
    new zip with no such comment, and a part changed in place has another size or checksum."""
    return book.comment == written_mark(book.infolist())
