"""Build the desktop add-in ``addin/build/kpi_xl.xlam`` from the text sources beside this file.

    pip install 'kpi_xl[addin]'        # pyOpenVBA (MIT), pure Python
    python addin/build.py              # -> addin/build/kpi_xl.xlam, and its SHA-256
    python addin/build.py --check      # build twice, check the bytes match and read the VBA back

What goes in, all as text:

* ``xlwings`` module: xlwings' own ``xlwings_custom_addin.bas`` (BSD, shipped in the
  xlwings wheel) with ``PROJECT_NAME = "kpi_xl"``: ``RunPython`` and the UDF plumbing;
* ``Dictionary`` class: xlwings' ``addin/Dictionary.cls`` (which that module needs);
* ``KpiRibbon`` module: ``KpiRibbon.bas`` here, one Sub per ribbon button;
* ``xlwings_udfs`` module: the VBA wrappers of ``KPI_RAG``, ``KPI_CHANGE``, ``KPI_DOT``,
  ``KPI_YTD`` (``kpi_xl.functions``), generated with xlwings' own generator (what its
  "Import Functions" button writes), so no one has to click it on Windows;
* ``customUI/customUI14.xml``: ``customUI14.xml`` here, the KPI Scorecard ribbon tab.

pyOpenVBA writes the VBA project from source and clears its compiled cache, so Excel
compiles the modules when it first opens the add-in. Zip entries are written in a fixed
order with a fixed date: the same sources give the same bytes.

The .xlam must match the xlwings version on the PC (its VBA names the xlwings DLL by
version): rebuild it whenever xlwings is upgraded. Nothing here can open it in Excel;
see docs/excel-addin.md for what is and is not proven on Linux.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import sys
import tempfile
import types
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "build" / "kpi_xl.xlam"
FIXED_DATE = (2020, 1, 1, 0, 0, 0)
UI_PART = "customUI/customUI14.xml"
UI_REL = ('<Relationship Id="rIdKpiUI" Type="http://schemas.microsoft.com/office/2007/relationships/'
          'ui/extensibility" Target="customUI/customUI14.xml"/>')
UDF_MODULE = "kpi_xl.functions"
UDFS = ("KPI_RAG", "KPI_CHANGE", "KPI_DOT", "KPI_YTD")
ADDIN_NAME = "kpi_xl.xlam"


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

        from kpi_xl import functions  # noqa: PLC0415

        module = types.ModuleType(UDF_MODULE)
        for name in UDFS:
            fn = getattr(functions, name)
            wrapped = udfs.xlfunc(fn)
            if name == "KPI_YTD":
                for arg in ("values", "numerators", "denominators"):
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
        raise SystemExit(f"{xw / 'xlwings_custom_addin.bas'} no longer has {marker!r}: check this xlwings "
                         "version's custom add-in module before building.")
    core = core.replace(marker, 'PROJECT_NAME As String = "kpi_xl"')
    return [
        ("xlwings", core, "standard"),
        ("Dictionary", (xw / "addin" / "Dictionary.cls").read_text(encoding="utf-8"), "class"),
        ("KpiRibbon", (HERE / "KpiRibbon.bas").read_text(encoding="utf-8"), "standard"),
        ("xlwings_udfs", udf_wrappers(), "standard"),
    ]


def build(out: Path = OUT) -> Path:
    """Write the add-in to ``out``; returns it."""
    try:
        from pyopenvba import ExcelFile  # noqa: PLC0415
        from pyopenvba.vba import VBAModuleKind  # noqa: PLC0415
    except ImportError:
        raise SystemExit("Building kpi_xl.xlam needs pyOpenVBA: pip install 'kpi_xl[addin]'") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir) / "kpi_xl.xlam"
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
                raise SystemExit(f"pyOpenVBA found problems in the built project: {problems}")
        with zipfile.ZipFile(tmp) as zin:
            parts = {n: zin.read(n) for n in zin.namelist()}
    rels = parts["_rels/.rels"].decode("utf-8")
    if "ui/extensibility" not in rels:
        rels = rels.replace("</Relationships>", UI_REL + "</Relationships>")
    parts["_rels/.rels"] = rels.encode("utf-8")
    parts[UI_PART] = (HERE / "customUI14.xml").read_bytes()
    first = "[Content_Types].xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in [first] + sorted(n for n in parts if n != first):
            zout.writestr(zipfile.ZipInfo(name, FIXED_DATE), parts[name], zipfile.ZIP_DEFLATED)
    return out


def read_back(path: Path) -> dict[str, str]:
    """The VBA modules of a built add-in, by name, read back with pyOpenVBA."""
    from pyopenvba import ExcelFile  # noqa: PLC0415

    with ExcelFile(path) as wb:
        project = wb.vba_project()
        return {m.name: m.source for m in project.modules}


def check() -> str:
    """Build twice: same bytes; the ribbon, the button Subs and the UDFs are there."""
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    first = build(OUT).read_bytes()
    with tempfile.TemporaryDirectory() as tmpdir:
        second = build(Path(tmpdir) / "again.xlam").read_bytes()
    if first != second:
        raise SystemExit("two builds differ: the add-in is not reproducible")
    with zipfile.ZipFile(OUT) as zf:
        ui = ET.fromstring(zf.read(UI_PART))
        if "ui/extensibility" not in zf.read("_rels/.rels").decode():
            raise SystemExit("the ribbon relationship is missing")
    actions = [b.get("onAction") for b in ui.iter("{http://schemas.microsoft.com/office/2009/07/customui}button")]
    modules = read_back(OUT)
    ribbon = modules.get("KpiRibbon", "")
    for action in actions:
        if f"Sub {action.split('.')[-1]}(" not in ribbon:
            raise SystemExit(f"the ribbon calls {action}, which KpiRibbon.bas does not define")
    for udf in UDFS:
        if f"Function {udf}(" not in modules.get("xlwings_udfs", ""):
            raise SystemExit(f"{udf} has no VBA wrapper")
    return hashlib.sha256(first).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="build twice and verify the result")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.check:
        print(f"{OUT}: reproducible, ribbon and VBA verified, sha256 {check()}")
    else:
        path = build(args.output)
        print(f"{path} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
