"""The xlwings Server project ``kpi-xl serve`` runs (``XLWINGS_PROJECT_DIR`` points here).

Laid out as ``xlwings-server init`` lays a project out, holding only what kpi_xl changes:

* ``custom_scripts/``: the five ribbon buttons (``kpi_xl.excel.scripts``) as xlwings scripts;
* ``custom_functions/``: ``KPI.RAG``, ``KPI.CHANGE``, ``KPI.DOT``, ``KPI.YTD`` (``kpi_xl.excel.functions``);
* ``auth/custom/``: the shared-token check used with ``kpi-xl serve --auth``;
* ``templates/manifest.xml``: the add-in manifest with the "KPI Scorecard" ribbon tab;
* ``templates/taskpane.html``, ``static/js/ribbon.js``, ``static/js/auth.js``: the buttons'
  JavaScript, the task pane (buttons and the access-token box) and how the token is sent;
* ``static/js/kpi-formats.js``: the ``kpiFormats`` callback a *Build scorecard* calls
  (``runMacro``) to apply a sheet's formats in one batch (``kpi_xl.write.xlwings_painter``).

Everything else (Office.js, the JavaScript that applies the actions, the routes) comes
from the ``xlwings-server`` package. This folder is not imported as part of kpi_xl.
"""
