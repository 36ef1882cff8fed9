// Colours shared by every plot, so a digit label or a mixture kernel keeps its colour across panels.

/** Ten distinguishable colours (Tableau 10), one per digit label or mixture kernel. */
export const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
