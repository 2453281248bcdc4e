// kpi_xl's own callback for xlwings' runMacro action: a sheet's formats in one action.
//
// xlwings Server sends one action per format call, and its client syncs with Excel after
// each (a round trip). A Build scorecard formats a sheet with hundreds of such calls, so
// kpi_xl.write.xlwings_painter sends them instead as one action,
// runMacro("kpiFormats", [action, ...]), holding the very actions xlwings would have sent
// (same func, args and range). This applies them all in one batch: one sync to look the
// sheets up, one to send every format. Only the format actions the painter uses are known;
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
    default:
      kpiUnknown("action", action.func);
  }
}

function kpiUnknown(what, value) {
  throw new Error(`kpiFormats: unknown ${what} ${value}`);
}

async function kpiFormats(context, actions) {
  const sheets = context.workbook.worksheets.load("items");
  await context.sync();
  for (const action of actions) {
    const range = sheets.items[action.sheet_position].getRangeByIndexes(
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
