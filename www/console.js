// Starts the rep console: loads its wasm module and mounts it on #console
// with the options in the element's data attributes.
import init, { mountConsole } from "/console/accord-console.js";

const root = document.getElementById("console");
const d = root.dataset;
await init({ module_or_path: "/console/accord-console_bg.wasm" });
root.textContent = "";
mountConsole(root, {
  rulebook: d.rulebook, endpoint: d.endpoint, feedbackEndpoint: d.feedbackEndpoint,
  inbox: d.inbox, catalogue: d.catalogue, locale: d.locale, assets: d.assets,
});
