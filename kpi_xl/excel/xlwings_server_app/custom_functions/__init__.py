"""kpi_xl's worksheet functions for xlwings Server: ``KPI.RAG`` and friends.

The Excel name is the namespace (``XLWINGS_FUNCTIONS_NAMESPACE=KPI``, set by ``kpi-xl
serve``) and the ``name`` below; the work is done by ``kpi_xl.excel.functions``. Arguments are
left untyped so that a wrong word reaches kpi_xl and comes back as a ``#KPI!`` message
saying what to type, rather than as Excel's ``#VALUE!``.

Every argument reaches kpi_xl as Excel sent it (xlwings' ``raw`` converter): xlwings'
own conversion takes about 0.2 ms a cell on the server's event loop, so a 1000 x 1000
range would stall every request for minutes before kpi_xl could refuse it. kpi_xl
checks a range's size before looking at its cells (``kpi_xl.excel.functions.MAX_CELLS``).
"""
from xlwings.server import arg, func

from kpi_xl.excel import functions as _f

RAW = "raw"
_UNIT = 'The unit: "%" (the default; 0.85 or 85 is 85%), "count", "rate", "days" or "number".'
_DECIMALS = "Decimal places shown (default 0 for % and counts, else 1): figures are compared as shown."
_POLARITY = 'Which way is good: "High" (default), "Low", "Target" or "None".'
_TARGET_UPPER = "With polarity Target: the top of the target band."
_VALUE = "This period's figure."
_PREVIOUS = "The previous period's figure."


@func(name="RAG")
@arg("value", RAW, doc="The figure to rate. Blank or text: No data.")
@arg("target", RAW, doc="The target. Blank: Grey (no target).")
@arg("polarity", RAW, doc=_POLARITY)
@arg("tolerance", RAW, doc="Width of the Amber band (default 5).")
@arg("tolerance_type", RAW, doc='"points" (in the unit; pp for a %) or "percent" of the target (default).')
@arg("target_upper", RAW, doc=_TARGET_UPPER)
@arg("unit", RAW, doc=_UNIT)
@arg("decimals", RAW, doc=_DECIMALS)
def kpi_rag(value, target, polarity="High", tolerance=5, tolerance_type="percent", target_upper=None,
            unit="%", decimals=None):
    """Red, Amber, Green, Grey or No data: the scorecard's rating of one figure."""
    return _f.kpi_rag(value, target, polarity, tolerance, tolerance_type, target_upper, unit, decimals)


@func(name="CHANGE")
@arg("value", RAW, doc=_VALUE)
@arg("previous", RAW, doc=_PREVIOUS)
@arg("unit", RAW, doc=_UNIT)
@arg("decimals", RAW, doc=_DECIMALS)
def kpi_change(value, previous, unit="%", decimals=None):
    """The movement since the previous figure: Up 7pp, Down 2.2, No change."""
    return _f.kpi_change(value, previous, unit, decimals)


@func(name="DOT")
@arg("value", RAW, doc=_VALUE)
@arg("previous", RAW, doc=_PREVIOUS)
@arg("polarity", RAW, doc=_POLARITY)
@arg("target", RAW, doc="The target (needed for polarity Target).")
@arg("target_upper", RAW, doc=_TARGET_UPPER)
@arg("unit", RAW, doc=_UNIT)
@arg("decimals", RAW, doc=_DECIMALS)
def kpi_dot(value, previous, polarity="High", target=None, target_upper=None, unit="%", decimals=None):
    """Direction of travel: the arrow, and better, worse or same."""
    return _f.kpi_dot(value, previous, polarity, target, target_upper, unit, decimals)


@func(name="YTD")
@arg("values", RAW, doc="The months of the financial year so far, oldest first (a row or column).")
@arg("method", RAW, doc='"Sum" (default), "Ratio", "Latest" or "Mean".')
@arg("numerators", RAW, doc="For Ratio: the numerators, month by month.")
@arg("denominators", RAW, doc="For Ratio: the denominators, month by month.")
def kpi_ytd(values, method="Sum", numerators=None, denominators=None):
    """Year to date: a sum, numerators over denominators, the latest figure or a mean."""
    return _f.kpi_ytd(values, method, numerators, denominators)


@func(name="BAND")
@arg("value", RAW, doc="The figure. Blank or text: empty.")
@arg("q1", RAW, doc="Quartile 1 of the councils' figures (e.g. England's).")
@arg("median", RAW, doc="Their median.")
@arg("q3", RAW, doc="Their quartile 3.")
@arg("polarity", RAW, doc='Which way is good: "High" (default) or "Low".')
@arg("unit", RAW, doc=_UNIT)
@arg("decimals", RAW, doc=_DECIMALS)
def kpi_band(value, q1, median, q3, polarity="High", unit="%", decimals=None):
    """The quartile band A-D: A is always the best quarter under the polarity."""
    return _f.kpi_band(value, q1, median, q3, polarity, unit, decimals)


@func(name="SPC")
@arg("values", RAW, doc="The figures, oldest first (a row or column); at least 12 for a judgement.")
@arg("polarity", RAW, doc='Which way is good: "High" (default), "Low", "Target" or "None".')
@arg("target", RAW, doc="The target: with it, the assurance (Will pass, Will fail, Hit and miss).")
def kpi_spc(values, polarity="High", target=None):
    """Statistical process control: the variation (Improving (high), Concern (low), Common cause ...) and assurance."""
    return _f.kpi_spc(values, polarity, target)
