"""The Targets and Benchmarks sheets of the two sample workbooks (used by make_samples.py).

Targets: the 2014 report's "Haringey Target" row for children in care (LAC 1), Sep-13 to
Feb-14 as printed, and March 2014 at the printed year-end target (485). The months the report
does not print (April to August 2013) have no trajectory target, so they are rated against the
year-end target, and the reason says so.
"""
from __future__ import annotations

from datetime import date

TARGETS_000 = [("LAC 1", date(2013, 9, 1), 510), ("LAC 1", date(2013, 10, 1), 505),
               ("LAC 1", date(2013, 11, 1), 500), ("LAC 1", date(2013, 12, 1), 495),
               ("LAC 1", date(2014, 1, 1), 490), ("LAC 1", date(2014, 2, 1), 485),
               ("LAC 1", date(2014, 3, 1), 485)]
