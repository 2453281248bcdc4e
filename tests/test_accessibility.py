"""The accessibility checker (kpi_xl.run.accessibility, ``kpi-xl check-accessibility``):
a deliberately inaccessible workbook is reported with every problem, each naming its sheet
and cell; the scorecards kpi_xl writes (both templates, both samples) are reported clean."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName

from kpi_xl.cli import main
from kpi_xl.run.accessibility import check_accessibility

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("kpi_scorecard_jan2020", "monthly_monitoring_feb2014")
TEMPLATES = ("kpi-scorecard", "monthly-monitoring")
RATINGS = ("Green", "Amber", "Red", "Grey", "No data")


def inaccessible_workbook(path: Path) -> Path:
    """Everything the checker is for, wrong once: a merged header, a chart without alt text,
    red text on amber, a blank spacing row, a default sheet name, no title in A1, a hidden
    sheet, a colour-only conditional format, an arrow with no word, a coloured empty cell,
    an unnamed table, and no document title, subject, language or organisation."""
    wb = openpyxl.Workbook()
    ws = wb.active  # "Sheet": says nothing about what it holds
    ws["A2"] = "Performance"  # A1 left empty
    ws.append([])
    ws["A3"], ws["B3"] = "Indicator", "Figures"
    ws.merge_cells("B3:C3")  # a merged header over two columns
    ws["D3"] = "RAG"
    rows = [("Visits on time", 0.81, 0.9, "Amber"), ("Re-referrals", 0.22, 0.2, "Red"), None,
            ("Assessments", 0.95, 0.9, "")]
    for i, values in enumerate(rows, start=4):
        if values:
            for col, value in enumerate(values, start=1):
                ws.cell(i, col, value if value != "" else None)
    ws["D4"].font = Font(color="FFFF0000")  # red text on amber
    ws["D4"].fill = PatternFill("solid", fgColor="FFFFC000")
    ws["D7"].fill = PatternFill("solid", fgColor="FF00B050")  # a green cell with no word
    ws["E4"] = "\u25B2"
    ws["E4"].font = Font(color="FF00853E")  # an arrow that says "better" by colour only
    ws.conditional_formatting.add("B4:B7", CellIsRule(operator="lessThan", formula=["0.9"],
                                                      fill=PatternFill("solid", bgColor="FFC00000")))
    wb.defined_names["Indicators_table"] = DefinedName("Indicators_table", attr_text="Sheet!$A$3:$D$7")
    chart = LineChart()
    chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=7), titles_from_data=True)
    ws.add_chart(chart, "G3")
    for r, values in enumerate([("Month", "Visits", "Target"), ("Jan", 1, 2), ("Feb", 3, 4)], start=10):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)  # a grid of figures no table name covers
    hidden = wb.create_sheet("Workings")
    hidden["A1"] = "Workings"
    hidden.sheet_state = "hidden"
    wb.properties.title = None
    wb.properties.subject = None
    wb.properties.creator = None
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Path:
    return inaccessible_workbook(tmp_path_factory.mktemp("bad") / "inaccessible.xlsx")


@pytest.fixture(scope="module")
def bad_problems(bad) -> list[str]:
    return [str(p) for p in check_accessibility(bad)]


def found(problems: list[str], where: str, *words: str) -> bool:
    return any(p.startswith(where + ":") and all(w in p for w in words) for p in problems)


@pytest.mark.parametrize("where,words", [
    ("Document properties", ("no title",)),
    ("Document properties", ("no subject",)),
    ("Document properties", ("language", "en-GB")),
    ("Document properties", ("author organisation",)),
    ("Sheet", ("does not say what the sheet holds", "name it")),
    ("Sheet!A1", ("title",)),
    ("Workings", ("hidden", "Delete it")),
    ("Sheet!G3", ("chart", "no alternative text", "Edit Alt Text")),
    ("Sheet!B3:C3", ("merged", "inside the table 'Indicators_table'", "Center Across Selection")),
    ("Sheet!A6", ("row 6", "blank", "Delete the row")),
    ("Sheet!D4", ("#FF0000 on fill #FFC000", "4.5:1")),
    ("Sheet!D7", ("coloured #00B050 with no words",)),
    ("Sheet!E4", ("arrow", "colour alone", "better")),
    ("Sheet!B4:B7", ("conditional format", "only sign")),
    ("Sheet!A10", ("no name", "Insert > Table")),
])
def test_the_inaccessible_workbook_is_reported_with_every_problem(bad_problems, where, words):
    assert found(bad_problems, where, *words), "\n".join(bad_problems)


def test_a_merged_header_outside_any_named_table_is_still_reported(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "KPI table"
    ws.append(["KPI table"])
    ws.append(["Indicator", "Figures", None, "RAG"])
    ws.merge_cells("B2:C2")
    ws.append(["Visits", 1, 2, "Green"])
    wb.save(tmp_path / "t.xlsx")
    problems = [str(p) for p in check_accessibility(tmp_path / "t.xlsx")]
    assert found(problems, "'KPI table'!B2:C2", "shares its row with other cells"), problems


def test_generic_alt_text_is_reported(tmp_path):
    import xlsxwriter

    path = tmp_path / "chart.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Trends")
    ws.write_column("A1", ["Trends", 1, 2, 3])
    chart = book.add_chart({"type": "line"})
    chart.add_series({"values": "=Trends!$A$2:$A$4"})
    ws.insert_chart("C2", chart, {"description": "Chart 1"})
    book.close()
    problems = [str(p) for p in check_accessibility(path)]
    assert found(problems, "Trends!C2", "'Chart 1', which does not say what it shows"), problems


def test_the_command_lists_every_problem_and_exits_1(bad, capsys):
    assert main(["check-accessibility", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == len(check_accessibility(bad)) >= 15
    assert all(line.startswith("error: ") for line in out.splitlines())
    assert "accessibility problem(s)" in err


def test_the_command_names_a_missing_file_and_exits_2(tmp_path, capsys):
    assert main(["check-accessibility", str(tmp_path / "none.xlsx")]) == 2
    assert "none.xlsx: no such file" in capsys.readouterr().err


def test_the_command_refuses_a_file_that_is_not_a_workbook(tmp_path, capsys):
    (tmp_path / "notes.xlsx").write_text("Indicator,Value\n", encoding="utf-8")
    assert main(["check-accessibility", str(tmp_path / "notes.xlsx")]) == 1
    assert "notes.xlsx" in capsys.readouterr().err


# the scorecards kpi_xl writes ---------------------------------------------------------------
@pytest.fixture(scope="module")
def scorecards(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("scorecards")
    built = {}
    for sample in SAMPLES:
        for template in TEMPLATES:
            out = folder / f"{sample}-{template}.xlsx"
            assert main(["build", str(ROOT / "workbooks" / f"{sample}.xlsx"), "-o", str(out),
                         "--template", template, "-q"]) == 0
            built[sample, template] = out
    return built


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_scorecard_passes_every_rule(scorecards, sample, template):
    assert [str(p) for p in check_accessibility(scorecards[sample, template])] == []


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_tables_are_named_with_one_header_row_and_no_merged_cells(scorecards, sample, template):
    from kpi_xl.run.accessibility import find_tables

    book = openpyxl.load_workbook(scorecards[sample, template])
    table_sheets = [ws for ws in book.worksheets  # every sheet but those of charts, lists and commentary
                    if ws.title not in ("Trends", "Service commentary", "Overview of performance")]
    assert len(table_sheets) >= 3
    for ws in table_sheets:
        tables = find_tables(book, ws)
        assert tables, f"{ws.title}: no named table"
        for t in tables:
            header = [ws.cell(t.first_row, col) for col in range(t.first_col, t.last_col + 1)]
            assert all(isinstance(c.value, str) and c.value.strip() for c in header), (ws.title, t.name)
            assert all(c.font.bold for c in header), (ws.title, t.name)
            for merged in ws.merged_cells.ranges:  # merges only outside the tables (titles, notes, boxes)
                assert merged.max_row < t.first_row or merged.min_row > t.last_row, (ws.title, merged.coord)
        # the chart data, and the figures behind the SPC charts, are outside the printed pages
        if any(t.last_row - t.first_row > 20 for t in tables) and ws.title not in ("Chart data", "SPC charts"):
            assert ws.print_title_rows, f"{ws.title}: the header row is not repeated on printed pages"


@pytest.mark.parametrize("sample", SAMPLES)
def test_chart_alt_text_says_what_each_chart_shows(scorecards, sample):
    from zipfile import ZipFile

    from kpi_xl.api import evaluate_file
    from kpi_xl.run.accessibility import drawing_objects

    evaluation = evaluate_file(ROOT / "workbooks" / f"{sample}.xlsx")
    with ZipFile(scorecards[sample, "kpi-scorecard"]) as zf:
        charts = drawing_objects(zf)["Trends"]
    assert len(charts) >= 40
    results = {r.indicator.id: r for r in evaluation.results}
    for chart in charts:
        ind_id = next(i for i in results if chart.description.startswith(f"Line chart of {i} "))
        res = results[ind_id]
        text = chart.description
        assert res.indicator.title in text
        assert f"Latest figure {res.show_figure(res.figure)}" in text
        if res.travel.text and res.travel.text != "No change":
            assert res.travel.text.lower() in text
        if res.indicator.target is None:
            assert "No target." in text
        else:
            met = "met (Green)" if res.rag.rating.value == "Green" else f"({res.rag.rating.value})"
            assert f"Target {res.show(res.indicator.target)}" in text and met in text, text
        assert "January 2020" in text or "February 2014" in text  # the last month covered


def test_the_directors_copy_passes_every_rule(tmp_path):
    out = tmp_path / "directors.xlsx"
    assert main(["export", str(ROOT / "workbooks" / "monthly_monitoring_feb2014.xlsx"), "-o", str(out), "-q"]) == 0
    assert [str(p) for p in check_accessibility(out)] == []


def test_document_properties_name_title_subject_language_and_organisation(scorecards):
    book = openpyxl.load_workbook(scorecards["kpi_scorecard_jan2020", "kpi-scorecard"])
    props = book.properties
    assert props.title.endswith("January 2020") and props.subject
    assert props.language == "en-GB"
    assert props.creator == "London Borough of Croydon"


def test_sheet_names_say_what_they_are_and_a1_holds_the_title(scorecards):
    from kpi_xl.run.accessibility import DEFAULT_SHEET_NAME

    for path in scorecards.values():
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            assert not DEFAULT_SHEET_NAME.fullmatch(ws.title) and ws.sheet_state == "visible"
            assert isinstance(ws["A1"].value, str) and ws["A1"].font.bold and ws["A1"].font.sz >= 12, ws.title


# colour -----------------------------------------------------------------------------------
def palettes():
    from kpi_xl.layout.templates import PALETTES, load_template

    for name in TEMPLATES:
        yield name, load_template(name).colours
    for name, colours in PALETTES.items():
        yield f"palette {name}", colours


@pytest.mark.parametrize("name,colours", list(palettes()), ids=[n for n, _ in palettes()])
def test_text_on_every_template_colour_meets_4_5_to_1(name, colours):
    from kpi_xl.layout.contrast import WHITE, contrast, text_on

    for fill in ("green", "amber", "red", "grey", "no_data", "section"):
        assert contrast(text_on(colours[fill]), colours[fill]) >= 4.5, fill
    assert contrast(colours["heading_text"], colours["heading"]) >= 4.5
    for text in ("better", "worse", "neutral", "series_line"):  # arrows and text trends on white
        assert contrast(colours[text], WHITE) >= 4.5, text
    for line in ("target_line", "prior_year_line"):  # graphics need 3:1 (WCAG 1.4.11)
        assert contrast(colours[line], WHITE) >= 3, line


def test_contrast_follows_the_wcag_formula():
    from kpi_xl.layout.contrast import contrast, text_on

    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the well-known just-failing grey
    assert contrast("#FF0000", "#FFC000") < 4.5  # red text on amber
    assert text_on("#C00000") == "#FFFFFF" and text_on("#FFC000") == "#000000"


# Machado, Oliveira and Fernandes (2009): full protanopia, deuteranopia and tritanopia, on linear RGB
CVD = {"protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
       "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
       "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900))}


def seen_with(colour: str, matrix) -> tuple[float, ...]:
    def linear(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    def encoded(v):
        v = min(1.0, max(0.0, v))
        return 255 * (12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055)

    rgb = [linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5)]
    return tuple(encoded(sum(m * c for m, c in zip(row, rgb))) for row in matrix)


def closest_lights(colours: dict) -> float:
    import itertools
    import math

    return min(math.dist(seen_with(a, m), seen_with(b, m)) for m in CVD.values()
               for a, b in itertools.combinations([colours["green"], colours["amber"], colours["red"]], 2))


def test_the_colour_blind_safe_palette_keeps_the_lights_apart_with_colour_blindness():
    from kpi_xl.layout.templates import PALETTES

    assert closest_lights(PALETTES["colour-blind-safe"]) >= 2 * closest_lights(PALETTES["standard"])


def test_a_template_chooses_the_colour_blind_safe_palette_and_its_own_colours_win(tmp_path):
    from kpi_xl.layout.templates import PALETTES, load_template

    text = (ROOT / "templates" / "kpi-scorecard.toml").read_text(encoding="utf-8")
    text = text.replace('# palette = "colour-blind-safe"', 'palette = "colour-blind-safe"')
    text = text.replace('green = "#00B050"\n', "")
    (tmp_path / "cvd.toml").write_text(text, encoding="utf-8")
    colours = load_template(str(tmp_path / "cvd.toml")).colours
    assert colours["green"] == PALETTES["colour-blind-safe"]["green"]  # taken from the palette
    assert colours["red"] == "#C00000"  # still listed in the template: it wins
    out = tmp_path / "cvd.xlsx"
    assert main(["build", str(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"), "-o", str(out),
                 "--template", str(tmp_path / "cvd.toml"), "-q"]) == 0
    assert check_accessibility(out) == []


def test_an_unknown_palette_is_refused_naming_the_choices(tmp_path):
    from kpi_xl.errors import InputError
    from kpi_xl.layout.templates import load_template

    text = (ROOT / "templates" / "kpi-scorecard.toml").read_text(encoding="utf-8")
    (tmp_path / "p.toml").write_text(text.replace('# palette = "colour-blind-safe"', 'palette = "pastel"'),
                                     encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_template(str(tmp_path / "p.toml"))
    assert "report.palette" in str(info.value) and "colour-blind-safe" in str(info.value)


def test_rating_words_always_accompany_rating_colours(scorecards):
    """No meaning by colour alone: every conditional colour sits on a cell holding its word."""
    for path in scorecards.values():
        book = openpyxl.load_workbook(path, data_only=True)
        for ws in book.worksheets:
            for cf in ws.conditional_formatting:
                for rule in cf.rules:
                    word = rule.formula[0].split('="')[1].rstrip('"')
                    assert word in RATINGS, (ws.title, rule.formula)
                    cells = [c for ref in str(cf.sqref).split() for row in ws[ref] for c in row]
                    assert all(c.value in RATINGS + (None,) for c in cells), ws.title  # a word, or a section band


def test_the_directors_copy_lists_what_stops_it_being_published(tmp_path, capfd):
    """kpi-xl export runs the same checks on what it wrote: a template whose headings are
    white on yellow gets its copy written, with each unreadable cell listed as a warning."""
    text = (ROOT / "templates" / "kpi-scorecard.toml").read_text(encoding="utf-8")
    (tmp_path / "yellow.toml").write_text(text.replace('heading = "#1F3864"', 'heading = "#FFFF00"'),
                                          encoding="utf-8")
    out = tmp_path / "directors.xlsx"
    assert main(["export", str(ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"), "-o", str(out),
                 "--template", str(tmp_path / "yellow.toml")]) == 0
    err = capfd.readouterr().err
    assert "warning: 'KPI table'!A4: text #FFFFFF on fill #FFFF00 has a contrast of 1.1:1" in err
    assert "accessibility problem(s) to fix before publishing" in err
