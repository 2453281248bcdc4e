"""kpi_xl: a council's raw monthly performance figures -> the rated scorecard workbook.

Steps, each a plain function of plain data::

    raw = read_workbook("raw.xlsx")          # kpi_xl.read.reader
    evaluation = evaluate(raw)               # kpi_xl.rate.evaluate (rules in kpi_xl.rate.rules)
    layout = build_layout(evaluation, tpl)   # kpi_xl.layout.builder (templates in kpi_xl.layout.templates)
    write_xlsx(layout, "scorecard.xlsx")     # kpi_xl.write.xlsx_writer (or kpi_xl.write.xlwings_writer)

``kpi_xl.api`` puts them together for the command line, the ribbon and the scheduler.
"""
__version__ = "0.1.0"
