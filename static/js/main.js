// Entry point: load the model list, wire the tabs, and start each panel the first time it is shown.
// A panel module exports matches(model) (the models it shows), none (what it says when no model
// matches) and start({ models, params }) → { shown, hidden }, called as its tab is selected and left.
// Each tab opened is a history entry (Back and Forward move between panels).
import { getJSON } from "./api.js";
import { checkServer, isNetworkError, whenReachable } from "./connection.js";
import { elements } from "./dom.js";
import { presentation } from "./present.js";
import { notify, reportError } from "./status.js";
import { LINK, panelInUrl, readParams } from "./urlstate.js";

const PANELS = {
  vae: () => import("./vae.js"),
  cvae: () => import("./cvae.js"),
  compare: () => import("./compare.js"),
  mdn: () => import("./mdn.js"),
  arm: () => import("./arm.js"),
  pose: () => import("./pose.js"),
  cards: () => import("./cards.js"),
};
// The tabs, and the panel each one shows.
const tabs = [...document.querySelectorAll(".tabs [role=tab]")];
const sections = elements(Object.fromEntries(tabs.map((tab) => [tab.dataset.panel, tab.getAttribute("aria-controls")])));
const started = new Map(); // panel name → promise of its { shown, hidden } hooks
let current = null;

/** A panel name from a link: only the page's own panels (not "constructor", "__proto__", …). */
const panelName = (name) => (Object.hasOwn(PANELS, name) ? name : "vae");
// The link the page was opened with: its model/z/label belong to the panel it names (vae when
// none), not to whichever panel a person opens next.
const linkFor = (name) => (panelName(LINK.panel) === name ? LINK : {});

/** Show panel `name`; `push`: as a new history entry (a tab opened), else the address bar's own. */
async function showPanel(name, models, { push = false } = {}) {
  name = panelName(name);
  if (push && name === current && started.has(name)) return; // a click on the open tab (a failed start is tried again)
  for (const tab of tabs) {
    const selected = tab.dataset.panel === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected && tab.parentElement.scrollWidth > tab.parentElement.clientWidth) {
      tab.scrollIntoView({ block: "nearest", inline: "nearest" }); // a tab bar that scrolls (a phone) shows it
    }
    sections[tab.dataset.panel].hidden = !selected;
  }
  if (current && current !== name) started.get(current)?.then((panel) => panel?.hidden?.(), () => {});
  current = name;
  if (push || readParams().panel !== name) panelInUrl(name, { push }); // the panel's shown() adds its state
  if (!started.has(name)) started.set(name, startPanel(name, models));
  const panel = await started.get(name);
  if (current !== name) return;
  panel?.shown?.();
  document.body.dataset[`${name}Ready`] = "1";
}

/**
 * Import and start a panel. A failure is forgotten, so the panel is started afresh next time; when
 * the server could not be reached, that next time is as soon as it answers (if it is still shown).
 */
async function startPanel(name, models) {
  const panel = sections[name];
  const retryWhenReachable = () => {
    started.delete(name);
    panel.dataset.waiting = "1"; // says so in the panel (style.css) until the retry starts it
    whenReachable().then(() => { if (current === name) showPanel(name, models).catch(reportError); });
    return new Promise(() => {}); // the retry takes over; this attempt never completes
  };
  let module;
  try {
    module = await PANELS[name]();
  } catch {
    if (!(await checkServer())) return retryWhenReachable();
    // The server answers but not with this module: the page is older than the server's code.
    started.delete(name);
    notify("This panel's code could not be loaded: the server may have been updated. Reload the page.", 60000);
    return new Promise(() => {});
  }
  try {
    const matching = models.filter(module.matches);
    if (!matching.length) panel.textContent = module.none; // in place of the controls it would have
    const hooks = matching.length ? await module.start({ models: matching, params: linkFor(name) }) : {};
    delete panel.dataset.waiting;
    return hooks;
  } catch (error) {
    if (isNetworkError(error)) return retryWhenReachable();
    started.delete(name);
    throw error;
  }
}

/** GET the model list, waiting out an unreachable server. */
async function loadModels() {
  for (;;) {
    try {
      return await getJSON("api/models");
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      await whenReachable();
    }
  }
}

async function main() {
  // Until the models arrive the tabs do nothing, but the first one is reachable by keyboard.
  tabs.forEach((tab, i) => { tab.tabIndex = i === 0 ? 0 : -1; });
  const models = await loadModels();
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => showPanel(tab.dataset.panel, models, { push: true }).catch(reportError));
    tab.addEventListener("keydown", (event) => {
      // The WAI-ARIA tabs pattern: arrows move between tabs, Home and End jump to the ends.
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      const tab = tabs[(next + tabs.length) % tabs.length];
      tab.focus();
      tab.click();
    });
  });
  addEventListener("popstate", () => showPanel(readParams().panel, models).catch(reportError));
  await showPanel(readParams().panel, models);
}

presentation();
main().catch(reportError);
