// Tandem's page enhancements. Plain ES module, no build step.

// The HTTP helpers moved to http.js; still exported here for the modules that import them from app.js.
export { api, csrfToken } from "./http.js";

// A form submitted twice on a slow network would act twice: disable its buttons once sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.allowResubmit !== undefined) return;
  // After the entry list is built (a disabled submitter would be left out of it).
  setTimeout(() => {
    for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) button.disabled = true;
  }, 0);
});

// A link to a passage (#annotation-…) must not land it under the sticky top bar, whose height depends
// on how the navigation wraps: keep the browser's scroll padding equal to it.
const topbar = document.querySelector(".topbar");
if (topbar) {
  const pad = () => document.documentElement.style.setProperty("--topbar-height", `${topbar.offsetHeight}px`);
  pad();
  new ResizeObserver(pad).observe(topbar);
}

// The "Plus" menu of the navigation closes with Escape (focus back on "Plus", as for any menu button)
// and when one taps anywhere else.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.more[open]")) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.more[open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});

// People pickers get their search field only on the pages that have one.
if (document.querySelector(".choices, select[multiple]")) import("./picker.js");
