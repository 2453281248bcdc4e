"""One module per raw sheet; ``kpi_xl.read.reader`` reads them in turn."""
