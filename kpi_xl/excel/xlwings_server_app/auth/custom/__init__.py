"""Shared-token authentication for ``kpi-xl serve --auth TOKEN``.

The server accepts a button or function call only when its ``Authorization`` header
holds the token (compared in constant time). The token reaches Excel once per person:
they paste it into the task pane's "Access token" box (``static/js/auth.js`` keeps it in
the add-in's local storage and sends it with each call). A shared token says "someone
the council gave the token to", not who: for per-person sign-in use Microsoft Entra ID
(``XLWINGS_AUTH_PROVIDERS=["entraid"]``, see docs/excel-addin.md).
"""
import logging
import os
import secrets

from fastapi import status
from fastapi.exceptions import HTTPException
from xlwings_server.models import User

logger = logging.getLogger(__name__)
TOKEN_ENV = "KPI_XL_AUTH_TOKEN"


async def validate_token(token_string: str):
    expected = os.environ.get(TOKEN_ENV, "")
    given = (token_string or "").strip()
    if given.lower().startswith("bearer "):
        given = given[7:].strip()
    if expected and given and secrets.compare_digest(given.encode(), expected.encode()):
        return User(id="kpi-xl-token", name="kpi_xl token holder")
    raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED,
                        detail="kpi_xl: missing or wrong access token. Paste the token into the "
                               "KPI Scorecard task pane (Settings button).")
