// Talking to the REST API, and the cache of its answers: relative URLs only, so the page works at
// any host, port or prefix.
import { ServerUnreachable, isNetworkError, serverDown, serverUnreachable, whenReachable } from "./connection.js";
import { reportError } from "./status.js";

/** The server answered with a 4xx/5xx; the message is its `detail`. */
export class ApiError extends Error {
  name = "ApiError";
}

/** GET a JSON document; a 4xx/5xx becomes an ApiError carrying the server's `detail`. */
export async function getJSON(url, options = {}) {
  const response = await fetchRetrying(url, options);
  if (!response.ok) throw new ApiError(await errorText(response));
  return response.json();
}

/** POST a JSON body and read a JSON answer. */
export async function postJSON(url, body, options = {}) {
  const response = await fetchRetrying(url, {
    ...options, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(await errorText(response));
  return response.json();
}

/** Fetch a PNG and decode it off the main thread into an ImageBitmap. */
export async function getBitmap(url, options = {}) {
  return (await getImage(url, options)).bitmap;
}

/** Fetch a PNG as { bitmap, headers }, for images whose headers describe them (the manifold's axis). */
export async function getImage(url, options = {}) {
  const response = await fetchRetrying(url, options);
  if (!response.ok) throw new ApiError(await errorText(response));
  return { bitmap: await createImageBitmap(await response.blob()), headers: response.headers };
}

/**
 * fetch, tried once more when the network itself failed (e.g. the browser saw the network change);
 * a second failure puts the page in the "server unreachable" state (connection.js) and is thrown.
 */
async function fetchRetrying(url, options) {
  try {
    return await fetch(url, options);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    await new Promise((resolve) => setTimeout(resolve, 150));
    try {
      return await fetch(url, options);
    } catch (again) {
      if (again.name === "AbortError") throw again;
      serverUnreachable();
      throw new ServerUnreachable(url, again);
    }
  }
}

async function errorText(response) {
  try {
    const body = await response.json();
    return `${response.status}: ${typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail)}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

/** One URL for a model endpoint, with query parameters (undefined/null ones dropped). */
export function apiUrl(modelId, endpoint, params = {}) {
  const query = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.map(encodeURIComponent).join(",") : encodeURIComponent(v)}`)
    .join("&");
  return `api/models/${encodeURIComponent(modelId)}/${endpoint}${query ? "?" + query : ""}`;
}

/**
 * The latest-value-wins loader behind every live image and plot.
 *
 * At most one request is in flight. A key asked for while one is in flight replaces any key
 * already waiting (stale ones are dropped, never queued). Results are kept in a small LRU, so a
 * slider dragged back over values it has seen redraws with no request at all. While the wanted
 * key is still on its way, an older result that arrives is shown as an intermediate frame.
 * When the server cannot be reached, the wanted key is asked for again once it can: the view
 * catches up by itself. `onStale` tells the view, meanwhile, that it shows an older value.
 */
export class Latest {
  constructor(load, show, { cacheSize = 512, onError = reportError, onStale = () => {} } = {}) {
    this.load = load;
    this.show = show;
    this.onError = onError;
    this.onStale = onStale;
    this.cacheSize = cacheSize;
    this.cache = new Map();
    this.inflight = null;
    this.pending = null;
    this.wanted = null;
    this.shown = null;
  }

  request(key) {
    this.wanted = key;
    if (this.cache.has(key)) {
      const value = this.cache.get(key);
      this.cache.delete(key); // refresh its LRU position
      this.cache.set(key, value);
      this._show(value, key);
      this.pending = null;
      return;
    }
    if (this.inflight !== null) {
      if (this.inflight !== key) this.pending = key;
      return;
    }
    if (serverDown()) {
      this._retryWhenReachable(); // no request per drag step into a dead connection
      return;
    }
    this._start(key);
  }

  async _start(key) {
    this.inflight = key;
    this.pending = null;
    try {
      const value = await this.load(key);
      this._remember(key, value);
      if (this.wanted === key || this.shown !== this.wanted) this._show(value, key);
    } catch (error) {
      if (isNetworkError(error)) this._retryWhenReachable();
      else this.onError(error);
    } finally {
      this.inflight = null;
      const next = this.pending;
      this.pending = null;
      if (next !== null && next === this.wanted) this.request(next);
    }
  }

  /** `key` reached the screen another way (the page's own decoder): drop what is waiting, and show
   * no answer still in flight over it. */
  markShown(key) {
    this.wanted = key;
    this.shown = key;
    this.pending = null;
  }

  _retryWhenReachable() {
    this.onStale();
    if (this.retrying) return;
    this.retrying = true;
    whenReachable().then(() => {
      this.retrying = false;
      if (this.wanted !== null && this.shown !== this.wanted) this.request(this.wanted);
    });
  }

  _show(value, key) {
    this.shown = key;
    this.show(value, key);
  }

  _remember(key, value) {
    this.cache.set(key, value);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      const old = this.cache.get(oldest);
      this.cache.delete(oldest);
      if (old && typeof old.close === "function" && oldest !== this.shown) old.close();
    }
  }
}
