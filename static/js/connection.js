// Whether the server answers. A request that fails at the network level (no HTTP answer at all)
// puts the page in one plain state, "server unreachable, retrying", which stays until /healthz
// answers again; then everything that was waiting for the server runs again, so every panel
// recovers by itself, with no reload.
import { elements } from "./dom.js";

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 4000;
const el = elements({ banner: "offline" });
let down = false;
let waiting = [];

/** A request that got no HTTP answer at all (connection refused, reset, DNS), as api.js throws it. */
export class ServerUnreachable extends Error {
  name = "ServerUnreachable";

  constructor(url, cause) {
    super(`the server did not answer (${url})`, { cause });
  }
}

export const isNetworkError = (error) => error instanceof ServerUnreachable;

/** Whether the page is currently in the "unreachable" state. */
export const serverDown = () => down;

/** Enter the unreachable state (once) and start polling /healthz until it answers. */
export function serverUnreachable() {
  if (down) return;
  down = true;
  document.body.dataset.server = "down";
  el.banner.hidden = false;
  poll(FIRST_RETRY_MS);
}

/** Resolves when the server answers (at once when it is not known to be down). */
export function whenReachable() {
  return down ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve();
}

/** Ask /healthz now; enters the unreachable state when it does not answer. → whether it answered. */
export async function checkServer() {
  try {
    await fetch("healthz", { cache: "no-store" });
    return true;
  } catch {
    serverUnreachable();
    return false;
  }
}

async function poll(delay) {
  await new Promise((resolve) => setTimeout(resolve, delay));
  try {
    const response = await fetch("healthz", { cache: "no-store" });
    if (!response.ok) throw new Error(String(response.status));
  } catch {
    poll(Math.min(MAX_RETRY_MS, delay * 2));
    return;
  }
  down = false;
  document.body.dataset.server = "up";
  el.banner.hidden = true;
  for (const resume of waiting.splice(0)) resume();
}
