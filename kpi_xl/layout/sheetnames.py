"""Sheet names Excel accepts: at most 31 characters (counted in UTF-16, so an emoji counts
two), none of ``[ ] : * ? / \\``, no apostrophe at either end, not ``History`` (Excel
keeps that name for its change history), and unique ignoring case."""
from __future__ import annotations

import unicodedata

MAX_LENGTH = 31  # UTF-16 code units, as Excel counts
FORBIDDEN = set("[]:*?/\\")
RESERVED = {"history"}


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def is_valid_sheet_name(name: str) -> bool:
    return (0 < utf16_length(name) <= MAX_LENGTH and not FORBIDDEN & set(name) and name == _trim(name)
            and name.casefold() not in RESERVED and not any(unicodedata.category(ch) == "Cc" for ch in name))


def safe_sheet_name(name: str, taken: set[str], fallback: str = "Section") -> str:
    """``name`` as a valid sheet name not in ``taken`` (compared ignoring case): forbidden
    and control characters made spaces, spaces and apostrophes trimmed from the ends, cut to
    31 UTF-16 units (never inside a character), then `` (2)``, `` (3)`` ... added while
    the name is taken or reserved."""
    used = {t.casefold() for t in taken} | RESERVED
    spaced = "".join(" " if ch in FORBIDDEN or unicodedata.category(ch) == "Cc" else ch for ch in name)
    base = _trim(" ".join(spaced.split())) or fallback
    candidate, n = _fit(base, MAX_LENGTH) or fallback, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = (_fit(base, MAX_LENGTH - len(suffix)) or fallback) + suffix
        n += 1
    return candidate


def _trim(text: str) -> str:
    """Without spaces or apostrophes at either end (Excel refuses a name that starts or ends with ')."""
    while text != (trimmed := text.strip().strip("'")):
        text = trimmed
    return text


def _fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 units, whole characters only (an emoji is never halved,
    nor left without the joiner or variation marks that follow it), then trimmed."""
    while utf16_length(text) > limit:
        text = text[:-1]
        while text and unicodedata.category(text[-1]) in ("Mn", "Me", "Cf"):  # marks and joiners
            text = text[:-1]
    return _trim(text)
