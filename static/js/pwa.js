// The installable app: service worker registration, the "new version" prompt, the outbox status area.

import { t, tn } from "./i18n.js";
import { discard, replay, subscribe } from "./outbox.js";

const SW_URL = "/sw.js";

// --- service worker and update prompt (wittr's pattern) ----------------------------------------------

function showUpdate(worker) {
  const bar = document.getElementById("update-bar");
  if (!bar || !worker) return;
  bar.hidden = false;
  bar.querySelector("button").onclick = () => {
    bar.querySelector("button").disabled = true;
    sessionStorage.setItem("tandem-updating", "1");
    worker.postMessage({ type: "SKIP_WAITING" });
  };
}

function trackInstalling(worker) {
  worker.addEventListener("statechange", () => {
    if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdate(worker);
  });
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  // A signed-in page the worker did not serve (loaded before it, or while it was activating) is kept by
  // asking it. Never a signed-out page: an invitation or reset link carries a token that must not stay on
  // the device, and the worker's second request for it could land after the person's own sign-in and
  // answer with the signed-out session cookie.
  const navigation = performance.getEntriesByType("navigation")[0];
  const signedIn = Boolean(document.querySelector('meta[name="tandem-user"]'));
  const servedByWorker = !signedIn || Boolean(navigation && navigation.workerStart > 0);
  const registration = await navigator.serviceWorker.register(SW_URL, { scope: "/" });
  navigator.serviceWorker.ready.then((ready) => {
    if (!servedByWorker) ready.active?.postMessage({ type: "CACHE_PAGES", urls: [location.href] });
    // Activated while this page was loading: its claim may have missed this page.
    if (!navigator.serviceWorker.controller) ready.active?.postMessage({ type: "CLAIM" });
  });
  if (navigator.serviceWorker.controller) {
    if (registration.waiting) showUpdate(registration.waiting);
    if (registration.installing) trackInstalling(registration.installing);
  }
  registration.addEventListener("updatefound", () => trackInstalling(registration.installing));
  let reloaded = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Reload once, and only when the person accepted the update (not on the first install).
    if (reloaded || !sessionStorage.getItem("tandem-updating")) return;
    reloaded = true;
    sessionStorage.removeItem("tandem-updating");
    window.location.reload();
  });
  // Installed apps stay open for days: look for a new version when they come back to the front.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
}

// --- outbox status area ------------------------------------------------------------------------------

function renderOutbox(entries) {
  const box = document.getElementById("outbox-status");
  if (!box) return;
  const waiting = entries.filter((e) => e.state !== "failed" && !e.quiet);
  const failed = entries.filter((e) => e.state === "failed");
  box.hidden = waiting.length + failed.length === 0;
  box.querySelector(".outbox-count").textContent = [
    waiting.length ? tn(waiting.length, "%(num)d envoi en attente", "%(num)d envois en attente") : "",
    failed.length ? tn(failed.length, "%(num)d envoi refusé", "%(num)d envois refusés") : "",
  ].filter(Boolean).join(" · ");
  const note = entries.find((e) => e.state !== "failed" && e.error);
  const noteBox = box.querySelector(".outbox-note");
  noteBox.textContent = note ? note.error : "";
  if (note?.signedOut) {
    // Signed out (session ended): a way back in, returning here; the queue resumes on the next page.
    const link = document.createElement("a");
    link.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    link.textContent = t("Se reconnecter");
    noteBox.append(" ", link);
  }
  const list = box.querySelector(".outbox-failed");
  list.replaceChildren(...failed.map((entry) => {
    const item = document.createElement("li");
    const text = document.createElement("span");
    text.textContent = `${entry.label || entry.url} : ${entry.error}`;
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "link";
    drop.textContent = t("Abandonner");
    drop.setAttribute("aria-label", t("Abandonner : %(what)s", { what: entry.label || entry.url }));
    drop.addEventListener("click", () => discard(entry.id));
    item.append(text, " ", drop);
    return item;
  }));
  box.querySelector(".outbox-send").hidden = waiting.length === 0;
}

function wireOutbox() {
  const box = document.getElementById("outbox-status");
  if (!box) return;
  box.querySelector(".outbox-send").addEventListener("click", () => replay());
  subscribe(renderOutbox);
}

// --- signing out forgets the pages and data kept for offline reading ---------------------------------

const PERSONAL_CACHES = ["tandem-pages", "tandem-api", "tandem-ahead"];

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && new URL(form.action, location.href).pathname === "/logout" && window.caches) {
    for (const name of PERSONAL_CACHES) caches.delete(name);
  }
});

// A signed-out page (the sign-in page after "Se déconnecter", or a session that ended) keeps nothing
// of the previous person on the device.
if (!document.querySelector('meta[name="tandem-user"]') && window.caches && location.pathname === "/login") {
  for (const name of PERSONAL_CACHES) caches.delete(name);
}

// --- a page shown from the device says so, with the time of its copy ----------------------------------

function showCopyBanner() {
  const at = document.documentElement.dataset.offlineCopy;
  if (!at) return;
  const time = new Date(at).toLocaleTimeString(document.documentElement.lang || "fr",
    { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" });
  const banner = document.createElement("p");
  banner.className = "offline-copy";
  banner.setAttribute("role", "status");
  banner.textContent = t("Hors ligne · à jour de %(time)s", { time });
  const main = document.querySelector("main");
  // Inserted above the content: scroll anchoring would push the page down by the banner's height.
  main?.parentElement.insertBefore(banner, main);
  // A reload restores the scroll position by the element that was at the top (Chromium), once the page
  // has loaded, which put the page's title under the banner: a copy opens at its top (or at its #passage).
  history.scrollRestoration = "manual";
  // The banner sticks under the top bar: a link to a passage, or the focus moving to a field, must land
  // below both (the scroll padding adds this height to the top bar's, see app.css).
  const pad = () => document.documentElement.style.setProperty("--offline-copy-height", `${banner.offsetHeight}px`);
  pad();
  new ResizeObserver(pad).observe(banner);
}

// --- while signed in and online, the notes to act on are stored on the device ahead of time ----------

function storeAhead() {
  if (!document.querySelector('meta[name="tandem-user"]') || document.documentElement.dataset.offlineCopy) return;
  navigator.serviceWorker?.ready.then((registration) => registration.active?.postMessage({ type: "STORE_AHEAD" }))
    .catch(() => {});
}

// --- a plain form cannot be sent offline: say so instead of the browser's error page ------------------

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method !== "post" || navigator.onLine !== false) return;
  if (form.dataset.outbox !== undefined || form.dataset.noteAction !== undefined) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  let box = form.querySelector(".offline-refusal");
  if (!box) {
    box = document.createElement("p");
    box.className = "offline-refusal error";
    box.setAttribute("role", "alert");
    form.append(box);
  }
  box.textContent = t("Hors ligne : rien n’a été envoyé. Ce formulaire pourra être envoyé au retour du réseau.");
}, true);

showCopyBanner();

wireOutbox();
registerServiceWorker().then(storeAhead).catch(() => {});
