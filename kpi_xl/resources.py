"""Files kpi_xl ships beside its code: the report templates and the desktop add-in's sources.

In a checkout they are the top-level folders ``templates/`` and ``addin/``. The wheel
carries them inside the package, as ``kpi_xl/bundled/templates`` and ``kpi_xl/bundled/addin``
(``package-dir`` in pyproject.toml), so an installed kpi_xl finds them from any folder.
"""
from __future__ import annotations

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
#: the package's own folder, as importlib.resources.files would give it for a package
#: installed as files (which every build loads templates from: importing importlib.resources
#: for it cost more than a template's whole reading)
PACKAGE = Path(__file__).parent


def bundled(folder: str) -> Path:
    """The folder of shipped files called ``folder`` ("templates" or "addin")."""
    installed = PACKAGE / "bundled" / folder
    if installed.is_dir():
        return installed
    return CHECKOUT / folder  # a checkout, or an editable install of one
