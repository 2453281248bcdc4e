// A real `kpi-xl serve` on a loopback port, started by the tests.
// The command comes from KPI_XL_SERVE_CMD (e.g. "kpi-xl serve"); by default the kpi-xl
// beside the Python that has kpi_xl[server] installed, else `python -m kpi_xl.cli serve`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export function serveCommand(python) {
  if (process.env.KPI_XL_SERVE_CMD) return process.env.KPI_XL_SERVE_CMD.split(/\s+/).filter(Boolean);
  const kpiXl = path.join(path.dirname(python), "kpi-xl");
  return existsSync(kpiXl) ? [kpiXl, "serve"] : [python, "-m", "kpi_xl.cli", "serve"];
}

/** Start the server with ``token`` required on every call; resolves once it answers. */
export async function startServer(python, { token, timeoutMs = 60000 } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("XLWINGS_") && !k.startsWith("KPI_XL_")),
  );
  Object.assign(env, { XLWINGS_LICENSE_KEY: "noncommercial", KPI_XL_LOG_LEVEL: "warning" });
  if (token) env.KPI_XL_AUTH_TOKEN = token;
  const [cmd, ...args] = serveCommand(python);
  const proc = spawn(cmd, [...args, "--host", "127.0.0.1", "--port", String(port)], {
    env, stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout.on("data", (d) => (output += d));
  proc.stderr.on("data", (d) => (output += d));
  const stop = () =>
    new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once("exit", resolve);
      proc.kill("SIGTERM");
    });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${cmd} ${args.join(" ")} exited ${proc.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/manifest.xml`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`kpi-xl serve did not answer within ${timeoutMs / 1000}s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop, output: () => output };
}
