"""Charts kept small until their part is written.

An XlsxWriter chart is some 25 KB of Python dictionaries (four axes, each series' line,
marker and fill settings, title and legend fonts), and every chart lives until
``Workbook.close`` writes the parts: a scorecard of 3,000 indicators draws 6,000 charts,
about 150 MB. ``pack`` pickles a finished chart's settings into one bytes object (about
4 KB) and leaves as they are only the few attributes XlsxWriter reads while it prepares
the package (``LIGHT``); the settings come back when the chart's part is written, and are
let go once it is written (XlsxWriter writes each part once and never reads the chart
again). The XML is the same: it is written from the same settings, unpickled.

Until its part is written a packed chart is still a whole chart: reading any setting that
was packed (a caller changing a chart after packing it, or XlsxWriter reading one this
list misses) unpacks it first, so a name missing here costs memory, never a wrong file.
"""
from __future__ import annotations

import pickle

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
    """Mixed into an XlsxWriter chart's own class (see ``packable``): a chart that can be packed."""

    def pack(self) -> None:
        state = self.__dict__
        if _PACKED in state or _WRITTEN in state:
            return
        settings = {name: value for name, value in state.items() if name not in LIGHT}
        packed = pickle.dumps(settings, pickle.HIGHEST_PROTOCOL)
        self.__dict__ = {name: value for name, value in state.items() if name in LIGHT}
        self.__dict__[_PACKED] = packed

    def unpack(self) -> None:
        """Bring the packed settings back (what was set since packing wins)."""
        packed = self.__dict__.pop(_PACKED, None)
        if packed is not None:
            settings = pickle.loads(packed)
            settings.update(self.__dict__)
            self.__dict__ = settings

    def __getattr__(self, name):  # only called for a name not in __dict__: perhaps a packed setting
        if _PACKED not in self.__dict__:
            if self.__dict__.get(_WRITTEN):
                raise AttributeError(f"{name}: this chart's part is written and its settings were let go")
            raise AttributeError(name)
        self.unpack()
        return getattr(self, name)

    def _assemble_xml_file(self) -> None:
        """Write the chart's part from its settings, then let the settings and cached figures go."""
        self.unpack()
        super()._assemble_xml_file()
        self.__dict__ = {name: value for name, value in self.__dict__.items()
                         if name in LIGHT and name != "formula_data"}
        self.__dict__[_WRITTEN] = True


def packable(chart) -> PackedChart:
    """``chart`` (a new XlsxWriter chart) made packable: its class becomes a subclass of its
    own with ``PackedChart`` mixed in (for this chart only; XlsxWriter's classes are not changed)."""
    cls = type(chart)
    if cls not in _classes:
        _classes[cls] = type(f"Packed{cls.__name__}", (PackedChart, cls), {"__module__": __name__})
    chart.__class__ = _classes[cls]
    return chart
