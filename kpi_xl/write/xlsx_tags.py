"""XlsxWriter's tag writers, quicker, for the parts with thousands of small tags (charts, drawings, sheets).

XlsxWriter writes each tag through ``_xml_start_tag`` / ``_xml_empty_tag`` /
``_xml_data_element``, which try to escape every attribute and every element's text: a
regular expression search each, and for a number (most of a chart's values: idx="3",
<xdr:col>4</xdr:col>) a TypeError raised and caught. ``quicken`` binds, to one XlsxWriter
object (never its class: other code in the process uses XlsxWriter as it is), writers that
give the same text directly when nothing needs escaping and otherwise call XlsxWriter's own.
Same bytes: tests/test_xlsx_charts.py compares with plain XlsxWriter.
"""
from __future__ import annotations

import re
from functools import partial

import xlsxwriter

#: The XlsxWriter versions these writers (and xlsx_charts' caches) were checked against: 3.1.0,
#: 3.2.0, 3.2.5, 3.3.0 and 3.3.1 write an element that needs no escaping the same way (3.2 added
#: the escaping of control characters). Other versions keep XlsxWriter's own writers.
CHECKED_VERSIONS = ((3, 1), (3, 2), (3, 3))
#: Anything in an element's text that XlsxWriter would change: XML's specials (``_escape_data``),
#: control characters, Unicode non-characters and text that looks like an escape
#: (``_escape_control_characters``, from 3.2).
NEEDS_ESCAPING = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
#: What XlsxWriter's ``_escape_attributes`` replaces in an attribute's value.
ATTRIBUTE_ESCAPES = re.compile('["&<>\n]')
#: The types of value whose text is f"{value}" whatever the version (XlsxWriter 3.1 wrote "%s" % value).
PLAIN = (str, int, float, bool)


def checked_version() -> bool:
    major, minor = xlsxwriter.__version__.split(".")[:2]
    return (int(major), int(minor)) in CHECKED_VERSIONS


def quicken(writer) -> bool:
    """Bind the quick tag writers to ``writer`` (an XlsxWriter chart, drawing or worksheet); False (and
    nothing bound) with an XlsxWriter version they were not checked against."""
    if not checked_version():
        return False
    writer._escape_attributes = partial(escape_attribute, writer._escape_attributes)
    writer._xml_start_tag = partial(start_tag, writer)
    writer._xml_empty_tag = partial(empty_tag, writer)
    writer._xml_data_element = partial(data_element, writer)
    return True


def escape_attribute(escape, value):
    """XlsxWriter's ``_escape_attributes`` (``escape``) for text; any other value it returns as
    it is, after a regular expression search on it raised a TypeError."""
    return escape(value) if isinstance(value, str) else value


def attributes_xml(attributes) -> str | None:
    """' key="value"' for each attribute, as XlsxWriter writes them, or None when a value would
    need escaping (or is of a type other than text or a number)."""
    text = ""
    for key, value in attributes:
        if type(value) not in PLAIN or (type(value) is str and ATTRIBUTE_ESCAPES.search(value)):
            return None
        text += f' {key}="{value}"'
    return text


def start_tag(writer, tag, attributes=()) -> None:
    text = attributes_xml(attributes)
    if text is None:
        type(writer)._xml_start_tag(writer, tag, attributes)
    else:
        writer.fh.write(f"<{tag}{text}>")


def empty_tag(writer, tag, attributes=()) -> None:
    text = attributes_xml(attributes)
    if text is None:
        type(writer)._xml_empty_tag(writer, tag, attributes)
    else:
        writer.fh.write(f"<{tag}{text}/>")


def data_element(writer, tag, data, attributes=()) -> None:
    if attributes or type(data) not in PLAIN or NEEDS_ESCAPING.search(f"{data}"):
        type(writer)._xml_data_element(writer, tag, data, attributes)
    else:
        writer.fh.write(f"<{tag}>{data}</{tag}>")
