"""One exception root for everything kpi_xl reports to a person.

Exit codes (documented in the README):
    0  the scorecard was written (warnings may have been printed)
    1  the raw workbook (or a template) has problems: nothing was written
    2  kpi_xl could not run (missing file, no permission, LibreOffice missing ...)
    3  the target was open in Excel, so the scorecard was written beside it
    4  another kpi-xl run holds the lock on the same target
"""
from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_CANNOT_RUN = 2
EXIT_WROTE_BESIDE = 3
EXIT_LOCKED = 4


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in the user's workbook.

    ``where`` is a sheet-and-cell reference such as ``Data!C14`` (or just a sheet
    name); ``fix`` says what to type instead.
    """

    where: str
    message: str
    fix: str = ""
    severity: str = "error"  # "error" stops the build, "warning" does not
    count: int = 1  # how many problems this entry stands for: more only on "... and N more" lines

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        if self.fix:
            text += f" {self.fix}"
        return text

    @property
    def sheet(self) -> str:
        return self.where.split("!", 1)[0].strip("'")

    @property
    def cell(self) -> str:
        return self.where.split("!", 1)[1] if "!" in self.where else ""


def tally(problems: list[Problem]) -> tuple[int, int]:
    """(errors, warnings) found, counting the ones an "... and N more" line stands for."""
    errors = sum(p.count for p in problems if p.severity == "error")
    return errors, sum(p.count for p in problems) - errors


class KpiError(Exception):
    """Root of all errors kpi_xl reports to a person; the message says what to do."""

    exit_code = EXIT_CANNOT_RUN


class InputError(KpiError):
    """The user's workbook (or template) has problems; ``problems`` lists them all."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[Problem] | Problem | str, source: str = ""):
        if isinstance(problems, str):
            problems = [Problem(source or "input", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.source = source
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{source}: " if source else ""
        total = tally(errors)[0]
        lines = [f"{head}{total:,} problem{'s' if total != 1 else ''} to fix:"]
        lines += [f"  {p}" for p in errors]
        super().__init__("\n".join(lines))


class CannotRun(KpiError):
    """kpi_xl could not run: a file is missing, unreadable, or a tool is absent."""

    exit_code = EXIT_CANNOT_RUN


class TargetLocked(KpiError):
    """Another kpi-xl run is regenerating the same target right now."""

    exit_code = EXIT_LOCKED
