// Tandem's page enhancements. Plain ES module, no build step.

/** The CSRF token the page was rendered with (sent as a header by every fetch write). */
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

/** JSON call to the API; throws an Error carrying the server's message on a non-2xx answer. */
export async function api(method, url, body, headers = {}) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "X-Requested-With": "fetch",
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(method !== "GET" ? { "X-CSRFToken": csrfToken() } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  }, 0);
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(data?.error?.message ?? `HTTP ${response.status}`);
    error.status = response.status;
    error.fields = data?.error?.fields ?? {};
    throw error;
  }
  return data;
}

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
