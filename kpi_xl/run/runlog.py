"""Logging for the scheduled job: one timestamped line per event."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from ..errors import CannotRun
from .files import LOGGER_NAME


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
