"""4. Write: a layout drawn as a new xlsx (XlsxWriter) or into the book open in Excel (xlwings); LibreOffice rendering."""
