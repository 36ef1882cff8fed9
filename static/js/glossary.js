// The words a model card (and a start-here line) uses that not everyone knows, each with a
// plain-language explanation shown as its tooltip.

const TERMS = {
  ELBO: "Evidence lower bound: what a VAE is trained to raise, a lower bound on log p(x). Its negative, −ELBO, is the " +
    "loss: reconstruction error plus KL, in nats per image. Lower −ELBO is better.",
  KL: "Kullback–Leibler divergence between the encoder's q(z|x) and the prior N(0, I): how much the latent code " +
    "says about one image, in nats. Zero would mean the code ignores the image.",
  nats: "A unit of information, like bits but with natural logarithms: 1 nat = 1.44 bits. Here, per image (or per " +
    "test point for a mixture density network).",
  "Fréchet distance": "How far generated images are from real ones, each set summarised as a Gaussian over a " +
    "classifier's features (the idea behind FID). Lower is better; 0 means the two sets look alike to the classifier.",
  NLL: "Negative log-likelihood, −log p(t|x), averaged over test points, in nats: lower means the model puts more " +
    "probability where the data really are.",
};

/** The explanation of `term`, or undefined. */
export const explain = (term) => TERMS[term];

/** HTML of `text` (already escaped) with each known term wrapped in an <abbr> carrying its explanation. */
export function withTerms(text) {
  const pattern = new RegExp(`\\b(${Object.keys(TERMS).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b`, "g");
  return text.replace(pattern, (term) => `<abbr class="term" tabindex="0" title="${TERMS[term].replace(/"/g, "&quot;")}">${term}</abbr>`);
}

/**
 * Under `root`, a tap, click or Enter on a term shows its explanation beside it (a title tooltip
 * never shows on a touch screen), and another tap hides it.
 */
export function explainOnTap(root) {
  const toggle = (term) => {
    const open = term.nextElementSibling?.classList.contains("term-tip");
    if (open) {
      term.nextElementSibling.remove();
      term.setAttribute("aria-expanded", "false");
      return;
    }
    const tip = Object.assign(document.createElement("span"), { className: "term-tip", textContent: TERMS[term.textContent] });
    tip.setAttribute("role", "note");
    term.after(tip);
    term.setAttribute("aria-expanded", "true");
  };
  root.addEventListener("click", (event) => {
    const term = event.target.closest?.("abbr.term");
    if (term && TERMS[term.textContent]) toggle(term);
  });
  root.addEventListener("keydown", (event) => {
    const term = event.target.closest?.("abbr.term");
    if (term && TERMS[term.textContent] && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      toggle(term);
    }
  });
}
