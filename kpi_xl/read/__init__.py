"""1. Read: the raw workbook as plain rows (grid), checked and read into a RawWorkbook (reader)."""
