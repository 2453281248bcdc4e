// How kpi_xl's add-in proves itself to `kpi-xl serve --auth TOKEN`: the token a person
// pasted into the task pane's "Access token" box, kept in this add-in's local storage,
// sent as the Authorization header with every button and function call.
// With Entra ID (XLWINGS_AUTH_PROVIDERS=["entraid"]) the single sign-on token is sent instead.
const KPI_TOKEN_KEY = "kpi_xl_access_token";

globalThis.kpiSaveToken = function (token) {
  if (token) {
    localStorage.setItem(KPI_TOKEN_KEY, token.trim());
  } else {
    localStorage.removeItem(KPI_TOKEN_KEY);
  }
};

globalThis.getAuth = async function () {
  if (config.authProviders.includes("entraid")) {
    return { token: await xlwings.getAccessToken(), provider: "entraid" };
  }
  if (config.authProviders.includes("custom")) {
    return { token: localStorage.getItem(KPI_TOKEN_KEY) || "", provider: "custom" };
  }
  return { token: "", provider: "" };
};
