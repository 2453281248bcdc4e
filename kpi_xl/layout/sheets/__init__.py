"""One module per kind of sheet; the builder (``kpi_xl.layout.builder``) puts them in the template's order."""
