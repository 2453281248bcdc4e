"""``kpi-xl serve``: the KPI Scorecard add-in for Excel on Windows, Mac and the web.

Runs xlwings Server (the optional ``xlwings-server`` package, on uvicorn) with kpi_xl's
five buttons registered as scripts, ``KPI.RAG`` / ``KPI.CHANGE`` / ``KPI.DOT`` /
``KPI.YTD`` as custom functions, and a manifest (``/manifest.xml``) whose ribbon has a
**KPI Scorecard** tab. The project folder it serves is ``kpi_xl/excel/xlwings_server_app``.

xlwings Server is source-available under the PolyForm Noncommercial licence or a paid
commercial licence from xlwings; kpi_xl's core (BSD) never imports it. See
docs/excel-addin.md for installing the add-in, HTTPS and authentication.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import EXIT_CANNOT_RUN

APP_DIR = Path(__file__).resolve().parent / "xlwings_server_app"
TOKEN_ENV = "KPI_XL_AUTH_TOKEN"
NAMESPACE = "KPI"
#: Fixed add-in IDs, one per xlwings environment, so a re-deployed manifest updates the
#: installed add-in instead of adding a second one.
MANIFEST_IDS = {
    "prod": "6b0f6a52-3f0c-4b71-9a36-0c2f5e7d4a11",
    "dev": "1d6c3e0a-8f4b-4a51-b0a7-5e2d9c8f7b22",
    "qa": "3a9e7d14-2b6c-4f08-9d3e-7c1a5b9e6c33",
    "uat": "8c4b2f96-5d1e-4a7b-8e6f-2d9a3c7b1e44",
    "staging": "5e7d1a38-9c2b-4e64-a1f5-8b3c6d2e9f55",
}
INSTALL_HINT = (
    "kpi-xl serve needs the optional xlwings-server package. Install it with:\n"
    "    pip install 'kpi_xl[server]'\n"
    "xlwings Server is source-available under the PolyForm Noncommercial licence 1.0.0 or a paid "
    "commercial licence from xlwings (xlwings' own terms treat use inside a company as commercial). "
    "Check which applies to your council before deploying it; docs/excel-addin.md has the details. "
    "The desktop add-in (kpi_xl.xlam, open-source xlwings) needs neither."
)


def server_installed() -> bool:
    import importlib.util  # noqa: PLC0415

    return importlib.util.find_spec("xlwings_server") is not None


def is_loopback(host: str) -> bool:
    import ipaddress  # noqa: PLC0415  (here, not at the top: every kpi-xl command imports this module)
    import socket  # noqa: PLC0415

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def server_environment(*, auth: str | None = None, hostname: str | None = None,
                       environment: str = "prod", cors: str = '["*"]') -> dict[str, str]:
    """The ``XLWINGS_*`` settings ``kpi-xl serve`` runs xlwings Server with. Variables
    already set in the environment win, so a deployment can override any of them."""
    import secrets  # noqa: PLC0415

    env = {
        "XLWINGS_PROJECT_DIR": str(APP_DIR),
        "XLWINGS_PROJECT_NAME": "kpi_xl",
        "XLWINGS_FUNCTIONS_NAMESPACE": NAMESPACE,
        "XLWINGS_ENVIRONMENT": environment,
        "XLWINGS_ENABLE_SOCKETIO": "false",  # no streaming functions; one worker or many alike
        "XLWINGS_ENABLE_HOTRELOAD": "false",
        "XLWINGS_ENABLE_EXAMPLES": "false",
        "XLWINGS_CORS_ALLOW_ORIGINS": cors,  # custom functions in Excel on the web need it
        "XLWINGS_SECRET_KEY": secrets.token_urlsafe(32),
    }
    for name, uuid in MANIFEST_IDS.items():
        env[f"XLWINGS_MANIFEST_ID_{name.upper()}"] = uuid
    if hostname:
        env["XLWINGS_HOSTNAME"] = hostname
    if auth:
        env["XLWINGS_AUTH_PROVIDERS"] = '["custom"]'
        env[TOKEN_ENV] = auth
    merged = {k: os.environ.get(k, v) for k, v in env.items()}
    if auth:  # the token given now wins over an old one in the environment
        merged[TOKEN_ENV] = auth
        merged["XLWINGS_AUTH_PROVIDERS"] = '["custom"]'
    return merged


def _warn(text: str) -> None:
    print(f"kpi-xl serve: {text}", file=sys.stderr, flush=True)


def serve(host: str = "127.0.0.1", port: int = 8000, auth: str | None = None, *, hostname: str | None = None,
          ssl_certfile: str | None = None, ssl_keyfile: str | None = None, workers: int = 1,
          environment: str = "prod") -> int:
    """Run xlwings Server in this process until interrupted. Returns an exit code."""
    if not server_installed():
        print(INSTALL_HINT, file=sys.stderr)
        return EXIT_CANNOT_RUN
    auth = auth or os.environ.get(TOKEN_ENV) or None
    if bool(ssl_certfile) != bool(ssl_keyfile):
        _warn("give both --ssl-certfile and --ssl-keyfile, or neither.")
        return EXIT_CANNOT_RUN
    env = server_environment(auth=auth, hostname=hostname, environment=environment)
    if "XLWINGS_LICENSE_KEY" not in os.environ:
        env["XLWINGS_LICENSE_KEY"] = "noncommercial"
        _warn("no XLWINGS_LICENSE_KEY set, so running under the PolyForm Noncommercial licence. "
              "If your use is commercial (xlwings counts internal company use as commercial), set "
              "XLWINGS_LICENSE_KEY to your xlwings licence key.")
    os.environ.update(env)  # before xlwings or xlwings_server is imported
    if not auth and not is_loopback(host):
        _warn("=" * 72)
        _warn(f"WARNING: listening on {host} WITHOUT authentication. Anyone who can reach this "
              "address can run kpi_xl on workbooks and call its functions. Use --auth TOKEN "
              f"(or {TOKEN_ENV}), Entra ID, or bind to 127.0.0.1 behind a proxy that authenticates.")
        _warn("=" * 72)
    if not ssl_certfile and not is_loopback(host):
        _warn("serving plain HTTP: Excel only loads add-ins over HTTPS. Put it behind an HTTPS proxy "
              "or pass --ssl-certfile/--ssl-keyfile.")
    import uvicorn  # noqa: PLC0415

    scheme = "https" if ssl_certfile else "http"
    _warn(f"manifest at {scheme}://{hostname or host}:{port}/manifest.xml"
          + (" (token authentication on)" if auth else ""))
    uvicorn.run("kpi_xl.excel.server:app", factory=True, host=host, port=port, workers=workers,
                ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile, proxy_headers=True,
                log_level=os.environ.get("KPI_XL_LOG_LEVEL", "info"))
    return 0


def app():
    """The app uvicorn serves (in each worker process): xlwings Server's, answering a call
    to a script that is not one of the buttons with 404 and the names of those that are
    (xlwings Server itself answers 500)."""
    import xlwings.server  # noqa: PLC0415
    from starlette.responses import PlainTextResponse  # noqa: PLC0415
    from xlwings_server.config import settings  # noqa: PLC0415
    from xlwings_server.main import app as fastapi_app, main_app  # noqa: PLC0415
    from xlwings_server.routers.xlwings import custom_scripts  # noqa: PLC0415

    known = sorted(m["function_name"] for m in xlwings.server.custom_scripts_meta(custom_scripts))
    prefix = f"{settings.app_path}/xlwings/custom-scripts-call/"

    async def unknown_script(request, call_next):
        path = request.url.path
        if path.startswith(prefix) and path[len(prefix):] not in known:
            name = path[len(prefix):][:100]
            return PlainTextResponse(f"kpi_xl has no script called {name!r}. Its scripts are: "
                                     f"{', '.join(known)}.", status_code=404)
        return await call_next(request)

    fastapi_app.middleware("http")(unknown_script)  # inside xlwings Server's CORS handling
    return main_app


def add_serve_command(sub) -> argparse.ArgumentParser:
    """Add ``serve`` to the ``kpi-xl`` sub-command parsers (``parser().add_subparsers()``)."""
    s = sub.add_parser("serve", help="run the KPI Scorecard Excel add-in server (xlwings Server)",
                       description="Run xlwings Server with kpi_xl's ribbon buttons and KPI.* functions. "
                                   "Needs: pip install 'kpi_xl[server]' (PolyForm Noncommercial or "
                                   "commercial licence).")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--auth", metavar="TOKEN",
                   help=f"require this shared access token on every call (or set {TOKEN_ENV}, which "
                        "keeps it out of the process list)")
    s.add_argument("--hostname", help="the public host name in the manifest's URLs, e.g. kpi.council.gov.uk "
                                      "(when behind a proxy)")
    s.add_argument("--ssl-certfile", help="serve HTTPS with this certificate (PEM)")
    s.add_argument("--ssl-keyfile", help="... and this private key (PEM)")
    s.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    s.add_argument("--environment", default="prod", choices=("prod", "dev", "qa", "uat", "staging"),
                   help="xlwings environment: not prod adds it to the add-in's name and namespace")
    s.set_defaults(run=lambda args: serve(args.host, args.port, args.auth, hostname=args.hostname,
                                          ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile,
                                          workers=args.workers, environment=args.environment))
    return s


def main(argv: list[str] | None = None) -> int:
    """``python -m kpi_xl.excel.server [options]``: the same as ``kpi-xl serve``."""
    parser = argparse.ArgumentParser(prog="kpi-xl")
    add_serve_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["serve", *(argv if argv is not None else sys.argv[1:])])
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
