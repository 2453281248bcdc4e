"""Build the desktop add-in ``addin/build/kpi_xl.xlam`` from the text sources beside this file.

    pip install -e '.[addin]'          # pyOpenVBA (MIT), pure Python
    python addin/build.py              # -> addin/build/kpi_xl.xlam, and its SHA-256
    python addin/build.py --check      # build twice, check the bytes match and read the VBA back

The same as ``kpi-xl addin -o addin/build/kpi_xl.xlam``, which also works from an installed
kpi_xl: the building is done by ``kpi_xl.excel.addin`` (what goes in is described there).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kpi_xl.excel import addin
from kpi_xl.excel.addin import read_back  # noqa: F401  (tests read the built VBA back through this script)
from kpi_xl.errors import KpiError

OUT = Path(__file__).resolve().parent / "build" / addin.ADDIN_NAME


def build(out: Path = OUT) -> Path:
    return addin.build(out)


def check(out: Path = OUT) -> str:
    return addin.check(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="build twice and verify the result")
    parser.add_argument("-o", "--output", type=Path, default=OUT, help=f"the add-in to write (default {OUT})")
    args = parser.parse_args(argv)
    try:
        if args.check:
            print(f"{args.output}: reproducible, ribbon and VBA verified, sha256 {check(args.output)}")
        else:
            path = build(args.output)
            print(f"{path} sha256 {addin.sha256(path)}")
    except KpiError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
