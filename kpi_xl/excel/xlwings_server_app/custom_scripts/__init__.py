"""kpi_xl's ribbon buttons as xlwings Server scripts.

Each button in ``templates/manifest.xml`` runs ``static/js/ribbon.js``, which POSTs the open
workbook to ``/xlwings/custom-scripts-call/<name>``; the function of that name here runs
the matching ``kpi_xl.excel.scripts`` function on it and the actions go back to Excel.

The buttons run in worker threads, not on the server's event loop (xlwings Server awaits
an ``async`` script; a plain one would block every other request until it finished), so
the manifest, the ``KPI.*`` functions and other people's clicks are answered while a
scorecard is being built. At most ``BUTTON_THREADS`` buttons run at once in one server
process; more clicks wait their turn.
"""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import xlwings as xw
from xlwings.server import script

from kpi_xl.excel import scripts as _kpi

#: Building is CPU work: more threads than this would only share the same processor time
#: (and the event loop's share of it). Start ``kpi-xl serve --workers N`` for more.
BUTTON_THREADS = 2
_threads = ThreadPoolExecutor(max_workers=BUTTON_THREADS, thread_name_prefix="kpi-button")


async def _in_thread(button, book: xw.Book) -> None:
    await asyncio.get_running_loop().run_in_executor(_threads, button, book)


@script
async def build_scorecard(book: xw.Book):
    """Rate the raw sheets and draw the scorecard into this workbook."""
    await _in_thread(_kpi.build_scorecard, book)


@script
async def refresh_ratings(book: xw.Book):
    """Rate again and redraw the scorecard sheets, keeping typed commentary."""
    await _in_thread(_kpi.refresh_ratings, book)


@script
async def check_data(book: xw.Book):
    """List every problem on a 'Data check' sheet."""
    await _in_thread(_kpi.check_data, book)


@script
async def directors_copy(book: xw.Book):
    """Save the directors' copy of the scorecard."""
    await _in_thread(_kpi.directors_copy, book)


@script
async def new_raw_sheets(book: xw.Book):
    """Add the raw workbook's Indicators, Data, Commentary and Report sheets."""
    await _in_thread(_kpi.new_raw_sheets, book)
