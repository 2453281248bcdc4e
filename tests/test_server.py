"""``kpi-xl serve`` as a running server on loopback: manifest, button endpoints, auth.

Needs the optional xlwings-server package (``pip install -e '.[test,server]'``). Without
it these tests are skipped on a developer's machine and fail on CI (``CI`` set), so CI
cannot pass by silently not testing the server.
"""
from __future__ import annotations

import copy
import io
import os
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from xlwings_body import RunningServer, book_body, function_call  # noqa: E402

from kpi_xl.excel import scripts, server  # noqa: E402
from kpi_xl.run.starter import write_starter_workbook  # noqa: E402

if not server.server_installed():
    if os.environ.get("CI"):
        pytest.fail("xlwings-server is not installed on CI: install with pip install -e '.[test,server]'",
                    pytrace=False)
    pytest.skip("xlwings-server is not installed (pip install 'kpi_xl[server]')", allow_module_level=True)

OFFICE = "{http://schemas.microsoft.com/office/appforoffice/1.1}"
BT = "{http://schemas.microsoft.com/office/officeappbasictypes/1.0}"
TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def srv():
    running = RunningServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def secured():
    running = RunningServer(env={server.TOKEN_ENV: TOKEN})
    yield running
    running.stop()


@pytest.fixture(scope="module")
def body(tmp_path_factory) -> dict:
    sample = Path(__file__).resolve().parent.parent / "workbooks" / "kpi_scorecard_jan2020.xlsx"
    if not sample.exists():
        sample = tmp_path_factory.mktemp("raw") / "raw.xlsx"
        write_starter_workbook(sample)
    return book_body(sample)


def test_manifest_is_well_formed_with_the_ribbon(srv):
    response = srv.get("/manifest.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.text.encode())
    assert root.tag == f"{OFFICE}OfficeApp"
    functions = [e.text for e in root.iter() if e.tag.endswith("FunctionName")]
    assert functions == ["build-scorecard", "refresh-ratings", "check-data", "directors-copy", "new-raw-sheets"]
    strings = {e.get("id"): e.get("DefaultValue") for e in root.iter(f"{BT}String")}
    assert strings["KpiTab.TabLabel"] == "KPI Scorecard"
    assert strings["Functions.Namespace"] == "KPI"
    labels = [strings[f"Kpi{b}.Label"] for b in ("Build", "Refresh", "Check", "Directors", "NewSheets")]
    assert labels == ["Build scorecard", "Refresh ratings", "Check data", "Directors' copy", "New raw sheets"]
    assert root.find(f"{OFFICE}Id").text == server.MANIFEST_IDS["prod"]


def test_ribbon_javascript_is_kpi_xls(srv):
    js = srv.get("/static/js/ribbon.js").text
    for function_name, script in (("build-scorecard", "build_scorecard"), ("new-raw-sheets", "new_raw_sheets")):
        assert f'"{function_name}": "{script}"' in js
    assert "kpi-token" in srv.get("/taskpane.html").text or "KPI Scorecard" in srv.get("/taskpane.html").text


def test_the_task_pane_page_loads_the_formats_callback(srv):
    """The ribbon's shared runtime is the task pane page: it must load kpi-formats.js, which
    applies the runMacro("kpiFormats") batches a Build scorecard sends, after xlwings' client."""
    page = srv.get("/taskpane.html").text
    assert "/js/kpi-formats.js" in page
    assert page.index("/js/main.js") < page.index("/js/kpi-formats.js")
    js = srv.get("/static/js/kpi-formats.js")
    assert js.status_code == 200 and "globalThis.callbacks.kpiFormats = kpiFormats" in js.text


@pytest.mark.parametrize("script", scripts.BUTTONS)
def test_each_button_endpoint_answers(srv, body, script):
    response = srv.post(f"/xlwings/custom-scripts-call/{script}", copy.deepcopy(body))
    assert response.status_code == 200, response.text
    actions = response.json()["actions"]
    assert [a for a in actions if a["func"] == "alert"], actions[-3:]


def test_build_endpoint_draws_with_conditional_formats(srv, body):
    actions = srv.post("/xlwings/custom-scripts-call/build_scorecard", copy.deepcopy(body)).json()["actions"]
    funcs = {a["func"] for a in actions}
    funcs |= {inner["func"] for a in actions if a["func"] == "runMacro" for inner in a["args"][1]}  # a sheet's formats
    assert {"addSheet", "setValues", "setFormula", "addConditionalFormat", "rangeMerge"} <= funcs
    rules = [a["args"][0]["formula"] for a in actions if a["func"] == "addConditionalFormat"]
    assert any(r.endswith('="Green"') for r in rules) and any(r.endswith('="Red"') for r in rules)


def test_function_endpoint_rag(srv):
    response = srv.post("/xlwings/custom-functions-call",
                        function_call("kpi_rag", 0.83, 0.85, "High", 5, "points", None, None, None))
    assert response.status_code == 200 and response.json()["result"] == [["Amber"]]
    meta = srv.get("/xlwings/custom-functions-meta.json").json()
    ids = {f["id"] for f in meta["functions"]}
    assert {"KPI_RAG", "KPI_CHANGE", "KPI_DOT", "KPI_YTD", "KPI_SPC"} <= ids


def test_function_endpoint_spc(srv):
    """KPI.SPC on the server: a row of 24 months of re-referrals, lower is better, target 15%."""
    response = srv.post("/xlwings/custom-functions-call",
                        function_call("kpi_spc", [[0.25, 0.23] * 12], "Low", 0.15))
    assert response.status_code == 200 and response.json()["result"] == [["Common cause; Will fail"]]


def test_unauthenticated_requests_are_refused(secured, body):
    script = "/xlwings/custom-scripts-call/check_data"
    call = function_call("kpi_rag", 0.9, 0.85)
    assert secured.post(script, copy.deepcopy(body)).status_code == 401
    assert secured.post(script, copy.deepcopy(body), Authorization="wrong").status_code == 401
    assert secured.post("/xlwings/custom-functions-call", call).status_code == 401
    ok = secured.post(script, copy.deepcopy(body), Authorization=TOKEN)
    assert ok.status_code == 200 and ok.json()["actions"]
    assert secured.post("/xlwings/custom-functions-call", call, Authorization=TOKEN).json()["result"] == [["Green"]]
    assert secured.get("/manifest.xml").status_code == 200  # Excel fetches the manifest before any token
    assert TOKEN not in secured.get("/taskpane.html").text


def test_unknown_script_is_404_naming_the_scripts(srv, body):
    response = srv.post("/xlwings/custom-scripts-call/build_everything", copy.deepcopy(body))
    assert response.status_code == 404
    assert "build_everything" in response.text
    assert all(name in response.text for name in scripts.BUTTONS)


def alert_text(response) -> str:
    return " ".join(a["args"][0] for a in response.json()["actions"] if a["func"] == "alert")


def timed(call):
    started = time.perf_counter()
    result = call()
    return result, started, time.perf_counter()


def test_manifest_answers_while_builds_run(srv, body):
    """Buttons run off the event loop: the manifest (and everything else) is answered
    while scorecards are being built, not after them."""
    build = lambda: srv.post("/xlwings/custom-scripts-call/build_scorecard", copy.deepcopy(body))  # noqa: E731
    response, started, finished = timed(build)
    assert response.status_code == 200
    one_build = finished - started
    with ThreadPoolExecutor(3) as pool:
        builds = [pool.submit(timed, build) for _ in range(3)]
        time.sleep(min(0.5, one_build / 4))  # the builds have reached the server
        manifests = []
        while len(manifests) < 3 and not all(b.done() for b in builds):
            manifests.append(timed(lambda: srv.get("/manifest.xml")))
        done = [b.result() for b in builds]
    assert all(r.status_code == 200 for r, _, _ in manifests + done)
    last_build = max(end for _, _, end in done)
    waits = [answered - asked for _, asked, answered in manifests if answered < last_build]
    assert waits, "the manifest waited for every build to finish"
    assert min(waits) < one_build / 3, (waits, one_build)


def test_simultaneous_builds_on_two_workers_all_save_the_file_copy(body, tmp_path):
    """Clicks from different people, handled by different worker processes, take turns
    at saving the same file copy instead of failing each other."""
    running = RunningServer("--workers", "2", env={scripts.OUTPUT_DIR_ENV: str(tmp_path)})
    try:
        with ThreadPoolExecutor(6) as pool:
            responses = list(pool.map(
                lambda _: running.post("/xlwings/custom-scripts-call/build_scorecard", copy.deepcopy(body)),
                range(6)))
    finally:
        running.stop()
    assert [r.status_code for r in responses] == [200] * 6
    texts = [alert_text(r) for r in responses]
    assert all("File copy saved" in t for t in texts), [t for t in texts if "File copy saved" not in t][:1]
    assert len(list(tmp_path.iterdir())) == 1  # the file copy; no lock or temporary file left


# -- without the server package, and the loud warning ----------------------------------------------


def test_missing_server_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(server, "server_installed", lambda: False)
    err = io.StringIO()
    with redirect_stderr(err):
        code = server.serve()
    assert code == 2
    text = err.getvalue()
    assert "pip install 'kpi_xl[server]'" in text and "PolyForm Noncommercial" in text and "commercial" in text


def test_public_address_without_auth_warns_loudly(monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append(k))
    monkeypatch.setattr(os, "environ", dict(os.environ))  # serve() sets XLWINGS_* for the server
    monkeypatch.delenv(server.TOKEN_ENV, raising=False)
    err = io.StringIO()
    with redirect_stderr(err):
        assert server.serve(host="0.0.0.0", port=8123) == 0
    assert "WITHOUT authentication" in err.getvalue() and calls[0]["host"] == "0.0.0.0"
    err = io.StringIO()
    with redirect_stderr(err):
        server.serve(host="127.0.0.1", port=8123)
    assert "WITHOUT authentication" not in err.getvalue()


def test_loopback_detection():
    assert server.is_loopback("127.0.0.1") and server.is_loopback("::1") and server.is_loopback("localhost")
    assert not server.is_loopback("0.0.0.0") and not server.is_loopback("10.1.2.3")


def test_serve_command_options():
    import argparse

    parser = argparse.ArgumentParser()
    server.add_serve_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", "--host", "0.0.0.0", "--port", "9000", "--auth", "t"])
    assert (args.host, args.port, args.auth) == ("0.0.0.0", 9000, "t") and callable(args.run)
