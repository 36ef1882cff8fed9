// The one DOM shorthand every panel uses.

/** The element with this id (null when the page has none). */
export const $ = (id) => document.getElementById(id);
