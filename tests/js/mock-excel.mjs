// A small Excel object model for xlwings Server's client to run against in Node.
//
// office-addin-mock's OfficeMockObject mirrors a fixed tree of values; a ribbon click adds
// sheets, writes ranges and reads them back, so the workbook here is live state behind
// Office.js-shaped objects. Every object is "strict": reading or setting a member the
// model does not define throws "mock Excel has no ...", so a callback using an API this
// file does not simulate fails the test instead of silently doing nothing.
// README.md lists what is simulated.

export class MockError extends Error {}

function strict(target, what) {
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === "symbol" || key in t || key === "then" || key === "toJSON") {
        return Reflect.get(t, key, receiver);
      }
      throw new MockError(`mock Excel has no ${what}.${String(key)}`);
    },
    set(t, key, value, receiver) {
      if (key in t) return Reflect.set(t, key, value, receiver);
      throw new MockError(`mock Excel cannot set ${what}.${String(key)}`);
    },
  });
}

// -- addresses ------------------------------------------------------------------------------

export function columnLetters(c) {
  let s = "";
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  }
  return s;
}

export function cellAddress(r, c) {
  return `${columnLetters(c)}${r + 1}`;
}

function parseCell(text) {
  const m = /^\$?([A-Z]+)\$?(\d+)$/i.exec(text);
  if (!m) throw new MockError(`mock Excel cannot read the address ${text}`);
  let c = 0;
  for (const ch of m[1].toUpperCase()) c = c * 26 + ch.charCodeAt(0) - 64;
  return [Number(m[2]) - 1, c - 1];
}

const MAX_ROWS = 1048576;
const MAX_COLUMNS = 16384;

/** "A1", "$K$5:$P$5", whole rows "1:4" or columns "A:C" (optionally "Sheet!..."):
 *  [row, column, rows, columns], 0-based. */
export function parseAddress(address) {
  const local = address.split("!").pop().replace(/\$/g, "");
  const [a, b = a] = local.split(":");
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    return [Number(a) - 1, 0, Number(b) - Number(a) + 1, MAX_COLUMNS];
  }
  if (/^[A-Z]+$/i.test(a) && /^[A-Z]+$/i.test(b)) {
    const [, c0] = parseCell(`${a}1`);
    const [, c1] = parseCell(`${b}1`);
    return [0, c0, MAX_ROWS, c1 - c0 + 1];
  }
  const [r0, c0] = parseCell(a);
  const [r1, c1] = parseCell(b);
  return [Math.min(r0, r1), Math.min(c0, c1), Math.abs(r1 - r0) + 1, Math.abs(c1 - c0) + 1];
}

function quoteSheet(name) {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** ``formula`` with its references to sheet ``from`` pointing at ``to``, as Excel rewrites
 *  them when a sheet is renamed; text inside string literals is left as it is. */
export function renameInFormula(formula, from, to) {
  if (typeof formula !== "string") return formula;
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const quoted = new RegExp(`'${escaped.replace(/'/g, "''")}'!`, "gi");
  const bare = new RegExp(`(^|[^A-Za-z0-9_.'])${escaped}!`, "gi");
  return formula.split(/("(?:[^"]|"")*")/).map((part, i) => (i % 2 ? part
    : part.replace(quoted, `${quoteSheet(to)}!`).replace(bare, `$1${quoteSheet(to)}!`))).join("");
}

function renameReferences(book, from, to) {
  const fix = (text) => renameInFormula(text, from, to);
  for (const sheet of book.sheets) {
    for (const [key, cell] of sheet.cells) if (cell.formula) sheet.cells.set(key, { ...cell, formula: fix(cell.formula) });
    for (const cf of sheet.conditionalFormats) cf.formula = fix(cf.formula);
    for (const chart of sheet.charts) {
      chart.source = fix(chart.source);
      for (const series of chart.series) {
        series.xValues = fix(series.xValues);
        series.values = fix(series.values);
      }
    }
    for (const name of sheet.names) name.formula = fix(name.formula);
  }
  for (const name of book.names) name.formula = fix(name.formula);
}

// -- state ----------------------------------------------------------------------------------

class SheetState {
  constructor(name) {
    this.name = name;
    this.visibility = "Visible";
    this.showGridlines = true;
    this.cells = new Map(); // "r,c" -> {value, formula, numberFormat}
    this.formats = []; // {address, property, value} in the order written
    this.conditionalFormats = []; // {address, type, formula, fill, font, ...}
    this.charts = [];
    this.names = [];
    this.merges = [];
    this.printArea = null;
    this.frozenAt = null;
  }

  cell(r, c) {
    return this.cells.get(`${r},${c}`);
  }

  put(r, c, patch) {
    const key = `${r},${c}`;
    const old = this.cells.get(key) || { value: "", formula: null, numberFormat: "General" };
    this.cells.set(key, { ...old, ...patch });
  }

  usedBounds() {
    let r1 = -1;
    let c1 = -1;
    let r0 = Infinity;
    let c0 = Infinity;
    for (const [key, cell] of this.cells) {
      if (cell.value === "" && !cell.formula) continue;
      const [r, c] = key.split(",").map(Number);
      r0 = Math.min(r0, r);
      c0 = Math.min(c0, c);
      r1 = Math.max(r1, r);
      c1 = Math.max(c1, c);
    }
    return r1 < 0 ? null : [r0, c0, r1 - r0 + 1, c1 - c0 + 1];
  }
}

export class MockWorkbook {
  /** ``data`` as tests/js/workbook_json.py prints it. */
  constructor(data) {
    this.name = data.name;
    this.sheets = [];
    this.names = [];
    this.activeIndex = 0;
    this.alerts = [];
    for (const s of data.sheets) {
      const sheet = new SheetState(s.name);
      sheet.visibility = s.visibility;
      for (const [r, c, value, numberFormat] of s.cells) sheet.put(r, c, { value, numberFormat });
      this.sheets.push(sheet);
    }
    for (const n of data.names || []) this.names.push({ name: n.name, formula: n.formula });
    this.wrappers = new Map();
  }

  sheet(name) {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }
}

// -- Office.js-shaped objects ----------------------------------------------------------------

/** A property bag whose writes are recorded on the sheet as ``prefix.key``. */
function recorder(sheet, address, prefix, keys, extra = {}) {
  const values = {};
  const target = { ...extra };
  for (const key of keys) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get: () => values[key] ?? null,
      set: (value) => {
        values[key] = value;
        sheet.formats.push({ address, property: `${prefix}${key}`, value });
      },
    });
  }
  return strict(target, prefix.slice(0, -1) || "format");
}

function matrixFor(rows, columns, given, what) {
  if (!Array.isArray(given) || !Array.isArray(given[0])) {
    throw new MockError(`${what} must be a 2-D array`);
  }
  if (given.length === 1 && given[0].length === 1) {
    return Array.from({ length: rows }, () => Array(columns).fill(given[0][0]));
  }
  if (given.length !== rows || given.some((row) => row.length !== columns)) {
    throw new MockError(
      `${what}: ${given.length}x${given[0].length} array for a ${rows}x${columns} range`,
    );
  }
  return given;
}

function conditionalFormatRule(sheet, address, type) {
  const record = { address, type, formula: null, fill: null, fontColor: null, bold: null };
  sheet.conditionalFormats.push(record);
  const format = strict(
    {
      fill: strict(
        {
          get color() {
            return record.fill;
          },
          set color(v) {
            record.fill = v;
          },
        },
        "conditionalFormat.format.fill",
      ),
      font: strict(
        {
          get color() {
            return record.fontColor;
          },
          set color(v) {
            record.fontColor = v;
          },
          get bold() {
            return record.bold;
          },
          set bold(v) {
            record.bold = v;
          },
          italic: null,
        },
        "conditionalFormat.format.font",
      ),
    },
    "conditionalFormat.format",
  );
  const custom = strict(
    {
      rule: strict(
        {
          get formula() {
            return record.formula;
          },
          set formula(v) {
            record.formula = v;
          },
        },
        "conditionalFormat.custom.rule",
      ),
      format,
    },
    "conditionalFormat.custom",
  );
  const cellValue = strict(
    {
      get rule() {
        return record.rule ?? null;
      },
      set rule(v) {
        record.rule = v;
      },
      format,
    },
    "conditionalFormat.cellValue",
  );
  return strict({ custom, cellValue, priority: 0, stopIfTrue: false }, "conditionalFormat");
}

function rangeFormat(sheet, address) {
  const target = {
    font: recorder(sheet, address, "font.", ["bold", "italic", "color", "size", "name", "underline"]),
    fill: recorder(sheet, address, "fill.", ["color"], {
      clear: () => sheet.formats.push({ address, property: "fill.clear", value: true }),
    }),
    borders: strict(
      { getItem: (side) => recorder(sheet, address, `border.${side}.`, ["style", "weight", "color"]) },
      "format.borders",
    ),
    // Office.js RangeFormat.adjustIndent (ExcelApi 1.11): an indented label, e.g. a trajectory's Target row
    adjustIndent: (amount) => sheet.formats.push({ address, property: "indent", value: amount }),
  };
  for (const key of ["rowHeight", "columnWidth", "wrapText", "horizontalAlignment", "verticalAlignment"]) {
    let held = null;
    Object.defineProperty(target, key, {
      enumerable: true,
      get: () => held,
      set: (value) => {
        held = value;
        sheet.formats.push({ address, property: key, value });
      },
    });
  }
  return strict(target, "range.format");
}

function makeRange(book, sheet, r0, c0, rows, columns) {
  const address = `${quoteSheet(sheet.name)}!${cellAddress(r0, c0)}${
    rows * columns > 1 ? `:${cellAddress(r0 + rows - 1, c0 + columns - 1)}` : ""
  }`;
  const local = address.split("!").pop();
  const grid = (pick) =>
    Array.from({ length: rows }, (_, i) =>
      Array.from({ length: columns }, (_, j) => pick(sheet.cell(r0 + i, c0 + j))),
    );
  const write = (given, what, patchFor) => {
    const m = matrixFor(rows, columns, given, what);
    m.forEach((row, i) => row.forEach((v, j) => sheet.put(r0 + i, c0 + j, patchFor(v))));
  };
  const range = {
    isNullObject: false,
    address,
    rowCount: rows,
    columnCount: columns,
    get values() {
      return grid((cell) => (cell ? cell.value : ""));
    },
    set values(m) {
      // As in Excel, a leading apostrophe marks text and is not part of the value.
      write(m, "values", (v) => ({ value: typeof v === "string" && v.startsWith("'") ? v.slice(1) : (v ?? ""),
        formula: null }));
    },
    get formulas() {
      return grid((cell) => (cell ? (cell.formula ?? cell.value) : ""));
    },
    set formulas(m) {
      write(m, "formulas", (v) =>
        typeof v === "string" && v.startsWith("=")
          ? { formula: v, value: "" } // no calculation engine here: formulas stay formulas
          : { value: v ?? "", formula: null },
      );
    },
    get numberFormat() {
      return grid((cell) => (cell ? cell.numberFormat : "General"));
    },
    set numberFormat(m) {
      write(m, "numberFormat", (v) => ({ numberFormat: v }));
      sheet.formats.push({ address: local, property: "numberFormat", value: m[0][0] });
    },
    get worksheet() {
      return sheetObject(book, sheet);
    },
    format: rangeFormat(sheet, local),
    conditionalFormats: strict(
      { add: (type) => conditionalFormatRule(sheet, local, type) },
      "range.conditionalFormats",
    ),
    // Office.js copyFrom with copy type "Formats" (all the ribbon uses): each cell takes the
    // number format of its source cell; the other formats are recorded as one copy, which
    // tests/test_ribbon_drawing.py plays out cell by cell. Values and merges stay as they are.
    copyFrom(source, copyType = "All", skipBlanks = false, transpose = false) {
      if (copyType !== "Formats" || skipBlanks || transpose) {
        throw new MockError(`mock Excel copies formats only, not ${copyType}`);
      }
      const [sr, sc, sRows, sColumns] = parseAddress(source.address);
      if (sRows !== rows || sColumns !== columns) throw new MockError("copyFrom: source and target differ in size");
      const from = book.sheet(source.address.includes("!") ? source.address.split("!")[0].replace(/^'|'$/g, "") : sheet.name);
      for (let i = 0; i < rows; i += 1) {
        for (let j = 0; j < columns; j += 1) {
          sheet.put(r0 + i, c0 + j, { numberFormat: from.cell(sr + i, sc + j)?.numberFormat ?? "General" });
        }
      }
      sheet.formats.push({ address: local, property: "copyFrom", value: source.address });
    },
    merge(across = false) {
      sheet.merges.push({ address: local, across });
    },
    select() {},
    load() {
      return this;
    },
  };
  return strict(range, "range");
}

function nullObject(what) {
  return strict({ isNullObject: true, load() { return this; } }, what);
}

/** A property bag whose writes land on ``record`` (a chart's or a series' state). */
function held(record, keys, what, extra = {}) {
  const target = { ...extra };
  for (const key of keys) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get: () => record[key] ?? null,
      set: (value) => { record[key] = value; },
    });
  }
  return strict(target, what);
}

const SERIES_LOOK = ["name", "markerStyle", "markerSize", "markerBackgroundColor", "markerForegroundColor"];

function newSeries(values) {
  return { name: null, values, xValues: null, line: {}, inLegend: true, markerStyle: null, markerSize: null,
    markerBackgroundColor: null, markerForegroundColor: null };
}

function seriesObject(record, s) {
  return held(s, SERIES_LOOK, "series", {
    setXAxisValues: (range) => (s.xValues = range.address),
    setValues: (range) => (s.values = range.address),
    format: strict({ line: held(s.line, ["color", "lineStyle", "weight"], "series.format.line") },
      "series.format"),
    load() { return this; },
  });
}

function chartObject(book, sheet, record) {
  const seriesItems = () => record.series.map((s) => seriesObject(record, s));
  const chart = {
    get name() { return record.name; },
    set name(v) { record.name = v; },
    get chartType() { return record.type; },
    left: 0,
    top: 0,
    get width() { return record.width ?? 0; },
    set width(v) { record.width = v; },
    get height() { return record.height ?? 0; },
    set height(v) { record.height = v; },
    style: null,
    get displayBlanksAs() { return record.blanks ?? "NotPlotted"; },
    set displayBlanksAs(v) { record.blanks = v; },
    setPosition: (range) => (record.anchor = range.address.split("!").pop()),
    title: strict({
      get visible() { return record.title !== null; },
      set visible(v) { if (!v) record.title = null; },
      get text() { return record.title; },
      set text(v) { record.title = v; },
      format: strict({ font: held(record.titleFont, ["size", "bold"], "chart.title.format.font") },
        "chart.title.format"),
    }, "chart.title"),
    legend: strict({
      get visible() { return record.legend; },
      set visible(v) { record.legend = v; },
      get position() { return record.legendPosition ?? null; },
      set position(v) { record.legendPosition = v; },
      format: strict({ font: held(record.legendFont, ["size"], "chart.legend.format.font") }, "chart.legend.format"),
      // ExcelApi 1.15: one entry a series, in the series' order
      legendEntries: strict({
        getItemAt: (i) => strict({
          get visible() { return record.series[i].inLegend; },
          set visible(v) { record.series[i].inLegend = v; },
        }, "legendEntry"),
      }, "chart.legend.legendEntries"),
    }, "chart.legend"),
    axes: strict({ valueAxis: held(record.valueAxis, ["numberFormat", "minimum", "maximum"], "chart.axes.valueAxis") },
      "chart.axes"),
    series: strict({
      get items() { return seriesItems(); },
      get count() { return record.series.length; },
      getItemAt: (i) => {
        if (!record.series[i]) throw new MockError(`ItemNotFound: no series ${i}`);
        return seriesObject(record, record.series[i]);
      },
      add: (name) => {
        record.series.push({ ...newSeries(null), name });
        return seriesObject(record, record.series.at(-1));
      },
      load() { return this; },
    }, "chart.series"),
    load() { return this; },
  };
  return strict(chart, "chart");
}

function chartCollection(book, sheet) {
  return strict({
    get items() { return sheet.charts.map((c) => chartObject(book, sheet, c)); },
    get count() { return sheet.charts.length; },
    getItemAt: (i) => chartObject(book, sheet, sheet.charts[i]),
    add(type, source, seriesBy = "Auto") {
      const [r0, c0, rows, columns] = parseAddress(source.address);
      const count = seriesBy === "Columns" ? columns : rows;
      const [sheetPart] = source.address.split("!");
      const line = (i) => `${sheetPart}!${seriesBy === "Columns"
        ? `${cellAddress(r0, c0 + i)}:${cellAddress(r0 + rows - 1, c0 + i)}`
        : `${cellAddress(r0 + i, c0)}:${cellAddress(r0 + i, c0 + columns - 1)}`}`;
      const record = {
        name: "Chart", type, source: source.address, seriesBy, title: null, legend: true, anchor: null,
        titleFont: {}, legendFont: {}, valueAxis: {},
        series: Array.from({ length: count }, (_, i) => newSeries(count === 1 ? source.address : line(i))),
      };
      sheet.charts.push(record);
      return chartObject(book, sheet, record);
    },
    load() { return this; },
  }, "worksheet.charts");
}

function namedItem(book, entry, list) {
  return strict({
    delete: () => list.splice(list.indexOf(entry), 1),
    name: entry.name,
    formula: entry.formula,
    get type() {
      const f = entry.formula.slice(1);
      if (/^".*"$/s.test(f)) return "String";
      if (f !== "" && !Number.isNaN(Number(f))) return "Double";
      return /^('[^']+'|[^!]+)!\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?$/i.test(f) ? "Range" : "Error";
    },
    getRangeOrNullObject() {
      const f = entry.formula.slice(1);
      const at = f.lastIndexOf("!");
      const sheet = book.sheet(f.slice(0, at).replace(/^'|'$/g, "").replace(/''/g, "'"));
      if (!sheet) return nullObject("range");
      return sheetObject(book, sheet).getRange(f.slice(at + 1));
    },
    load() { return this; },
  }, "namedItem");
}

function nameCollection(book, list) {
  return strict({
    get items() { return list.map((entry) => namedItem(book, entry, list)); },
    getItem(name) {
      const entry = list.find((e) => e.name.toLowerCase() === name.toLowerCase());
      if (!entry) throw new MockError(`ItemNotFound: no name ${name}`);
      return namedItem(book, entry, list);
    },
    add(name, refersTo) {
      if (list.some((e) => e.name.toLowerCase() === name.toLowerCase())) {
        throw new MockError(`A name ${name} already exists`); // as Excel's names.add does
      }
      list.push({ name, formula: refersTo });
      return namedItem(book, list.at(-1), list);
    },
    load() { return this; },
  }, "names");
}

const emptyCollection = (what) => strict({ items: [], load() { return this; } }, what);

function sheetObject(book, sheet) {
  if (book.wrappers.has(sheet)) return book.wrappers.get(sheet);
  const obj = {
    isNullObject: false,
    get name() { return sheet.name; },
    set name(v) {
      if (book.sheet(v) && book.sheet(v) !== sheet) throw new MockError(`A sheet called ${v} already exists`);
      const old = sheet.name;
      sheet.name = v;
      renameReferences(book, old, v); // Excel rewrites formulas, rules, charts and names
    },
    get position() { return book.sheets.indexOf(sheet); },
    set position(p) {
      book.sheets.splice(book.sheets.indexOf(sheet), 1);
      book.sheets.splice(Math.min(p, book.sheets.length), 0, sheet);
    },
    get visibility() { return sheet.visibility; },
    set visibility(v) { sheet.visibility = v; },
    get showGridlines() { return sheet.showGridlines; },
    set showGridlines(v) { sheet.showGridlines = v; },
    names: nameCollection(book, sheet.names),
    getRange: (address = "A1") => makeRange(book, sheet, ...parseAddress(address)),
    getRangeByIndexes: (r, c, rows, columns) => makeRange(book, sheet, r, c, rows, columns),
    getUsedRangeOrNullObject() {
      const bounds = sheet.usedBounds();
      return bounds ? makeRange(book, sheet, ...bounds) : nullObject("usedRange");
    },
    pageLayout: strict({
      getPrintAreaOrNullObject: () =>
        sheet.printArea
          ? strict({
            isNullObject: false,
            areas: { items: [{ address: `${quoteSheet(sheet.name)}!${sheet.printArea}` }] },
            load() { return this; },
          }, "printArea")
          : nullObject("printArea"),
      setPrintArea: (address) => (sheet.printArea = address || null),
    }, "worksheet.pageLayout"),
    freezePanes: strict({ freezeAt: (range) => (sheet.frozenAt = range.address.split("!").pop()) },
      "worksheet.freezePanes"),
    charts: chartCollection(book, sheet),
    tables: emptyCollection("worksheet.tables"),
    shapes: emptyCollection("worksheet.shapes"),
    pivotTables: emptyCollection("worksheet.pivotTables"),
    activate: () => (book.activeIndex = book.sheets.indexOf(sheet)),
    delete: () => {
      book.sheets.splice(book.sheets.indexOf(sheet), 1);
      book.wrappers.delete(sheet);
    },
    load() { return this; },
  };
  const wrapped = strict(obj, "worksheet");
  book.wrappers.set(sheet, wrapped);
  return wrapped;
}

function worksheetCollection(book) {
  const byName = (name) => book.sheet(String(name));
  return strict({
    get items() { return book.sheets.map((s) => sheetObject(book, s)); },
    add(name) {
      if (byName(name)) throw new MockError(`A sheet called ${name} already exists`);
      const sheet = new SheetState(name);
      book.sheets.push(sheet);
      return sheetObject(book, sheet);
    },
    getItem(name) {
      const sheet = byName(name);
      if (!sheet) throw new MockError(`ItemNotFound: no sheet called ${name}`);
      return sheetObject(book, sheet);
    },
    getItemOrNullObject: (name) => (byName(name) ? sheetObject(book, byName(name)) : nullObject("worksheet")),
    getActiveWorksheet: () => sheetObject(book, book.sheets[book.activeIndex]),
    load() { return this; },
  }, "worksheets");
}

/**
 * A RequestContext onto ``book``. ``counter.syncs`` counts context.sync() calls (the
 * round trips to Excel); ``counter.failAt`` makes the n-th sync throw, as Excel does
 * when a batch fails.
 */
export function requestContext(book, counter) {
  const workbook = strict({
    get name() { return book.name; },
    worksheets: worksheetCollection(book),
    names: nameCollection(book, book.names),
    application: strict({ calculationMode: "Automatic", load() { return this; } }, "application"),
    getSelectedRange: () => sheetObject(book, book.sheets[book.activeIndex]).getRange("A1"),
    load() { return this; },
  }, "workbook");
  return strict({
    workbook,
    async sync() {
      counter.syncs += 1;
      if (counter.failAt && counter.syncs === counter.failAt) {
        throw new MockError(`GeneralException (simulated on round trip ${counter.syncs})`);
      }
    },
  }, "context");
}
