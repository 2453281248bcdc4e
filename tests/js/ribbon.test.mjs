// kpi_xl's ribbon, proven against xlwings Server's own JavaScript client without Excel.
//
// For each sample workbook and each button: a mock Excel holding the raw sheets; the
// client's runPython reads it into a request body, POSTs it to a real `kpi-xl serve`
// (started here, token required) and applies the answer with its own dispatchActions and
// callbacks. The drawn scorecard is compared cell by cell with the file `kpi-xl build`
// writes from the same workbook. Round trips and actions per click go to
// benchmarks/ribbon_roundtrips.md. Run: cd tests/js && npm ci && npm test
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { clickButton, loadClient, pythonCommand } from "./client.mjs";
import { MockWorkbook, cellAddress, parseAddress } from "./mock-excel.mjs";
import { startServer } from "./server.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SAMPLES = ["kpi_scorecard_jan2020.xlsx", "monthly_monitoring_feb2014.xlsx"];
const BUTTONS = ["build_scorecard", "refresh_ratings", "check_data", "new_raw_sheets", "directors_copy"];
const TOKEN = "js-suite-token";
const python = pythonCommand(ROOT);
// Issue 11's starting point, for comparison (the same suite before the drawing was lightened).
const BEFORE = [
  "Before issue 11 (sheets redrawn in place, one border rectangle per boxed block):",
  "",
  "| sample | button | actions | round trips |",
  "|---|---|---:|---:|",
  "| kpi_scorecard_jan2020.xlsx | build_scorecard / refresh_ratings | 1907 | 3847 |",
  "| kpi_scorecard_jan2020.xlsx (over its scorecard) | build_scorecard | 2008 | 3883 |",
  "| monthly_monitoring_feb2014.xlsx | build_scorecard / refresh_ratings | 2123 | 4029 |",
  "| monthly_monitoring_feb2014.xlsx (over its scorecard) | build_scorecard | 2181 | 4101 |",
  "",
];
const figures = [];
let server;
let tmp;

function workbookJson(file, ...flags) {
  return JSON.parse(execFileSync(python, [path.join(ROOT, "tests", "js", "workbook_json.py"), ...flags, file],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
}

const raw = Object.fromEntries(SAMPLES.map((s) => [s, workbookJson(path.join(ROOT, "workbooks", s))]));

/** The scorecard `kpi-xl build` writes from the same sample, formulas as text. */
function builtFile(sample) {
  const out = path.join(tmp, sample.replace(".xlsx", "_scorecard.xlsx"));
  const kpiXl = path.join(path.dirname(python), "kpi-xl");
  execFileSync(kpiXl, ["build", path.join(ROOT, "workbooks", sample), "-o", out, "-q"], { stdio: "ignore" });
  return workbookJson(out, "--formulas");
}

function cellText(cell) {
  if (!cell) return "";
  return cell.formula ?? cell.value;
}

/** kpi-xl build writes a link as the cell's text with a hyperlink; the ribbon, which has no
 *  hyperlink action, as =HYPERLINK("#'Sheet'!A1", text). Both show the text. */
function shown(text) {
  const m = /^=HYPERLINK\("[^"]*",(?:"((?:[^"]|"")*)"|([^)]*))\)$/.exec(text);
  if (!m) return text;
  return m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2];
}

/** Sheet references as Excel writes them after a rename: quoted only where the name needs it. */
function plainRefs(text) {
  return typeof text === "string" ? text.replace(/'([A-Za-z_][A-Za-z0-9_.]*)'!/g, "$1!") : text;
}

function same(a, b) {
  a = typeof a === "string" ? plainRefs(shown(a)) : a;
  b = plainRefs(b);
  if (typeof a !== typeof b) return String(a) === String(b);
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b));
  return a === b;
}

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "kpi-xl-js-"));
  server = await startServer(python, { token: TOKEN });
  const xlwingsVersion = execFileSync(python, ["-c", "import xlwings; print(xlwings.__version__)"],
    { encoding: "utf8" }).trim();
  await loadClient({ python, serverUrl: server.url, xlwingsVersion });
});

after(async () => {
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (figures.length) writeFigures();
});

function writeFigures() {
  const lines = [
    "# Ribbon round trips per click",
    "",
    "Written by `tests/js` (`npm test`): each button clicked once on a fresh copy of the sample,",
    "through xlwings Server's own JavaScript client against a mock Excel and a real `kpi-xl serve`.",
    "A round trip is one `context.sync()` (one batch sent to Excel and back); *reading* is the",
    "client building the request body (about four per sheet), *applying* is dispatching the returned",
    "actions (about two per action: the client looks the sheet up, then syncs the write) plus",
    "Excel.run's closing sync. \"Over its scorecard\" is a second click on a workbook already drawn.",
    "Of the actions, *round-trip* ones cost at least one `context.sync()` each as the client applies",
    "them (every range and sheet action: it looks the sheet up first); *batched* ones only",
    "queue work that the next sync carries (book-level names, for example). A sheet's formats are one",
    "round-trip action (`runMacro` of kpi_xl's `kpiFormats` callback, two round trips), its charts",
    "(every line, coloured as in the file) included.",
    "",
    "| sample | button | actions | round-trip actions | batched actions | round trips | reading | applying | body (kB) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...figures.map((f) => `| ${f.sample} | ${f.button} | ${f.actions} | ${f.roundTripActions} | `
      + `${f.batchedActions} | ${f.syncs} | ${f.readSyncs} | ${f.syncs - f.readSyncs} | ${f.bodyKb} |`),
    "",
    ...BEFORE,
  ];
  const text = lines.join("\n");
  writeFileSync(path.join(ROOT, "benchmarks", "ribbon_roundtrips.md"), text);
  writeFileSync(path.join(ROOT, "benchmarks", "ribbon_roundtrips.json"), `${JSON.stringify(figures, null, 1)}\n`);
  console.log(`\n${text}`);
}

async function click(book, sample, button, options) {
  const result = await clickButton(book, button, { token: TOKEN, ...options });
  if (!options?.failAt) {
    figures.push({ sample, button, actions: result.actions.length, syncs: result.syncs,
      readSyncs: result.readSyncs, bodyKb: Math.round(JSON.stringify(result.body).length / 1024),
      roundTripActions: result.actionSyncs.filter((n) => n > 0).length,
      batchedActions: result.actionSyncs.filter((n) => n === 0).length });
  }
  return result;
}

function assertClean(result) {
  assert.deepEqual(result.errors.map(String), [], "the client raised an error");
  assert.ok(result.actions.length > 0, "the server sent no actions");
  for (const d of result.dialogs) assert.notEqual(d.title, "Error", d.prompt);
}

/** Every cell, conditional format and name of the built file is in the mock, as drawn. */
function assertMatchesFile(book, file) {
  for (const ref of file.sheets) {
    const sheet = book.sheet(ref.name);
    assert.ok(sheet, `no sheet ${ref.name} drawn; the workbook has ${book.sheets.map((s) => s.name)}`);
    const wrong = [];
    for (const [r, c, value] of ref.cells) {
      const drawn = cellText(sheet.cell(r, c));
      if (!same(drawn, value)) wrong.push(`${ref.name}!${cellAddress(r, c)}: drawn ${JSON.stringify(drawn)}, file ${JSON.stringify(value)}`);
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} cells differ from kpi-xl build's file`);
    const drawnRules = sheet.conditionalFormats.map((cf) => `${cf.address} ${plainRefs(cf.formula)}`).sort();
    const fileRules = ref.conditional_formats.map((cf) => `${cf.range} ${plainRefs(cf.formula)}`).sort();
    assert.deepEqual(drawnRules, fileRules, `conditional formats on ${ref.name}`);
    for (const cf of sheet.conditionalFormats) {
      assert.match(cf.fill ?? "", /^#[0-9a-f]{6}$/i, `${ref.name}!${cf.address} ${cf.formula} has no fill`);
    }
  }
  // The ribbon's own record of the sheets it drew (kpi_xl_sheets_1, _2 ... if long), which the
  // next click deletes before redrawing: the file has no such name.
  const own = book.names.filter((n) => /^kpi_xl_sheets_\d+$/.test(n.name));
  const ownSheets = own.map((n) => JSON.parse(n.formula.slice(1))).join("").split("|");
  assert.deepEqual(ownSheets, file.sheets.map((s) => s.name), "kpi_xl_sheets_* lists the sheets drawn");
  const drawnNames = book.names.filter((n) => !own.includes(n)).map((n) => `${n.name} ${n.formula}`).sort();
  const fileNames = file.names.map((n) => `${n.name} ${n.formula}`).sort();
  assert.deepEqual(drawnNames.filter((n) => !fileNames.includes(n)), [], "names drawn that the file lacks");
  assert.deepEqual(fileNames.filter((n) => !drawnNames.includes(n)), [], "names in the file not drawn");
}

/** A mock workbook with the sample's scorecard drawn by one Build scorecard click. */
async function drawnBook(sample) {
  const book = new MockWorkbook(raw[sample]);
  assertClean(await clickButton(book, "build_scorecard", { token: TOKEN }));
  return book;
}

const DRAFT = /^kpi_xl draft \d+$/;

/** Everything the mock holds for the book's sheets (but drafts) and names, to compare before and after. */
function snapshot(book) {
  return JSON.stringify({
    sheets: book.sheets.filter((s) => !DRAFT.test(s.name)).map((s) => ({
      name: s.name, cells: [...s.cells], formats: s.formats, rules: s.conditionalFormats, charts: s.charts,
      merges: s.merges, printArea: s.printArea, frozenAt: s.frozenAt, gridlines: s.showGridlines,
    })),
    names: book.names,
  });
}

// The file's dashes (XlsxWriter's OOXML names) as Office.js' ChartLineStyle, which has one dash length.
const LINE_STYLE = { null: "Continuous", none: "None", dash: "Dash", lgDash: "Dash", sysDot: "RoundDot" };
const MARKER = { null: "None", circle: "Circle", diamond: "Diamond", square: "Square", triangle: "Triangle",
  dash: "Dash" };
// Making Data Count's colours, as the file draws an SPC chart's special-cause points
const SPECIAL_CAUSE = { Improvement: ["#0070C0", "Diamond"], Concern: ["#B45309", "Square"],
  Neither: ["#7030A0", "Triangle"] };

/** A chart's cells, as Excel shows them whether written with $ or not. */
function cellsRef(text) {
  return plainRefs(text).replace(/\$/g, "");
}

/** Each chart's series in the drawn book: the figures' cells, x values, line and markers. */
function drawnSeries(s) {
  return { name: s.name, values: cellsRef(s.values), categories: cellsRef(s.xValues),
    colour: s.line.lineStyle === "None" ? s.markerBackgroundColor : s.line.color,
    line: s.line.lineStyle, marker: s.markerStyle };
}

/** Every chart the file has is drawn on the same sheet, in the same order, with the same
 *  series (name, cells, months, colour, dashes, markers), titled and with numbers behind it;
 *  on the SPC charts sheet the mean, limits and special causes are there, in MDC's colours. */
function assertCharts(book, file) {
  let count = 0;
  for (const ref of file.sheets) {
    const drawn = book.sheet(ref.name).charts;
    assert.equal(drawn.length, ref.charts.length, `charts on ${ref.name}`);
    ref.charts.forEach((want, k) => {
      const chart = drawn[k];
      const where = `chart "${chart.title}" on ${ref.name}`;
      assert.ok(chart.title, `chart ${k + 1} on ${ref.name} has no title`);
      const [sourceSheet, address] = chart.source.split("!");
      const source = book.sheet(sourceSheet.replace(/^'|'$/g, ""));
      assert.ok(source, `${where}: source sheet ${sourceSheet} missing`);
      const [r0, c0, rows, columns] = parseAddress(address);
      const filled = [];
      for (let r = r0; r < r0 + rows; r += 1) {
        for (let c = c0; c < c0 + columns; c += 1) filled.push(cellText(source.cell(r, c)));
      }
      assert.ok(filled.some((v) => typeof v === "number"), `${where}: no figures in ${chart.source}`);
      const expected = want.series.map((s) => ({ name: s.name, values: cellsRef(s.values),
        categories: cellsRef(s.categories), colour: s.colour, line: LINE_STYLE[s.dash], marker: MARKER[s.marker] }));
      assert.deepEqual(chart.series.map(drawnSeries), expected, where);
      assert.equal(chart.blanks, "NotPlotted", `${where}: months without a figure are gaps`);
      if (ref.name === "SPC charts") {
        const names = chart.series.map((s) => s.name);
        for (const line of ["Mean", "Process limits", "Lower process limit"]) assert.ok(names.includes(line), where);
        const mean = chart.series.find((s) => s.name === "Mean");
        assert.deepEqual([mean.line.lineStyle, mean.line.color], ["Continuous", "#7F7F7F"], `${where}: the mean`);
        for (const s of chart.series.filter((x) => x.name.includes("limit"))) assert.equal(s.line.lineStyle, "Dash");
        for (const s of chart.series.filter((x) => x.name in SPECIAL_CAUSE)) {
          assert.deepEqual([s.markerBackgroundColor, s.markerStyle, s.line.lineStyle], [...SPECIAL_CAUSE[s.name], "None"],
            `${where}: ${s.name} points`);
        }
        // the legend lists each line once: a rebase's second mean and limits, and the lower limit, are left out
        assert.deepEqual(chart.series.filter((s) => s.inLegend).map((s) => s.name).filter((n, i, all) => all.indexOf(n) !== i),
          [], `${where}: a line listed twice in the legend`);
      }
      count += 1;
    });
  }
  return count;
}

for (const sample of SAMPLES) {
  describe(sample, () => {
    let file;
    before(() => {
      file = builtFile(sample);
    });

    for (const button of BUTTONS) {
      test(`${button}: the client sends the workbook, applies every action, no error`, async () => {
        const book = new MockWorkbook(raw[sample]);
        const result = await click(book, sample, button);
        assertClean(result);
        const body = result.body;
        assert.deepEqual(body.sheets.map((s) => s.name), raw[sample].sheets.map((s) => s.name));
        assert.ok(body.sheets.every((s) => s.values.length > 0));
        if (button === "build_scorecard" || button === "refresh_ratings") {
          assertMatchesFile(book, file);
          const drawnCharts = assertCharts(book, file);
          const batchedCharts = result.actions.filter((a) => a.func === "runMacro")
            .flatMap((a) => a.args[1]).filter((inner) => inner.func === "kpiChart").length;
          assert.equal(drawnCharts, batchedCharts);
          const spc = file.sheets.find((sh) => sh.name === "SPC charts");
          assert.ok(spc && spc.charts.length > 10, "the sample has SPC charts");
          const special = new Set(book.sheet("SPC charts").charts.flatMap((c) => c.series.map((x) => x.name)));
          assert.ok(["Improvement", "Concern", "Neither"].some((n) => special.has(n)), "no special-cause points drawn");
        }
        if (button === "check_data") {
          assert.ok(book.sheets.length > raw[sample].sheets.length, "check_data drew no sheet");
        }
      });
    }

    test("dates in date-formatted cells reach the server as the client converts them", async () => {
      const book = new MockWorkbook(raw[sample]);
      const result = await clickButton(book, "check_data", { token: TOKEN });
      const dated = raw[sample].sheets.flatMap((s, i) => s.cells
        .filter(([, , v, fmt]) => typeof v === "number" && /[dmy]{2}/i.test(fmt))
        .map(([r, c]) => result.body.sheets[i].values[r][c]));
      assert.ok(dated.length > 0);
      for (const v of dated) assert.match(v, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    describe("Excel failing halfway through a redraw", () => {
      let good;
      let points;
      before(async () => {
        good = await clickButton(await drawnBook(sample), "refresh_ratings", { token: TOKEN });
        assertClean(good);
        // the swap starts when the first draft sheet is shown again; before it, only drafts are drawn
        const swap = good.actions.findIndex((a) => a.func === "setSheetVisibility" && a.args[0] === "Visible");
        assert.ok(swap > 0, "no swap of draft sheets found");
        const first = good.readSyncs + 1;
        const last = good.starts[swap]; // the last round trip before the swap
        // a point inside the run is moved to the first round trip of the next action that is not
        // addChart: the client reads the selection there and shrugs off a failure to (by design)
        const at = (p) => {
          const k = good.starts.findIndex((s, i) => s + 1 >= p && good.actions[i].func !== "addChart");
          return k < 0 ? p : good.starts[k] + 1;
        };
        points = [first, first + 1, at(first + (last - first) / 3), at(first + (last - first) / 2),
          at(first + (9 * (last - first)) / 10), last];
      });

      test("the person is told which action failed, and the last good scorecard is untouched", async () => {
        for (const failAt of points) {
          const book = await drawnBook(sample);
          const kept = snapshot(book);
          const failed = await clickButton(book, "refresh_ratings", { token: TOKEN, failAt });
          const shown = failed.dialogs.filter((d) => d.title === "Error").map((d) => d.prompt);
          assert.equal(shown.length, 1, JSON.stringify(failed.dialogs));
          assert.match(shown[0], /Action \d+ \(\w+\) failed: GeneralException/);
          const now = snapshot(book);
          const changed = JSON.parse(now).sheets.filter((sh, i) => JSON.stringify(sh) !== JSON.stringify(JSON.parse(kept).sheets[i]));
          assert.ok(now === kept, `round trip ${failAt} failing changed the last good scorecard: `
            + `${changed.map((sh) => sh.name).join(", ") || "names"}`);
          assertMatchesFile(book, file);
          // a draft the failure caught between being added and being hidden is still empty
          const seen = book.sheets.filter((s) => DRAFT.test(s.name) && s.visibility !== "Hidden");
          assert.deepEqual(seen.filter((s) => s.cells.size || s.formats.length).map((s) => s.name), [],
            "a half-drawn sheet is visible");
          // the next click draws the scorecard whole and leaves no draft behind
          assertClean(await clickButton(book, "build_scorecard", { token: TOKEN }));
          assertMatchesFile(book, file);
          assert.deepEqual(book.sheets.filter((s) => DRAFT.test(s.name)).map((s) => s.name), []);
        }
      });
    });

    test("the body matches tests/xlwings_body.py's, which the Python tests post", async () => {
      const result = await clickButton(new MockWorkbook(raw[sample]), "new_raw_sheets", { token: TOKEN });
      const script = "import json, sys; sys.path.insert(0, 'tests'); from xlwings_body import book_body; "
        + "print(json.dumps(book_body(sys.argv[1])))";
      const pythonBody = JSON.parse(execFileSync(python, ["-c", script, path.join("workbooks", sample)],
        { cwd: ROOT, encoding: "utf8", env: { ...process.env, XLWINGS_LICENSE_KEY: "noncommercial" } }));
      // notes_supported follows the mock's requirement sets (ExcelApi 1.18 reported missing).
      const withoutNotesFlag = (body) => ({ ...body, sheets: body.sheets.map(({ notes_supported, ...s }) => s) });
      assert.deepEqual(withoutNotesFlag(result.body), withoutNotesFlag(pythonBody));
    });

    test("a second Build scorecard redraws over the first", async () => {
      const book = new MockWorkbook(raw[sample]);
      assertClean(await clickButton(book, "build_scorecard", { token: TOKEN }));
      const second = await click(book, `${sample} (over its scorecard)`, "build_scorecard");
      assertClean(second);
      assertMatchesFile(book, file);
    });
  });
}

test("without the access token a click is refused, shown as one message, and draws nothing", async () => {
  const sample = SAMPLES[0];
  const book = new MockWorkbook(raw[sample]);
  const result = await clickButton(book, "build_scorecard", { token: "not-the-token" });
  assert.deepEqual(result.actions, []);
  assert.deepEqual(book.sheets.map((s) => s.name), raw[sample].sheets.map((s) => s.name));
  assert.equal(result.dialogs.length, 1);
  assert.equal(result.dialogs[0].title, "Error");
  assert.match(result.dialogs[0].prompt, /access token/);
});
