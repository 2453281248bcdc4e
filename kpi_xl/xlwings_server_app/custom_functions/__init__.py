"""kpi_xl's worksheet functions for xlwings Server: ``KPI.RAG`` and friends.

The Excel name is the namespace (``XLWINGS_FUNCTIONS_NAMESPACE=KPI``, set by ``kpi-xl
serve``) and the ``name`` below; the work is done by ``kpi_xl.functions``. Arguments are
left untyped so that a wrong word reaches kpi_xl and comes back as a ``#KPI!`` message
saying what to type, rather than as Excel's ``#VALUE!``.
"""
from xlwings.server import arg, func

from kpi_xl import functions as _f

_UNIT = 'The unit: "%" (the default; 0.85 or 85 is 85%), "count", "rate", "days" or "number".'
_DECIMALS = "Decimal places shown (default 0 for % and counts, else 1): figures are compared as shown."


@func(name="RAG")
@arg("value", doc="The figure to rate. Blank or text: No data.")
@arg("target", doc="The target. Blank: Grey (no target).")
@arg("polarity", doc='Which way is good: "High" (default), "Low", "Target" or "None".')
@arg("tolerance", doc="Width of the Amber band (default 5).")
@arg("tolerance_type", doc='"points" (in the unit; pp for a %) or "percent" of the target (default).')
@arg("target_upper", doc="With polarity Target: the top of the target band.")
@arg("unit", doc=_UNIT)
@arg("decimals", doc=_DECIMALS)
def kpi_rag(value, target, polarity="High", tolerance=5, tolerance_type="percent", target_upper=None,
            unit="%", decimals=None):
    """Red, Amber, Green, Grey or No data: the scorecard's rating of one figure."""
    return _f.kpi_rag(value, target, polarity, tolerance, tolerance_type, target_upper, unit, decimals)


@func(name="CHANGE")
@arg("value", doc="This period's figure.")
@arg("previous", doc="The previous period's figure.")
@arg("unit", doc=_UNIT)
@arg("decimals", doc=_DECIMALS)
def kpi_change(value, previous, unit="%", decimals=None):
    """The movement since the previous figure: Up 7pp, Down 2.2, No change."""
    return _f.kpi_change(value, previous, unit, decimals)


@func(name="DOT")
@arg("value", doc="This period's figure.")
@arg("previous", doc="The previous period's figure.")
@arg("polarity", doc='Which way is good: "High" (default), "Low", "Target" or "None".')
@arg("target", doc="The target (needed for polarity Target).")
@arg("target_upper", doc="With polarity Target: the top of the target band.")
@arg("unit", doc=_UNIT)
@arg("decimals", doc=_DECIMALS)
def kpi_dot(value, previous, polarity="High", target=None, target_upper=None, unit="%", decimals=None):
    """Direction of travel: the arrow, and better, worse or same."""
    return _f.kpi_dot(value, previous, polarity, target, target_upper, unit, decimals)


@func(name="YTD")
@arg("values", ndim=1, doc="The months of the financial year so far, oldest first (a row or column).")
@arg("method", doc='"Sum" (default), "Ratio", "Latest" or "Mean".')
@arg("numerators", ndim=1, doc="For Ratio: the numerators, month by month.")
@arg("denominators", ndim=1, doc="For Ratio: the denominators, month by month.")
def kpi_ytd(values, method="Sum", numerators=None, denominators=None):
    """Year to date: a sum, numerators over denominators, the latest figure or a mean."""
    return _f.kpi_ytd(values, method, numerators, denominators)
