// xlwings Server's own JavaScript client, loaded in Node from the installed xlwings-server
// package, with the browser and Office globals it expects. `clickButton` runs a ribbon
// button the way kpi_xl's ribbon.js does: `xlwings.runPython({scriptName, ...})`, which
// reads the workbook (getBookData), POSTs it, and applies the returned actions with
// dispatchActions and the client's callbacks. README.md lists every shim.
import { execFileSync } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import officeAddinMock from "office-addin-mock";

import { requestContext } from "./mock-excel.mjs";

const { OfficeMockObject } = officeAddinMock;

/** The Python that has kpi_xl[server] installed (KPI_XL_PYTHON, else the repo's venv). */
export function pythonCommand(root) {
  if (process.env.KPI_XL_PYTHON) return process.env.KPI_XL_PYTHON;
  for (const venv of [".venv", ".venv-ci"]) {
    const candidate = path.join(root, venv, "bin", "python");
    try {
      execFileSync(candidate, ["-c", "import xlwings_server"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not this one
    }
  }
  return "python3";
}

function clientDir(python) {
  const dir = execFileSync(python, ["-c", "import os, xlwings_server; print(os.path.dirname(xlwings_server.__file__))"],
    { encoding: "utf8" }).trim();
  return path.join(dir, "static", "js");
}

// -- the shims -------------------------------------------------------------------------------

const state = { book: null, counter: null, dialogs: [], requests: [] };

/** XMLHttpRequest over node:http, a new connection per request (no stale keep-alive
 *  sockets): what utils.js' `request` uses to POST the workbook. */
class NodeXMLHttpRequest {
  open(method, url) {
    this.method = method;
    this.url = url;
    this.headers = {};
  }
  setRequestHeader(key, value) {
    this.headers[key] = value;
  }
  getResponseHeader(name) {
    return this.responseHeaders?.[name.toLowerCase()] ?? null;
  }
  send(body) {
    const request = { url: this.url, body, syncsBefore: state.counter.syncs, actions: null };
    state.requests.push(request);
    const req = http.request(this.url, { method: this.method, headers: this.headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        this.status = res.statusCode;
        this.statusText = res.statusMessage;
        this.responseHeaders = res.headers;
        this.responseText = text;
        if (res.statusCode === 200) request.actions = JSON.parse(text).actions ?? [];
        this.onload();
      });
    });
    req.on("error", (error) => {
      request.failure = error;
      this.onerror();
    });
    req.end(body ?? undefined);
  }
}

function excelApiSupported(name, version) {
  // Excel on the web today, less the newest set: ExcelApi 1.18 (notes) reports unsupported.
  return name === "ExcelApi" && Number(version.split(".")[1]) <= 17;
}

async function installGlobals(serverUrl, xlwingsVersion) {
  const config = {
    xlwingsVersion, appPath: "", requestTimeout: 120, onWasm: false, authProviders: [],
    isOfficialLiteAddin: false, environment: "prod",
  };
  globalThis.document = {
    getElementById: (id) => (id === "config" ? { textContent: JSON.stringify(config) } : null),
    querySelector: () => null,
    querySelectorAll: () => [],
    addEventListener: () => {},
  };
  globalThis.window = { location: { origin: serverUrl } };
  globalThis.XMLHttpRequest = NodeXMLHttpRequest;
  // The Office namespace from office-addin-mock (host "excel": properties need load + sync).
  const office = new OfficeMockObject({
    host: "excel",
    onReady: async () => ({ host: "Excel" }),
    AsyncResultStatus: { Failed: "failed", Succeeded: "succeeded" },
    EventType: { DialogMessageReceived: "message", DialogEventReceived: "event" },
    context: {
      platform: "OfficeOnline",
      requirements: { isSetSupported: excelApiSupported },
      ui: {
        // xlAlert opens /xlwings/alert?prompt=...; the dialog's text is what a person reads.
        displayDialogAsync: (url) => {
          const query = new URL(url).searchParams;
          state.dialogs.push({ title: query.get("title"), prompt: query.get("prompt") });
        },
      },
    },
  });
  office.context.load("platform");
  await office.context.sync();
  globalThis.Office = office;
  // The Excel namespace: Excel.run onto the mock workbook (mock-excel.mjs).
  globalThis.Excel = {
    // As Office.js does, Excel.run sends whatever is still queued when the batch returns.
    run: async (batch) => {
      const context = requestContext(state.book, state.counter);
      const result = await batch(context);
      await context.sync();
      return result;
    },
    ShapeType: { image: "Image" },
  };
}

/** Import the client (index.js) from the installed xlwings-server package. */
export async function loadClient({ python, serverUrl, xlwingsVersion }) {
  await installGlobals(serverUrl, xlwingsVersion);
  const dir = clientDir(python);
  await import(pathToFileURL(path.join(dir, "custom-scripts", "index.js")).href);
  // Note where each action starts (the round trip count then), so a click can say how many
  // round trips each action cost; the callbacks themselves run unchanged.
  for (const [name, callback] of Object.entries(globalThis.callbacks)) {
    globalThis.callbacks[name] = (context, action) => {
      state.starts?.push(state.counter.syncs);
      return callback(context, action);
    };
  }
  // kpi_xl's own callback for runMacro (templates/taskpane.html loads it after the client)
  await import(pathToFileURL(path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../kpi_xl/excel/xlwings_server_app/static/js/kpi-formats.js")).href);
  return { dir, xlwings: globalThis.xlwings };
}

/**
 * Click one button on ``book`` (a MockWorkbook). Returns the round trips (context.sync
 * calls), the actions the server sent, the alerts shown and any error the client raised.
 */
export async function clickButton(book, scriptName, { token = "", failAt = 0 } = {}) {
  state.book = book;
  state.counter = { syncs: 0, failAt };
  state.starts = [];
  state.dialogs = [];
  state.requests = [];
  const realError = console.error;
  const errors = [];
  console.error = (e) => errors.push(e); // runPython logs its error, then shows it in an alert
  try {
    await globalThis.xlwings.runPython({
      scriptName,
      auth: token,
      headers: { "Auth-Provider": token ? "custom" : "" },
    });
  } finally {
    console.error = realError;
  }
  const [request] = state.requests;
  // Round trips per applied action: those until the next action starts (for the last one,
  // until Excel.run's closing sync). Zero: the action only queued work for a later sync.
  const ends = [...state.starts.slice(1), state.counter.syncs - 1];
  const actionSyncs = state.starts.map((start, i) => ends[i] - start);
  return {
    syncs: state.counter.syncs,
    starts: state.starts,
    actionSyncs,
    readSyncs: request ? request.syncsBefore : state.counter.syncs,
    body: request ? JSON.parse(request.body) : null,
    actions: request?.actions ?? [],
    dialogs: state.dialogs,
    errors: errors.concat(request?.failure ? [`request failed: ${request.failure.stack}`] : []),
  };
}
