// Starts the rulebook studio: loads its wasm module and mounts it on
// #studio with the template catalogue named in data-catalogue.
import init, { mountStudio } from "/studio/accord-studio.js";

const root = document.getElementById("studio");
await init({ module_or_path: "/studio/accord-studio_bg.wasm" });
root.textContent = "";
mountStudio(root, root.dataset.catalogue || "/rulebooks.json", root.dataset.inbox ?? "");
