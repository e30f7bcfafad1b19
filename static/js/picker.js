// People pickers (élus, agents): a search field above the list, and who is already chosen, always in
// view even when the search hides them. Works on a list of checkboxes (.choices) and on a
// <select multiple>; without JavaScript the plain list stays usable.
import { t, tn } from "./i18n.js";

const SEARCH_FROM = 6; // a short list reads at a glance
let count = 0;

/** Lower case without accents: "Hélène" is found by "helene". */
const fold = (text) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();

function entries(list) {
  if (list instanceof HTMLSelectElement) {
    return [...list.options].map((option) => ({ node: option, name: option.textContent, chosen: () => option.selected }));
  }
  return [...list.querySelectorAll("label")].filter((label) => label.querySelector("input[type=checkbox]"))
    .map((label) => ({ node: label, name: label.textContent, chosen: () => label.querySelector("input").checked }));
}

function enhance(list) {
  const items = entries(list);
  if (items.length === 0) return;
  const id = `picker-${++count}`;
  const chosen = document.createElement("p");
  chosen.className = "picker-chosen";
  chosen.id = `${id}-chosen`;
  chosen.setAttribute("aria-live", "polite");
  const showChosen = () => {
    const names = items.filter((item) => item.chosen()).map((item) => item.name.replace(/\s+/g, " ").trim());
    chosen.textContent = names.length
      ? `${tn(names.length, "%(num)d choisi·e :", "%(num)d choisi·e·s :")} ${names.join(", ")}`
      : t("Personne n’est encore choisi·e.");
  };
  list.addEventListener("change", showChosen);
  showChosen();
  list.before(chosen);
  if (items.length < SEARCH_FROM) return;

  const label = document.createElement("label");
  label.htmlFor = `${id}-search`;
  label.textContent = t("Rechercher un nom");
  const search = document.createElement("input");
  search.type = "search";
  search.id = `${id}-search`;
  search.autocomplete = "off";
  search.setAttribute("aria-describedby", chosen.id);
  const none = document.createElement("p");
  none.className = "muted";
  none.textContent = t("Aucun nom ne correspond.");
  none.hidden = true;
  search.addEventListener("input", () => {
    const wanted = fold(search.value);
    let shown = 0;
    for (const item of items) {
      const match = !wanted || fold(item.name).includes(wanted);
      item.node.hidden = !match;
      shown += match;
    }
    none.hidden = shown > 0;
  });
  // Enter in the search field must not send the whole form half-filled.
  search.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  chosen.before(label, search);
  list.after(none);
}

for (const list of document.querySelectorAll(".choices, select[multiple]")) enhance(list);
