"""kpi_xl's ribbon buttons as xlwings Server scripts.

Each button in ``templates/manifest.xml`` runs ``static/js/ribbon.js``, which POSTs the open
workbook to ``/xlwings/custom-scripts-call/<name>``; the function of that name here runs
the matching ``kpi_xl.scripts`` function on it and the actions go back to Excel.
"""
import xlwings as xw
from xlwings.server import script

from kpi_xl import scripts as _kpi


@script
def build_scorecard(book: xw.Book):
    """Rate the raw sheets and draw the scorecard into this workbook."""
    _kpi.build_scorecard(book)


@script
def refresh_ratings(book: xw.Book):
    """Rate again and redraw the scorecard sheets, keeping typed commentary."""
    _kpi.refresh_ratings(book)


@script
def check_data(book: xw.Book):
    """List every problem on a 'Data check' sheet."""
    _kpi.check_data(book)


@script
def directors_copy(book: xw.Book):
    """Save the directors' copy of the scorecard."""
    _kpi.directors_copy(book)


@script
def new_raw_sheets(book: xw.Book):
    """Add the raw workbook's Indicators, Data, Commentary and Report sheets."""
    _kpi.new_raw_sheets(book)
