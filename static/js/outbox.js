// Tandem's outbox: every write made in the PWA is kept on the device and sent when the network allows.
//
// Interface (for the pages of every domain: notes, excursions…):
//
//   import { enqueue, replay, pending, subscribe } from "./outbox.js";   // from /static/js/*.js
//   (always this bare URL, /static/js/outbox.js, without ?v=: the layout's pwa.js imports it so, and one
//   URL means one module instance; the service worker precaches it under the shell's version.)
//
//   await enqueue({ method: "POST", url: "/api/v1/...", body: {...}, label: "Réponse à la note", ref, quiet })
//     → the stored entry { id, method, url, body, label, ref, state, ... }. `ref` groups entries by what
//       they act on (e.g. "note:<uuid>") so a page can show its own; `quiet` entries (a receipt the
//       person did not type) are sent like the others but left out of the waiting count. `id` is a client UUID sent as the
//       `Idempotency-Key` header, so a replay after a lost answer never acts twice. A replay is attempted
//       at once; the promise does not wait for the server.
//   replay()    → send what is waiting, in order (also run on app open, `online`, `visibilitychange`,
//                 the "Envoyer maintenant" button and Background Sync where it exists).
//   pending()   → the entries not yet sent (state "pending" or "failed"), oldest first.
//   subscribe(fn) → fn(entries) after every change; returns an unsubscribe function.
//   discard(id) → drop an entry on the user's request: a failed one, or a pending one not being sent
//                 (state "sending" while its request is in flight); returns false when too late.
//   document events: "outbox:sent" (detail: {entry, data}) after a 2xx, "outbox:failed" (detail: {entry}).
//
// Progressive enhancement: a form with `data-outbox`, `data-api-url` and `data-api-method` (default POST)
// is serialised to JSON (checkboxes → booleans, repeated names → arrays, `csrf_token` left out) and queued
// instead of being posted; the form shows "Enregistré sur l'appareil, envoi dès que possible" and emits
// "outbox:queued" (detail: {entry}). `data-outbox-label` names the entry in the status area,
// `data-outbox-reset` clears the form after queueing.
//
// Rules: an entry leaves only after a 2xx. 408, 429, 5xx, 401 (signed out) and network errors keep it for
// later; any other 4xx (a 409 "someone already decided" included) marks it failed with the server's
// message, shown to the user and never retried nor dropped silently. A 401 marks the entry `signedOut`:
// the status area then offers "Se reconnecter", and signing in again replays by itself (page load).

import { t } from "./i18n.js";

const DB_NAME = "tandem-outbox";
const STORE = "entries";

// The schema as an ordered list of migrations, each called with (db, versionchange transaction):
// never edit one, append a new one (the database version is the length of this list).
const MIGRATIONS = [
  (db) => {
    const store = db.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
    store.createIndex("id", "id", { unique: true });
  },
];

const RETRYABLE = new Set([401, 408, 425, 429]);
let dbPromise = null;
let replaying = null;
let again = false;
const listeners = new Set();

function owner() {
  return document.querySelector('meta[name="tandem-user"]')?.content ?? "";
}

function openDb() {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, MIGRATIONS.length);
    request.onupgradeneeded = (event) => {
      for (let v = event.oldVersion; v < MIGRATIONS.length; v += 1) {
        MIGRATIONS[v](request.result, request.transaction);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // The browser may close the database (storage pressure, another tab upgrading): reopen next time.
      db.onclose = () => { dbPromise = null; };
      db.onversionchange = () => { db.close(); dbPromise = null; };
      resolve(db);
    };
    request.onerror = () => { dbPromise = null; reject(request.error); };
    request.onblocked = () => { dbPromise = null; reject(new Error("IndexedDB blocked")); };
  });
  return dbPromise;
}

async function withStore(mode, fn) {
  let db;
  try {
    db = await openDb();
    db.transaction(STORE, mode);  // throws InvalidStateError when the connection was closed
  } catch (error) {
    dbPromise = null;
    db = await openDb();
  }
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    Promise.resolve(fn(tx.objectStore(STORE), (value) => { result = value; })).catch(reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function all() {
  return withStore("readonly", (store, done) => {
    const request = store.getAll();
    request.onsuccess = () => done(request.result.filter((e) => !e.owner || e.owner === owner()));
  });
}

function put(entry) {
  return withStore("readwrite", (store) => { store.put(entry); });
}

function remove(seq) {
  return withStore("readwrite", (store) => { store.delete(seq); });
}

async function notify() {
  const entries = await all();
  for (const fn of listeners) fn(entries);
  return entries;
}

export function subscribe(fn) {
  listeners.add(fn);
  all().then(fn);
  return () => listeners.delete(fn);
}

export async function pending() {
  return all();
}

export async function enqueue({ method = "POST", url, body, label = "", ref = "", quiet = false }) {
  const entry = {
    id: crypto.randomUUID(), owner: owner(), method: method.toUpperCase(), url, body, label, ref, quiet,
    state: "pending", attempts: 0, error: null, createdAt: new Date().toISOString(),
  };
  entry.seq = await withStore("readwrite", (store, done) => {
    const request = store.add(entry);
    request.onsuccess = () => done(request.result);
  });
  await notify();
  requestBackgroundSync();
  replay();
  return entry;
}

export async function discard(id) {
  const entry = (await all()).find((e) => e.id === id);
  if (entry?.state === "sending") return false;  // its request is on the way: too late to cancel
  if (entry) await remove(entry.seq);
  await notify();
  return true;
}

/** A fresh CSRF token: the one in the page may be older than the session (page reopened offline). */
async function freshToken() {
  const response = await fetch("/api/v1/csrf-token", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) {
    const error = new Error(`HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return (await response.json()).token;
}

async function send(entry, token) {
  return fetch(entry.url, {
    method: entry.method,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-Requested-With": "fetch",
      "X-CSRFToken": token,
      "Idempotency-Key": entry.id,
    },
    body: entry.body === undefined ? undefined : JSON.stringify(entry.body),
  });
}

/** Send the waiting entries in order; stop at the first one that must wait (order matters). */
export function replay() {
  if (replaying) {
    again = true;  // something arrived during this run: run once more after it
    return replaying;
  }
  const run = async () => {
    do {
      again = false;
      await replayOnce();
    } while (again);
  };
  // One replay at a time across tabs, where the browser offers locks.
  replaying = (navigator.locks ? navigator.locks.request("tandem-outbox", run) : run())
    .finally(() => { replaying = null; });
  return replaying;
}

async function replayOnce() {
  let entries = (await all()).filter((e) => e.state !== "failed");
  if (!entries.length || navigator.onLine === false) return notify();
  let token;
  try {
    token = await freshToken();
  } catch (error) {
    return notify();
  }
  for (const entry of entries) {
    // Cancelled meanwhile (another tab, the person): skip it.
    if (!(await all()).some((e) => e.id === entry.id)) continue;
    entry.state = "sending";
    await put(entry);
    await notify();
    let response;
    try {
      response = await send(entry, token);
    } catch (error) {
      entry.attempts += 1;
      entry.error = null;
      entry.state = "pending";
      await put(entry);
      break;  // network error: keep it and everything after it
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.ok) {
      await remove(entry.seq);
      document.dispatchEvent(new CustomEvent("outbox:sent", { detail: { entry, data } }));
      continue;
    }
    entry.attempts += 1;
    if (RETRYABLE.has(response.status) || response.status >= 500) {
      entry.state = "pending";
      entry.signedOut = response.status === 401;
      entry.error = entry.signedOut ? t("Session expirée : reconnectez-vous pour envoyer ce qui attend.") : null;
      await put(entry);
      break;
    }
    entry.state = "failed";
    entry.status = response.status;
    entry.error = data?.error?.message ?? t("Erreur %(status)s", { status: response.status });
    await put(entry);
    document.dispatchEvent(new CustomEvent("outbox:failed", { detail: { entry } }));
  }
  return notify();
}

function requestBackgroundSync() {
  navigator.serviceWorker?.ready
    .then((registration) => registration.sync?.register("tandem-outbox"))
    .catch(() => {});
}

// --- forms marked data-outbox ---------------------------------------------------------------------

function formToJson(form) {
  const data = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled || element.name === "csrf_token") continue;
    if (["submit", "button", "reset", "file"].includes(element.type)) continue;
    let value;
    if (element.type === "checkbox") {
      const group = form.querySelectorAll(`input[type=checkbox][name="${CSS.escape(element.name)}"]`);
      if (group.length > 1) {
        if (!element.checked) continue;
        value = element.value;
        data[element.name] = [...(data[element.name] ?? []), value];
        continue;
      }
      value = element.checked;
    } else if (element.type === "radio") {
      if (!element.checked) continue;
      value = element.value;
    } else if (element.type === "number" || element.type === "range") {
      value = element.value === "" ? null : Number(element.value);
    } else if (element.multiple && element.selectedOptions) {
      value = [...element.selectedOptions].map((o) => o.value);
    } else {
      value = element.value;
    }
    data[element.name] = value;
  }
  return data;
}

function feedback(form, text) {
  let box = form.querySelector(".outbox-feedback");
  if (!box) {
    box = document.createElement("p");
    box.className = "outbox-feedback";
    box.setAttribute("role", "status");
    form.append(box);
  }
  box.textContent = text;
}

async function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.dataset.outbox === undefined) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const entry = await enqueue({
    method: form.dataset.apiMethod || "POST",
    url: form.dataset.apiUrl || form.action,
    body: formToJson(form),
    label: form.dataset.outboxLabel || "",
  });
  feedback(form, t("Enregistré sur l’appareil, envoi dès que possible."));
  if (form.dataset.outboxReset !== undefined) form.reset();
  form.dispatchEvent(new CustomEvent("outbox:queued", { bubbles: true, detail: { entry } }));
}

// --- when to replay --------------------------------------------------------------------------------

// Installed once per page, even if the module were loaded under two URLs (a form queued twice would
// still be sent once thanks to its key, but the person would see two entries).
if (!window.__tandemOutbox) {
  window.__tandemOutbox = true;
  document.addEventListener("submit", onSubmit, true);
  window.addEventListener("online", () => replay());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") replay();
  });
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "OUTBOX_REPLAY") replay();
  });
  if (owner()) replay();
}
