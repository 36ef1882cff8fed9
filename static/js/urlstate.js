// The page's query string is its state: ?panel=vae&model=vae-2d&z=0.1,-0.4

export function readParams() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/** Merge `params` into the address bar's query (empty values dropped), without a history entry. */
export function writeParams(params) {
  const query = new URLSearchParams({ ...readParams(), ...params });
  for (const [k, v] of [...query]) if (v === "" || v === "undefined") query.delete(k);
  history.replaceState(null, "", `?${query}`);
}

/** An absolute link to this page showing exactly `params` (a share link). */
export function pageUrl(params) {
  return `${location.origin}${location.pathname}?${new URLSearchParams(params)}`;
}
