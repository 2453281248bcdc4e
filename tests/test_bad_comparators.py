"""Broken Targets and Benchmarks sheets, in the style of the bad-input corpus
(tests/make_bad_inputs.py): each workbook is the corpus's small valid one plus one fault, and
gives exactly its expected problems, each naming its cell and saying what to type, and the
right exit code from ``kpi-xl validate``."""
from __future__ import annotations

import pytest

import make_bad_inputs as corpus
from kpi_xl.cli import main
from kpi_xl.errors import EXIT_INPUT, EXIT_OK
from kpi_xl.rate.validate import validate_workbook

TARGETS = ["ID", "Period", "Target"]
BENCHMARKS = ["ID", "Comparator", "Period", "Value", "Quartile 1", "Median", "Quartile 3", "Source"]


def with_sheet(name, header, *rows):
    def make(wb):
        ws = wb.create_sheet(name)
        for row in (header, *rows):
            ws.append(list(row))
    return make


def with_target_source(source):
    def make(wb):
        wb["Indicators"]["G1"] = "Target source"
        wb["Indicators"]["G2"] = source
        with_sheet("Benchmarks", BENCHMARKS, ["CP1", "England", "2024/25", 0.85])(wb)
    return make


# (name, make, errors, warnings): (where, part of the message); the base workbook reports Nov-25
CASES = [
    ("targets_ok", with_sheet("Targets", TARGETS, ["CP1", "Nov-25", 0.9], ["CP1", "Mar-26", 0.92]), [], []),
    ("targets_unknown_id", with_sheet("Targets", TARGETS, ["CP 1", "Dec-25", 0.9]),
     [("Targets!A2", "ID 'CP 1' is not on the Indicators sheet")], []),
    ("targets_unreadable_period", with_sheet("Targets", TARGETS, ["CP1", "Smarch 25", 0.9]),
     [("Targets!B2", "period 'Smarch 25' is not a month kpi_xl can read")], []),
    ("targets_text_target", with_sheet("Targets", TARGETS, ["LAC3", "Dec-25", "soon"]),
     [("Targets!C2", "LAC3 Target 'soon' is not a number")], []),
    ("targets_wide_bad_heading", with_sheet("Targets", ["ID", "Oct-25", "Nov 2O25"], ["LAC3", 430, 426]),
     [("Targets!C1", "column heading 'Nov 2O25' is not a month")], []),
    ("benchmarks_ok", with_sheet("Benchmarks", BENCHMARKS, ["CP1", "England", "2024/25", 0.85, 0.8, 0.86, 0.9],
                                 ["LAC3", "Statistical neighbours", 2024, 440], ["CIN2", "Barnet", "Q2 2025/26", 1490]),
     [], []),
    ("benchmarks_unknown_id", with_sheet("Benchmarks", BENCHMARKS, ["CP 9", "England", "2024/25", 0.85]),
     [("Benchmarks!A2", "ID 'CP 9' is not on the Indicators sheet")], []),
    ("benchmarks_unknown_comparator", with_sheet("Benchmarks", BENCHMARKS, ["CP1", "Englnd", "2024/25", 0.85]),
     [("Benchmarks!B2", "comparator 'Englnd' is not recognised")], []),
    ("benchmarks_unreadable_period", with_sheet("Benchmarks", BENCHMARKS, ["CP1", "England", "2024/26", 0.85]),
     [("Benchmarks!C2", "period '2024/26' is not a year, quarter or month kpi_xl can read")], []),
    ("benchmarks_period_after_report", with_sheet("Benchmarks", BENCHMARKS, ["CP1", "England", "2025/26", 0.85]),
     [], [("Benchmarks!C2", "CP1 England figure is for 2025/26, which ends after the report month")]),
    ("benchmarks_quartiles_out_of_order",
     with_sheet("Benchmarks", BENCHMARKS, ["LAC3", "England", "2024/25", 450, 480, 460, 430]),
     [("Benchmarks!G2", "LAC3 England 2024/25 quartiles are out of order (480, 460, 430)")], []),
    ("benchmarks_duplicate", with_sheet("Benchmarks", BENCHMARKS, ["CP1", "England", "2024/25", 0.85],
                                        ["CP1", "england", "2024-25", 0.86]),
     [("Benchmarks!D3", "CP1 has a second England figure for 2024/25")], []),
    ("target_source_without_figures", with_target_source("London"),
     [("Indicators!G2", "Target source 'London' has no figures for CP1 on the Benchmarks sheet")], []),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("bad_comparators")
    paths = {}
    for name, make, _, _ in CASES:
        wb = corpus.base_workbook()
        make(wb)
        paths[name] = out / f"{name}.xlsx"
        corpus.save(wb, paths[name])
    return paths


@pytest.mark.parametrize("name,make,errors,warnings", CASES, ids=[c[0] for c in CASES])
def test_exact_problems(built, name, make, errors, warnings):
    problems = validate_workbook(built[name], today=corpus.TODAY)
    for severity, expected in (("error", errors), ("warning", warnings)):
        found = [p for p in problems if p.severity == severity]
        assert [p.where for p in found] == [w for w, _ in expected], [str(p) for p in found]
        for problem, (_, part) in zip(found, expected):
            assert part in problem.message, problem.message
            assert problem.fix and problem.message.endswith((".", "?")), str(problem)


@pytest.mark.parametrize("name,make,errors,warnings", CASES, ids=[c[0] for c in CASES])
def test_exit_code(built, name, make, errors, warnings, monkeypatch, capsys):
    import datetime as dt

    class Today(dt.date):
        @classmethod
        def today(cls):
            return corpus.TODAY

    monkeypatch.setattr("kpi_xl.read.reader.dt.date", Today)
    assert main(["validate", str(built[name])]) == (EXIT_INPUT if errors else EXIT_OK)
