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
  const controlled = Boolean(navigator.serviceWorker.controller);
  const registration = await navigator.serviceWorker.register(SW_URL, { scope: "/" });
  if (!controlled) {
    navigator.serviceWorker.ready.then((ready) => ready.active?.postMessage({ type: "CACHE_PAGES", urls: [location.href] }));
  }
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
  const waiting = entries.filter((e) => e.state !== "failed");
  const failed = entries.filter((e) => e.state === "failed");
  box.hidden = entries.length === 0;
  box.querySelector(".outbox-count").textContent = [
    waiting.length ? tn(waiting.length, "%(num)d envoi en attente", "%(num)d envois en attente") : "",
    failed.length ? tn(failed.length, "%(num)d envoi refusé", "%(num)d envois refusés") : "",
  ].filter(Boolean).join(" · ");
  const note = waiting.find((e) => e.error);
  box.querySelector(".outbox-note").textContent = note ? note.error : "";
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

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && new URL(form.action, location.href).pathname === "/logout" && window.caches) {
    caches.delete("tandem-pages");
    caches.delete("tandem-api");
  }
});

wireOutbox();
registerServiceWorker().catch(() => {});
