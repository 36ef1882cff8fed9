// A model's data set as people read it: model pickers grouped by data set, label names (the API
// takes the indices in `labels`; the names are only for people) and the words for one image.

// The image sets in the order pickers list them; any other set comes after, by title.
const ORDER = ["mnist", "fashion"];
// What one image of a set is called, so no caption says "digit" over a picture of a coat.
const NOUNS = {
  mnist: { one: "digit", a: "a digit", many: "digits" },
  fashion: { one: "item", a: "an item of clothing", many: "items" },
};
const IMAGE = { one: "image", a: "an image", many: "images" };
// How each set framed its images in 28×28, so a drawing reaches the encoder framed the same way:
// MNIST fit the digit in 20×20 and centred its centre of mass (LeCun et al.); Fashion-MNIST scaled
// the longest edge to 28 and centred the box (Xiao et al. 2017). Checked on tests/fixtures' images.
const FRAMING = { mnist: { box: 20, centre: "mass" }, fashion: { box: 28, centre: "box" } };

/** The data set's title for people ("MNIST", "Fashion-MNIST"). */
export function datasetTitle(model) {
  return model.data?.title || model.dataset || "Other";
}

/** `models` in picker order: by data set (MNIST first), keeping their order within one set. */
export function byDataset(models) {
  const rank = (m) => (ORDER.includes(m.dataset) ? ORDER.indexOf(m.dataset) : ORDER.length);
  return [...models].sort((a, b) => rank(a) - rank(b) || datasetTitle(a).localeCompare(datasetTitle(b)));
}

/** Fill `select` with `models`, one <optgroup> per data set, labelled by its title. */
export function fillModelPicker(select, models) {
  const groups = new Map();
  for (const model of byDataset(models)) {
    const title = datasetTitle(model);
    if (!groups.has(title)) groups.set(title, Object.assign(document.createElement("optgroup"), { label: title }));
    groups.get(title).append(new Option(`${model.title} (${model.id})`, model.id));
  }
  select.replaceChildren(...groups.values());
}

/** The name of label `index` ("Trouser" for Fashion-MNIST's 1); the index itself when unnamed. */
export function labelName(model, index) {
  return model.label_names?.[index] ?? String(index);
}

/** A name short enough for a button: "T-shirt/top" → "T-shirt". */
export function shortName(name) {
  return name.split("/")[0];
}

/** { one, a, many }: what the model's images are called ("digit", "a digit", "digits"). */
export function nouns(model) {
  return NOUNS[model.dataset] || IMAGE;
}

/**
 * Say the model's nouns in the panel `root`: each [data-noun="one|a|many"] element's text, and
 * each [data-aria-noun] template's aria-label ("Decoded {one}" → "Decoded item").
 */
export function sayNouns(root, model) {
  const words = nouns(model);
  for (const element of root.querySelectorAll("[data-noun]")) element.textContent = words[element.dataset.noun];
  for (const element of root.querySelectorAll("[data-aria-noun]")) {
    element.dataset.ariaName = element.dataset.ariaNoun.replace(/\{(one|a|many)\}/g, (_, key) => words[key]);
    element.setAttribute("aria-label", element.dataset.ariaName); // digitView adds what the image shows
  }
}

/** { box, centre }: how the model's data set framed an image in 28×28 (see FRAMING). */
export function framing(model) {
  return FRAMING[model.dataset] || FRAMING.mnist;
}
