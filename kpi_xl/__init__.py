"""kpi_xl: a council's raw monthly performance figures -> the rated scorecard workbook.

Steps, each a plain function of plain data::

    raw = read_workbook("raw.xlsx")          # kpi_xl.reader
    evaluation = evaluate(raw)               # kpi_xl.evaluate (rules in kpi_xl.rules)
    layout = build_layout(evaluation, tpl)   # kpi_xl.layout (templates in kpi_xl.templates)
    write_xlsx(layout, "scorecard.xlsx")     # kpi_xl.xlsx_writer (or kpi_xl.xlwings_writer)

``kpi_xl.api`` puts them together for the command line, the ribbon and the scheduler.
"""
__version__ = "0.1.0"
