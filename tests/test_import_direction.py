"""Imports point down the flow: read -> rate -> lay out -> write -> run -> Excel -> command line.

A stage may import the shared vocabulary (alongside, errors, model, paused, periods, resources), itself and the
stages before it, never a later one (nothing in read/ knows about layouts or writers). Checked
on the source with ``ast``, lazy imports inside functions included.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kpi_xl"
# the order of the flow; api.py is the public face of the run stage (run/export and
# run/schedule call it), cli.py sits on top of everything
ORDER = ["shared", "read", "rate", "layout", "write", "run", "excel", "cli"]
SHARED = {"__init__", "alongside", "errors", "model", "paused", "periods", "resources"}


def stage(module: str) -> str:
    """The stage of a dotted module name under kpi_xl ('kpi_xl.read.grid' -> 'read')."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in SHARED:
        return "shared"
    if parts[0] == "api":
        return "run"
    if parts[0] == "cli":
        return "cli"
    return parts[0]


def module_name(path: Path, root: Path = PACKAGE) -> str:
    """'kpi_xl.read.grid' for kpi_xl/read/grid.py, 'kpi_xl.read' for its __init__.py."""
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, absolute module) of every kpi_xl import in the file; names imported from a
    package are its modules (``from ..run import safety`` -> kpi_xl.run.safety)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "kpi_xl"]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if module.split(".")[0] != "kpi_xl":
                continue
            folder = root.parent / module.replace(".", "/")
            found += [(node.lineno, f"{module}.{a.name}" if (folder / f"{a.name}.py").exists()
                       or (folder / a.name).is_dir() else module) for a in node.names]
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "xlwings_server_app" not in p.parts)


def test_every_module_is_in_a_known_stage():
    assert {stage(module_name(p)) for p in SOURCES} <= set(ORDER)


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(PACKAGE)) for p in SOURCES])
def test_imports_point_down_the_flow(path):
    here = stage(module_name(path))
    upward = [f"line {line}: {module} ({stage(module)})" for line, module in imported(path)
              if ORDER.index(stage(module)) > ORDER.index(here)]
    assert upward == [], f"{path.relative_to(PACKAGE)} ({here}) imports a later stage"


def test_the_check_sees_a_wrong_way_import(tmp_path):
    """Relative imports are resolved: a reader importing the layout or the run stage is caught."""
    assert {"kpi_xl.read.grid", "kpi_xl.errors"} <= {m for _, m in imported(PACKAGE / "read" / "reader.py")}
    root = tmp_path / "kpi_xl"
    for module in ("__init__", "read/__init__", "read/grid", "run/__init__", "run/safety"):
        (root / f"{module}.py").parent.mkdir(parents=True, exist_ok=True)
        (root / f"{module}.py").write_text("")
    bad = root / "read" / "bad.py"
    bad.write_text("from ..layout.builder import Layout\nfrom ..run import safety\nfrom .grid import Grid\n")
    assert imported(bad, root) == [(1, "kpi_xl.layout.builder"), (2, "kpi_xl.run.safety"), (3, "kpi_xl.read.grid")]
    assert [stage(m) for _, m in imported(bad, root)] == ["layout", "run", "read"]
