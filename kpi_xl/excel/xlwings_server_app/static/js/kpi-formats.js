// kpi_xl's own callback for xlwings' runMacro action: a sheet's formats in one action.
//
// xlwings Server sends one action per format call, and its client syncs with Excel after
// each (a round trip). A Build scorecard formats a sheet with hundreds of such calls, so
// kpi_xl.write.xlwings_painter sends them instead as one action,
// runMacro("kpiFormats", [action, ...]), holding the very actions xlwings would have sent
// (same func, args and range), followed by the sheet's charts (kpiChart, below, with every
// line and colour of the scorecard file's charts). This applies them all in one batch: one
// sync to look the sheets up, one to send every format and chart. Only the format actions the painter uses are known;
// anything else is a protocol mismatch and fails before Excel is touched.
// Loaded by templates/taskpane.html after xlwings' client (which owns globalThis.callbacks).

const KPI_BORDER_SIDES = {
  edge_top: "EdgeTop",
  edge_bottom: "EdgeBottom",
  edge_left: "EdgeLeft",
  edge_right: "EdgeRight",
  inside_vertical: "InsideVertical",
  inside_horizontal: "InsideHorizontal",
};
const KPI_LINE_STYLES = { continuous: "Continuous" };
const KPI_FONT_PROPERTIES = new Set(["bold", "italic", "size", "color", "name"]);

function kpiFormat(sheets, range, action) {
  const args = action.args;
  switch (action.func) {
    case "setFontProperty":
      if (!KPI_FONT_PROPERTIES.has(args[0])) throw new Error(`kpiFormats: font property ${args[0]}`);
      range.format.font[args[0]] = args[0] === "bold" || args[0] === "italic" ? Boolean(args[1]) : args[1];
      return;
    case "setRangeColor":
      range.format.fill.color = String(args[0]);
      return;
    case "setNumberFormat":
      range.numberFormat = [[String(args[0])]];
      return;
    case "setHorizontalAlignment":
      range.format.horizontalAlignment = args[0];
      return;
    case "setVerticalAlignment":
      range.format.verticalAlignment = args[0];
      return;
    case "setWrapText":
      range.format.wrapText = Boolean(args[0]);
      return;
    case "rangeAdjustIndent":
      range.format.adjustIndent(parseInt(String(args[0]), 10));
      return;
    case "setBorderProperty": {
      const [side, attribute, value] = args;
      const border = range.format.borders.getItem(KPI_BORDER_SIDES[side] ?? kpiUnknown("border side", side));
      if (attribute === "line_style") border.style = KPI_LINE_STYLES[value] ?? kpiUnknown("line style", value);
      else if (attribute === "color") border.color = String(value);
      else kpiUnknown("border attribute", attribute);
      return;
    }
    case "rangeMerge":
      range.merge(Boolean(args[0]));
      return;
    case "setRowHeight":
      range.format.rowHeight = parseFloat(String(args[0]));
      return;
    case "setColumnWidth":
      range.format.columnWidth = parseFloat(String(args[0]));
      return;
    case "copyFromRange":
      if (args[2] !== "Formats") kpiUnknown("copy type", args[2]);
      range.copyFrom(sheets.items[parseInt(String(args[0]), 10)].getRange(String(args[1])), "Formats");
      return;
    case "kpiChart":
      kpiChart(sheets, action.sheet_position, args[0]);
      return;
    default:
      kpiUnknown("action", action.func);
  }
}

// One chart of the layout (kpi_xl/write/xlwings_charts.py chart_action), drawn as the
// scorecard file draws it: every series (the figures, and on an SPC chart the mean, the
// process limits, the target and the special-cause points; on a trend chart the target,
// last year's average and the comparators) with its name, cells, months, colour, dashes,
// width and markers. Queued in the sheet's batch: no round trip of its own.
// ExcelApi 1.7 (series.add, setValues, line formats), 1.8 (displayBlanksAs, axis number
// format), 1.15 (legend entries; older Excel lists every series).
const KPI_LINE_STYLES_CHART = new Set(["Continuous", "Dash", "RoundDot", "None"]);
const KPI_MARKERS = new Set(["None", "Circle", "Diamond", "Square", "Triangle", "Dash"]);

function kpiChart(sheets, position, spec) {
  const sheet = sheets.items[position];
  const cells = ([name, address]) => sheets.getItem(name).getRange(address);
  const chart = sheet.charts.add("Line", cells(spec.series[0].values), "Rows");
  chart.setPosition(sheet.getRangeByIndexes(spec.row, spec.column, 1, 1));
  chart.width = spec.width;
  chart.height = spec.height;
  chart.title.text = spec.title;
  chart.title.format.font.size = 10;
  chart.title.format.font.bold = true;
  chart.displayBlanksAs = spec.blanks;
  const axis = chart.axes.valueAxis;
  axis.numberFormat = spec.number_format;
  if (spec.axis) [axis.minimum, axis.maximum] = spec.axis;
  chart.legend.visible = spec.legend;
  if (spec.legend) {
    chart.legend.position = "Bottom";
    chart.legend.format.font.size = 8;
  }
  const legendEntries = spec.legend && globalThis.Office?.context?.requirements?.isSetSupported("ExcelApi", "1.15");
  spec.series.forEach((look, i) => {
    const series = i === 0 ? chart.series.getItemAt(0) : chart.series.add(look.name);
    if (i > 0) series.setValues(cells(look.values));
    series.setXAxisValues(cells(look.categories));
    kpiSeriesLook(series, look);
    if (legendEntries && !look.in_legend) chart.legend.legendEntries.getItemAt(i).visible = false;
  });
}

function kpiSeriesLook(series, look) {
  if (!KPI_LINE_STYLES_CHART.has(look.line)) kpiUnknown("chart line style", look.line);
  if (!KPI_MARKERS.has(look.marker)) kpiUnknown("chart marker", look.marker);
  series.name = look.name;
  series.format.line.lineStyle = look.line;
  if (look.line !== "None") {
    series.format.line.color = look.colour;
    series.format.line.weight = look.width;
  }
  series.markerStyle = look.marker;
  if (look.marker !== "None") {
    series.markerSize = look.marker_size;
    series.markerBackgroundColor = look.colour;
    series.markerForegroundColor = look.colour;
  }
}

function kpiUnknown(what, value) {
  throw new Error(`kpiFormats: unknown ${what} ${value}`);
}

async function kpiFormats(context, actions) {
  const sheets = context.workbook.worksheets.load("items");
  await context.sync();
  for (const action of actions) {
    const range = action.start_row === undefined ? null : sheets.items[action.sheet_position].getRangeByIndexes(
      action.start_row, action.start_column, action.row_count, action.column_count);
    kpiFormat(sheets, range, action);
  }
  await context.sync();
}

// xlwings' client (custom-scripts/index.js, a module script earlier in the page) creates
// globalThis.callbacks; should it not have run yet, register once the page is parsed.
function kpiRegisterFormats() {
  globalThis.callbacks.kpiFormats = kpiFormats;
}
if (globalThis.callbacks) kpiRegisterFormats();
else globalThis.addEventListener("DOMContentLoaded", kpiRegisterFormats);
