"""Build the desktop add-in ``kpi_xl.xlam`` from the text sources kpi_xl ships.

    pip install 'kpi_xl[addin]'        # pyOpenVBA (MIT), pure Python
    kpi-xl addin -o kpi_xl.xlam        # from an installed kpi_xl
    python addin/build.py [--check]    # from a checkout: -> addin/build/kpi_xl.xlam

What goes in, all as text:

* ``xlwings`` module: xlwings' own ``xlwings_custom_addin.bas`` (BSD, shipped in the
  xlwings wheel) with ``PROJECT_NAME = "kpi_xl"``: ``RunPython`` and the UDF plumbing;
* ``Dictionary`` class: xlwings' ``addin/Dictionary.cls`` (which that module needs);
* ``KpiRibbon`` module: ``addin/KpiRibbon.bas``, one Sub per ribbon button;
* ``xlwings_udfs`` module: the VBA wrappers of ``KPI_RAG``, ``KPI_CHANGE``, ``KPI_DOT``,
  ``KPI_YTD``, ``KPI_BAND``, ``KPI_SPC`` (``kpi_xl.excel.functions``), generated with xlwings' own generator (what its
  "Import Functions" button writes), so no one has to click it on Windows;
* ``customUI/customUI14.xml``: ``addin/customUI14.xml``, the KPI Scorecard ribbon tab.

``addin/`` is shipped inside the wheel (``kpi_xl.resources.bundled``). pyOpenVBA writes
the VBA project from source and clears its compiled cache, so Excel compiles the modules
when it first opens the add-in. Zip entries are written in a fixed order with a fixed date:
the same sources give the same bytes.

The .xlam must match the xlwings version on the PC (its VBA names the xlwings DLL by
version): rebuild it whenever xlwings is upgraded. Nothing here can open it in Excel;
see docs/excel-addin.md for what is and is not proven on Linux.
"""
from __future__ import annotations

import hashlib
import io
import sys
import tempfile
import types
import zipfile
from pathlib import Path

from ..errors import CannotRun
from ..resources import bundled

SOURCES = bundled("addin")
FIXED_DATE = (2020, 1, 1, 0, 0, 0)
UI_PART = "customUI/customUI14.xml"
UI_REL = ('<Relationship Id="rIdKpiUI" Type="http://schemas.microsoft.com/office/2007/relationships/'
          'ui/extensibility" Target="customUI/customUI14.xml"/>')
UDF_MODULE = "kpi_xl.excel.functions"
UDFS = ("KPI_RAG", "KPI_CHANGE", "KPI_DOT", "KPI_YTD", "KPI_BAND", "KPI_SPC")
RANGE_ARGS = {"KPI_YTD": ("values", "numerators", "denominators"), "KPI_SPC": ("values",)}  # one row or column
ADDIN_NAME = "kpi_xl.xlam"
NEEDS_PYOPENVBA = "Building kpi_xl.xlam needs pyOpenVBA: pip install 'kpi_xl[addin]', then run this again."


def xlwings_dir() -> Path:
    import xlwings  # noqa: PLC0415

    return Path(xlwings.__file__).parent


def udf_wrappers() -> str:
    """The VBA that xlwings' "Import Functions" would write for kpi_xl's UDFs.

    ``xlwings.udfs`` is Windows-only only because it imports pywin32 at the top; its
    wrapper generator is plain text work, so stand-ins for those modules let it run here."""
    stubs = {}
    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        if name not in sys.modules:
            stubs[name] = sys.modules[name] = types.ModuleType(name)
    try:
        sys.modules["win32com.client"].Dispatch = getattr(sys.modules["win32com.client"], "Dispatch", None)
        sys.modules["win32com"].client = sys.modules["win32com.client"]
        if not hasattr(sys.modules["pythoncom"], "CoInitialize"):
            sys.modules["pythoncom"].CoInitialize = lambda: None
        from xlwings import udfs  # noqa: PLC0415

        from . import functions  # noqa: PLC0415

        module = types.ModuleType(UDF_MODULE)
        for name in UDFS:
            fn = getattr(functions, name)
            wrapped = udfs.xlfunc(fn)
            for arg in RANGE_ARGS.get(name, ()):
                wrapped = udfs.xlarg(arg, ndim=1)(wrapped)
            setattr(module, name, wrapped)
        out = io.StringIO()
        udfs.generate_vba_wrapper(UDF_MODULE, module, out, types.SimpleNamespace(Name=ADDIN_NAME))
        return 'Attribute VB_Name = "xlwings_udfs"\n' + out.getvalue()
    finally:
        for name in stubs:
            sys.modules.pop(name, None)
        sys.modules.pop("xlwings.udfs", None)


def vba_modules() -> list[tuple[str, str, str]]:
    """(name, source, kind) of every module, in the order they are added."""
    xw = xlwings_dir()
    core = (xw / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    marker = 'PROJECT_NAME As String = "myaddin"'
    if marker not in core:
        raise CannotRun(f"{xw / 'xlwings_custom_addin.bas'} no longer has {marker!r}: check this xlwings "
                        "version's custom add-in module before building.")
    core = core.replace(marker, 'PROJECT_NAME As String = "kpi_xl"')
    return [
        ("xlwings", core, "standard"),
        ("Dictionary", (xw / "addin" / "Dictionary.cls").read_text(encoding="utf-8"), "class"),
        ("KpiRibbon", (SOURCES / "KpiRibbon.bas").read_text(encoding="utf-8"), "standard"),
        ("xlwings_udfs", udf_wrappers(), "standard"),
    ]


def build(out: Path) -> Path:
    """Write the add-in to ``out`` (a .xlam file); returns it."""
    out = Path(out)
    if out.suffix.lower() != ".xlam":
        raise CannotRun(f"{out}: Excel only loads an add-in from a file ending in .xlam. "
                        f"Give a name such as {out.with_suffix('.xlam').name}.")
    try:
        from pyopenvba import ExcelFile  # noqa: PLC0415
        from pyopenvba.vba import VBAModuleKind  # noqa: PLC0415
    except ImportError:
        raise CannotRun(NEEDS_PYOPENVBA) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir) / ADDIN_NAME
        with ExcelFile.create_new(tmp) as wb:
            project = wb.vba_project()
            project.delete_module("Module1")
            for name, source, kind in vba_modules():
                if kind == "class":
                    project.add_module(name, source, kind=VBAModuleKind.other)
                else:
                    project.add_module(name, source)
            wb.save()
        with ExcelFile(tmp) as wb:
            problems = wb.validate()
            if problems:
                raise CannotRun(f"pyOpenVBA found problems in the built project: {problems}")
        with zipfile.ZipFile(tmp) as zin:
            parts = {n: zin.read(n) for n in zin.namelist()}
    rels = parts["_rels/.rels"].decode("utf-8")
    if "ui/extensibility" not in rels:
        rels = rels.replace("</Relationships>", UI_REL + "</Relationships>")
    parts["_rels/.rels"] = rels.encode("utf-8")
    parts[UI_PART] = (SOURCES / "customUI14.xml").read_bytes()
    first = "[Content_Types].xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in [first] + sorted(n for n in parts if n != first):
            zout.writestr(zipfile.ZipInfo(name, FIXED_DATE), parts[name], zipfile.ZIP_DEFLATED)
    return out


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_back(path: Path) -> dict[str, str]:
    """The VBA modules of a built add-in, by name, read back with pyOpenVBA."""
    from pyopenvba import ExcelFile  # noqa: PLC0415

    with ExcelFile(path) as wb:
        project = wb.vba_project()
        return {m.name: m.source for m in project.modules}


def check(out: Path) -> str:
    """Build ``out`` twice: same bytes; the ribbon, the button Subs and the UDFs are there. Returns its SHA-256."""
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    first = build(out).read_bytes()
    with tempfile.TemporaryDirectory() as tmpdir:
        second = build(Path(tmpdir) / "again.xlam").read_bytes()
    if first != second:
        raise CannotRun("two builds differ: the add-in is not reproducible")
    with zipfile.ZipFile(out) as zf:
        ui = ET.fromstring(zf.read(UI_PART))
        if "ui/extensibility" not in zf.read("_rels/.rels").decode():
            raise CannotRun("the ribbon relationship is missing")
    actions = [b.get("onAction") for b in ui.iter("{http://schemas.microsoft.com/office/2009/07/customui}button")]
    modules = read_back(out)
    ribbon = modules.get("KpiRibbon", "")
    for action in actions:
        if f"Sub {action.split('.')[-1]}(" not in ribbon:
            raise CannotRun(f"the ribbon calls {action}, which KpiRibbon.bas does not define")
    for udf in UDFS:
        if f"Function {udf}(" not in modules.get("xlwings_udfs", ""):
            raise CannotRun(f"{udf} has no VBA wrapper")
    return hashlib.sha256(first).hexdigest()
