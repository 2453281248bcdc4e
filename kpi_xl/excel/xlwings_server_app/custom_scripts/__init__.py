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


def _button(kpi_script) -> object:
    """The xlwings Server script for one button: ``kpi_script`` (a ``kpi_xl.excel.scripts``
    button, whose name and docstring it takes) run on the posted workbook in a worker thread.
    xlwings Server finds each script as a function of this module marked by ``@script``,
    with its workbook parameter annotated ``xw.Book``."""
    async def run(book: xw.Book):
        await asyncio.get_running_loop().run_in_executor(_threads, kpi_script, book)

    run.__name__ = run.__qualname__ = kpi_script.__name__
    run.__doc__ = kpi_script.__doc__
    return script(run)


build_scorecard = _button(_kpi.build_scorecard)
refresh_ratings = _button(_kpi.refresh_ratings)
check_data = _button(_kpi.check_data)
directors_copy = _button(_kpi.directors_copy)
new_raw_sheets = _button(_kpi.new_raw_sheets)
