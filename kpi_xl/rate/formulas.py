"""Excel formulas that repeat the rating rules inside the workbook.

The RAG cell holds a formula over the value and target cells (with the rating
computed by ``kpi_xl.rate.rules`` stored as its cached result), so a person who edits a
figure or a target in Excel sees the word, and the conditional format keyed on it,
follow. The formula mirrors ``rules.rag`` step for step: round both figures to the
displayed precision, work out the shortfall, compare it with the Amber band.
"""
from __future__ import annotations

from ..model import Indicator, Polarity, Rating, ToleranceType


def _shown(ref: str, ind: Indicator) -> str:
    return f"ROUND({ref}*100,{ind.decimals})" if ind.is_percent else f"ROUND({ref},{ind.decimals})"


def rag_formula(value_ref: str, target_ref: str, ind: Indicator, upper_ref: str | None = None) -> str | None:
    """The RAG formula for one indicator, or ``None`` when the rating is fixed (polarity None)."""
    if ind.polarity is Polarity.NONE:
        return None
    v, t = _shown(value_ref, ind), _shown(target_ref, ind)
    d = ind.decimals
    if ind.polarity is Polarity.HIGH:
        short = f"ROUND({t}-{v},{d})"
    elif ind.polarity is Polarity.LOW:
        short = f"ROUND({v}-{t},{d})"
    elif upper_ref:
        u = _shown(upper_ref, ind)
        short = f"ROUND(IF({v}<MIN({t},{u}),MIN({t},{u})-{v},IF({v}>MAX({t},{u}),{v}-MAX({t},{u}),0)),{d})"
    else:
        short = f"ROUND(ABS({v}-{t}),{d})"
    if ind.tolerance_type is ToleranceType.PERCENT:
        band = f"ROUND(ABS({t})*{ind.tolerance:g}/100,9)"
    else:
        band = f"{ind.tolerance:g}"
    return (f'=IF(NOT(ISNUMBER({target_ref})),"{Rating.GREY}",IF(NOT(ISNUMBER({value_ref})),"{Rating.NO_DATA}",'
            f'IF({short}<=0,"{Rating.GREEN}",IF({short}<{band},"{Rating.AMBER}","{Rating.RED}"))))')
