"""Charts kept small until their part is written.

An XlsxWriter chart is some 25 KB of Python dictionaries (four axes, each series' line,
marker and fill settings, title and legend fonts), and every chart lives until
``Workbook.close`` writes the parts: a scorecard of 3,000 indicators draws 6,000 charts,
about 150 MB. ``pack`` pickles a finished chart's settings into one bytes object (about
4 KB; compressed at zlib's quickest level: 12 MiB less at the peak at 3,000 indicators for
about 2% more processor time) and leaves as they are only the few attributes XlsxWriter reads while it prepares
the package (``LIGHT``); the settings come back when the chart's part is written, and are
let go once it is written (XlsxWriter writes each part once and never reads the chart
again). The XML is the same: it is written from the same settings, unpickled.

Until its part is written a packed chart is still a whole chart: reading any setting that
was packed (a caller changing a chart after packing it, or XlsxWriter reading one this
list misses) unpacks it first, so a name missing here costs memory, never a wrong file.
"""
from __future__ import annotations

import pickle
import zlib
from functools import partial

#: What XlsxWriter reads of every chart before the chart parts are written: its place and
#: size (``Worksheet._prepare_chart``), its id (set there) and the ranges whose cached
#: figures ``Workbook._add_chart_data`` fills in. Kept unpacked so preparing the package
#: does not unpack every chart at once.
LIGHT = frozenset({"id", "width", "height", "x_scale", "y_scale", "x_offset", "y_offset", "chart_name",
                   "embedded", "combined", "already_inserted", "formula_ids", "formula_data", "fh",
                   "internal_fh"})

_PACKED = "_packed_settings"
_WRITTEN = "_part_written"
_classes: dict[type, type] = {}


class PackedChart:
    """Mixed into a packed chart's class (see ``pack``): reading a setting that was packed
    unpacks the chart. Only packed charts have this class: a ``__getattr__`` on a class
    slows every attribute read of its instances, and XlsxWriter reads a chart's attributes
    hundreds of times as it builds and writes it."""

    def __getattr__(self, name):  # only called for a name not in __dict__: perhaps a packed setting
        if self.__dict__.get(_WRITTEN):
            raise AttributeError(f"{name}: this chart's part is written and its settings were let go")
        unpack(self)
        return getattr(self, name)


def pack(chart) -> None:
    """Keep ``chart``'s settings (all but ``LIGHT``) as one pickled bytes object."""
    state = chart.__dict__
    if isinstance(chart, PackedChart):
        return
    settings = {name: value for name, value in state.items() if not _kept(name, value)}
    light = {name: value for name, value in state.items() if _kept(name, value)}
    light[_PACKED] = zlib.compress(pickle.dumps(settings, pickle.HIGHEST_PROTOCOL), 1)
    chart.__dict__ = light
    chart.__class__ = _packed_class(type(chart))


def _kept(name: str, value) -> bool:
    """Left unpacked: ``LIGHT``, and the quicker writers xlsx_charts binds to a chart (each a
    ``partial`` holding the chart itself and a writer shared by all charts: not settings)."""
    return name in LIGHT or isinstance(value, partial)


def unpack(chart) -> None:
    """Bring ``chart``'s packed settings back (what was set since it was packed wins)."""
    if not isinstance(chart, PackedChart) or _PACKED not in chart.__dict__:
        return
    settings = pickle.loads(zlib.decompress(chart.__dict__.pop(_PACKED)))
    settings.update(chart.__dict__)
    chart.__dict__ = settings
    chart.__class__ = chart.__class__.__bases__[1]  # its own XlsxWriter class again


def let_go(chart) -> None:
    """After ``chart``'s part is written (here or by a second process): keep only ``LIGHT``
    (XlsxWriter writes each part once and never reads the chart's settings or cached figures
    again). Packed or not, ``LIGHT`` is in the chart's own ``__dict__``."""
    kept = {name: value for name, value in chart.__dict__.items() if name in LIGHT and name != "formula_data"}
    kept[_WRITTEN] = True
    chart.__dict__ = kept
    chart.__class__ = _packed_class(_own_class(chart))


def handed_over(chart) -> tuple[type, dict]:
    """What another process needs to write ``chart``'s part: its XlsxWriter class, and its
    ``LIGHT`` settings (the cached figures looked up) with its packed settings; not the quicker
    writers bound to it (``restored`` binds its own)."""
    return _own_class(chart), {name: value for name, value in chart.__dict__.items() if name != "fh" and not callable(value)}


def restored(cls: type, state: dict):
    """The chart ``handed_over`` described, its settings unpacked."""
    chart = cls.__new__(cls)
    chart.__dict__ = dict(state)
    if _PACKED in state:
        chart.__class__ = _packed_class(cls)
        unpack(chart)
    return chart


def _own_class(chart) -> type:
    """``chart``'s XlsxWriter class, packed or not."""
    return chart.__class__.__bases__[1] if isinstance(chart, PackedChart) else chart.__class__


def _packed_class(cls: type) -> type:
    """``cls`` with ``PackedChart`` mixed in, made once per chart type (XlsxWriter's classes are not changed)."""
    if cls not in _classes:
        _classes[cls] = type(f"Packed{cls.__name__}", (PackedChart, cls), {"__module__": __name__})
    return _classes[cls]
