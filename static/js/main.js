// Entry point: load the model list, wire the tabs, and start each panel the first time it is shown.
import { getJSON } from "./api.js";
import { $ } from "./dom.js";
import { reportError } from "./status.js";
import { readParams, writeParams } from "./urlstate.js";

const PANELS = {
  vae: () => import("./vae.js"),
  cvae: () => import("./cvae.js"),
  mdn: () => import("./mdn.js"),
  arm: () => import("./arm.js"),
  cards: () => import("./cards.js"),
};
const started = new Map();
// The link the page was opened with: its model/z/label belong to the panel it names (vae when
// none), not to whichever panel a person opens next.
const LINK = readParams();
const linkFor = (name) => ((Object.hasOwn(PANELS, LINK.panel) ? LINK.panel : "vae") === name ? LINK : {});

async function showPanel(name, models) {
  if (!PANELS[name]) name = "vae";
  for (const tab of document.querySelectorAll(".tabs button")) {
    const selected = tab.dataset.panel === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`panel-${tab.dataset.panel}`).hidden = !selected;
  }
  if (readParams().panel !== name) writeParams({ panel: name });
  if (!started.has(name)) {
    started.set(name, PANELS[name]().then((module) => module.start({ models, params: linkFor(name), writeParams })));
  }
  const panel = await started.get(name);
  panel?.shown?.();
  document.body.dataset[`${name}Ready`] = "1";
}

async function main() {
  const models = await getJSON("api/models");
  const tabs = [...document.querySelectorAll(".tabs button")];
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => showPanel(tab.dataset.panel, models).catch(reportError));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      next.click();
    });
  });
  await showPanel(readParams().panel || "vae", models);
}

main().catch(reportError);
