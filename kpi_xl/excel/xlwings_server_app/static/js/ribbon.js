// kpi_xl's ribbon buttons (templates/manifest.xml: <FunctionName>build-scorecard</FunctionName> ...).
// Each POSTs the open workbook to /xlwings/custom-scripts-call/<script> and applies the
// actions that come back; kpi_xl reports in an alert. event.completed() tells Excel the
// button has finished, whatever happened.
async function kpiRun(event, scriptName) {
  try {
    const authResult =
      typeof globalThis.getAuth === "function"
        ? await globalThis.getAuth()
        : { token: "", provider: "" };
    await xlwings.runPython({
      scriptName: scriptName,
      auth: authResult.token,
      headers: { "Auth-Provider": authResult.provider },
    });
  } finally {
    event.completed();
  }
}

const KPI_BUTTONS = {
  "build-scorecard": "build_scorecard",
  "refresh-ratings": "refresh_ratings",
  "check-data": "check_data",
  "directors-copy": "directors_copy",
  "new-raw-sheets": "new_raw_sheets",
};

for (const [functionName, scriptName] of Object.entries(KPI_BUTTONS)) {
  Office.actions.associate(functionName, (event) => kpiRun(event, scriptName));
}
