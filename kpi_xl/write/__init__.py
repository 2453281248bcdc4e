"""4. Write: a layout drawn as a new xlsx (XlsxWriter) or into the open book (xlwings); LibreOffice rendering."""
