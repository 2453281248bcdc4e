// The task pane's "Access token" box (templates/taskpane.html), stored by auth.js.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("kpi-token-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    globalThis.kpiSaveToken(document.getElementById("kpi-token").value);
    document.getElementById("kpi-token").value = "";
    document.getElementById("kpi-token-saved").textContent = "Saved.";
  });
});
