"""The package as installed: the wheel carries the templates and the add-in's sources, and the
command line documents every option. (.ci/smoke-installed runs every command from a wheel
installed in a fresh virtualenv.)"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kpi_xl.cli import COMMANDS, parser

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv*", "build", "*.egg-info", "__pycache__", ".pytest_cache",
                                     ".hypothesis", "output", "*.xlam")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from a clean copy of the checkout (no stale build/ to hide a gap)."""
    tmp = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, tmp / "src", ignore=NOT_SOURCES)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp / "dist"),
                    str(tmp / "src")], check=True, capture_output=True)
    (found,) = (tmp / "dist").glob("kpi_xl-*.whl")
    return found


def test_wheel_carries_every_module_template_and_addin_source(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in sorted((ROOT / "kpi_xl").rglob("*.py")):
        assert path.relative_to(ROOT).as_posix() in names
    for path in sorted((ROOT / "templates").glob("*.toml")):
        assert f"kpi_xl/bundled/templates/{path.name}" in names
    for name in ("KpiRibbon.bas", "customUI14.xml"):
        assert f"kpi_xl/bundled/addin/{name}" in names
    assert "kpi_xl/run/starter.toml" in names  # kpi-xl init's headers, notes and example rows
    assert "kpi_xl/run/rollup_starter.toml" in names  # kpi-xl init --rollup's
    licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: BSD-3-Clause" in metadata and licence


def test_installed_package_finds_its_templates_and_addin_sources_from_any_folder(wheel, tmp_path):
    """Unpacked as pip installs it, kpi_xl finds what it ships inside itself, not in a checkout."""
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = ("import kpi_xl, kpi_xl.excel.addin, kpi_xl.layout.templates as t; print(kpi_xl.__file__); "
            "print(*t.available_templates().values(), sep='\\n'); print(kpi_xl.excel.addin.SOURCES / 'KpiRibbon.bas')")
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(site), "PATH": ""})
    module, *templates, ribbon = result.stdout.splitlines()
    assert Path(module).is_relative_to(site)
    assert [Path(p).name for p in templates] == ["kpi-scorecard.toml", "monthly-monitoring.toml"]
    for path in (*templates, ribbon):
        assert Path(path).is_relative_to(site / "kpi_xl" / "bundled") and Path(path).is_file()


def commands() -> dict[str, argparse.ArgumentParser]:
    top = parser()
    (sub,) = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    return {"kpi-xl": top} | {f"kpi-xl {name}": p for name, p in sub.choices.items()}


@pytest.mark.parametrize("command", commands())
def test_every_option_of_every_command_has_help(command, capsys):
    p = commands()[command]
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            assert [c.dest for c in action._choices_actions] == list(action.choices), "a command has no help"
            for choice in action._choices_actions:
                assert choice.help, f"{command} {choice.dest} has no help"
        else:
            assert action.help and action.help.strip(), f"{command} {action.option_strings or action.dest} has no help"
    with pytest.raises(SystemExit) as done:
        p.parse_args(["--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    for action in p._actions:
        for option in action.option_strings:
            assert option in shown


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_about_to_run_gets_the_parser_it_would_get_among_all(name, capsys):
    """``parser(name)`` makes that command's parser alone (the others cost the start of every
    run): the same options, help and defaults as among all the commands, which are ``COMMANDS``."""
    (sub,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert tuple(sub.choices) == COMMANDS
    (alone,) = [a for a in parser(name)._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(alone.choices) == [name]
    for p in (sub.choices[name], alone.choices[name]):
        with pytest.raises(SystemExit):
            p.parse_args(["--help"])
    among_all, by_itself = capsys.readouterr().out.split("usage:")[1:]
    assert by_itself == among_all
    def defaults(p):  # (a function by its name: serve's is made anew with its parser)
        return {key: getattr(value, "__qualname__", value) for key, value in p._defaults.items()}
    assert defaults(alone.choices[name]) == defaults(sub.choices[name])


def test_top_level_help_lists_the_exit_codes_and_version(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["--help"])
    shown = capsys.readouterr().out
    for code in ("0", "1", "2", "3", "4"):
        assert f"\n  {code}  " in shown
    with pytest.raises(SystemExit) as done:
        parser().parse_args(["--version"])
    assert done.value.code == 0
    from importlib.metadata import version
    assert capsys.readouterr().out.strip() == f"kpi-xl {version('kpi_xl')}"


def readme_synopsis() -> dict[str, str]:
    """The README's command-line synopsis, one entry per command (continuation lines joined)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## The command line", 1)[1].split("```", 2)[1]
    synopsis: dict[str, str] = {}
    command = ""
    for line in block.splitlines():
        if line.startswith("kpi-xl "):
            word = line.split()[1]
            command = "kpi-xl" if word.startswith("-") or word.isupper() else f"kpi-xl {word}"
            synopsis[command] = synopsis.get(command, "") + " " + line
        elif line.strip() and command:
            synopsis[command] += " " + line
    return synopsis


def test_readme_synopsis_shows_every_command_and_option():
    synopsis = readme_synopsis()
    for command, p in commands().items():
        assert command in synopsis, f"the README's synopsis has no line for {command}"
        for action in p._actions:
            options = [o for o in action.option_strings if o not in ("-h", "--help")]
            if options:
                assert any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", synopsis[command]) for o in options), \
                    f"the README's synopsis of {command} does not show {'/'.join(options)}"


def test_addin_command_writes_the_xlam_from_the_shipped_sources(tmp_path, capsys):
    pytest.importorskip("pyopenvba", reason="pip install 'kpi_xl[addin]' to build the desktop add-in")
    from kpi_xl.excel import addin
    from kpi_xl.cli import main

    out = tmp_path / "new folder" / "kpi_xl.xlam"
    assert main(["addin", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"{out} sha256 {addin.sha256(out)}"
    parts = zipfile.ZipFile(out).namelist()
    assert addin.UI_PART in parts and "xl/vbaProject.bin" in parts
    assert "KpiRibbon" in addin.read_back(out)


def test_addin_command_says_what_to_install_or_name(tmp_path, capsys, monkeypatch):
    from kpi_xl.cli import main

    assert main(["addin", "-o", str(tmp_path / "kpi_xl.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "kpi_xl.xlsx: Excel only loads an add-in from a file ending in .xlam" in err and "kpi_xl.xlam" in err
    monkeypatch.setitem(sys.modules, "pyopenvba", None)  # as if the addin extra were not installed
    assert main(["addin", "-o", str(tmp_path / "kpi_xl.xlam")]) == 2
    assert "pip install 'kpi_xl[addin]'" in capsys.readouterr().err
    assert not (tmp_path / "kpi_xl.xlam").exists()
