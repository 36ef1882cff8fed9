// How a part of the page gets its elements: it looks up the ones it owns once, where it starts, and
// nothing else touches them. A widget the page has several of (sliders, a digit, the decode
// control) is handed the element it fills.

/** { name: id, … } → { name: the element with that id, … } (null where the page has none). */
export function elements(ids) {
  return Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, document.getElementById(id)]));
}
