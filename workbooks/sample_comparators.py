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

# Benchmarks: ILLUSTRATIVE figures, not published ones. They are made up, in the range such
# figures take, to show how comparators appear in a scorecard; the sheet says so above its
# header and in every row's Source. Annual, for the year before the report (published
# benchmarks are a year behind): 2012/13 for the February 2014 report, 2018/19 for January 2020.
ILLUSTRATIVE = "Illustrative figures, not published benchmarks: made up for this sample workbook."
SOURCE = "Illustrative (not a published figure)"

# ID, year, England (value, quartile 1, median, quartile 3), London, statistical neighbours
BENCHMARKS_000 = [
    ("CRA 4", "2012/13", (0.249, 0.19, 0.235, 0.28), 0.175, 0.19),
    ("CRA 7", "2012/13", (0.75, 0.68, 0.76, 0.84), 0.72, 0.70),
    ("CP 2", "2012/13", (37.9, 30, 37, 46), 37.0, 45.0),
    ("CP 7", "2012/13", (0.149, 0.11, 0.14, 0.18), 0.13, 0.135),
    ("LAC 2", "2012/13", (60, None, None, None), 55, 70),
    ("MS 2", "2012/13", (0.11, 0.09, 0.11, 0.13), 0.115, 0.12),
    ("MS 3", "2012/13", (0.67, 0.62, 0.67, 0.71), 0.65, 0.66),
    ("CL 1", "2012/13", (0.58, 0.52, 0.58, 0.64), 0.60, 0.57),
]
BENCHMARKS_002 = [
    ("FD 8", "2018/19", (0.226, 0.18, 0.22, 0.26), 0.179, 0.205),
    ("AMT 2", "2018/19", (0.827, 0.77, 0.85, 0.92), 0.84, 0.801),
    ("CP 12", "2018/19", (0.916, 0.89, 0.94, 0.98), 0.92, 0.93),
    ("CLA 16", "2018/19", (0.90, 0.86, 0.91, 0.95), 0.89, 0.88),
    ("CLA 27", "2018/19", (0.87, 0.81, 0.88, 0.93), 0.82, 0.84),
    ("CLA 28", "2018/19", (0.85, 0.77, 0.86, 0.92), 0.84, 0.83),
    ("CL 1a", "2018/19", (0.52, 0.47, 0.53, 0.58), 0.55, 0.53),
    ("CL 3a", "2018/19", (0.85, 0.80, 0.86, 0.90), 0.84, 0.86),
    ("P1", "2018/19", (0.16, 0.10, 0.16, 0.23), 0.217, 0.24),
    ("W 1", "2018/19", (16.9, 14.5, 16.5, 18.5), 16.0, 16.4),
]
BENCHMARK_HEADER = ["ID", "Comparator", "Period", "Value", "Quartile 1", "Median", "Quartile 3", "Source"]


def benchmark_rows(table) -> list[list]:
    """One row per indicator and comparator: England (with its quartiles), London, statistical neighbours."""
    rows = []
    for ind_id, period, (england, q1, median, q3), london, neighbours in table:
        rows.append([ind_id, "England", period, england, q1, median, q3, SOURCE])
        rows.append([ind_id, "London", period, london, None, None, None, SOURCE])
        rows.append([ind_id, "Statistical neighbours", period, neighbours, None, None, None, SOURCE])
    return rows
