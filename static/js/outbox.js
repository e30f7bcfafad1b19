// Tandem's outbox: every write made in the PWA is kept on the device and sent when the network allows.
//
// Interface (for the pages of every domain: notes, excursions…):
//
//   import { enqueue, replay, pending, subscribe } from "./outbox.js";   // from /static/js/*.js
//   (the layout's import map gives every module one content-hashed URL, so one instance runs per page.)
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
// is serialised to JSON (checkboxes → booleans, repeated names → arrays, a list's empty choice → null,
// `csrf_token` left out) and queued instead of being posted; the form shows "Enregistré sur l'appareil,
// envoi dès que possible" and emits "outbox:queued" (detail: {entry}). `data-outbox-label` names the
// entry in the status area, `data-outbox-reset` clears the form after queueing, `data-reload-when-sent`
// reads the page again once the server has the entry (so the list it added to shows it).
//
// Rules: an entry leaves only after a 2xx. 408, 429, 5xx, 401 (signed out) and network errors keep it for
// later; any other 4xx (a 409 "someone already decided" included) marks it failed with the server's
// message, shown to the user and never retried nor dropped silently. A 401 marks the entry `signedOut`:
// the status area then offers "Se reconnecter", and signing in again replays by itself (page load).

import { t } from "./i18n.js";
import { freshToken, readJson, request } from "./http.js";
import { localStore } from "./store.js";
import { syncRunner } from "./sync.js";

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
const db = localStore("tandem-outbox", MIGRATIONS);
const listeners = new Set();

function owner() {
  return document.querySelector('meta[name="tandem-user"]')?.content ?? "";
}

async function all() {
  return (await db.getAll(STORE)).filter((e) => !e.owner || e.owner === owner());
}

function put(entry) {
  return db.put(STORE, entry);
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
  entry.seq = await db.add(STORE, entry);
  await notify();
  requestBackgroundSync();
  replay();
  return entry;
}

export async function discard(id) {
  const entry = (await all()).find((e) => e.id === id);
  if (entry?.state === "sending") return false;  // its request is on the way: too late to cancel
  if (entry) await db.delete(STORE, entry.seq);
  await notify();
  return true;
}

/** Send the waiting entries in order; stop at the first one that must wait (order matters). One replay
 * at a time across tabs; one asked for during a run runs right after it. */
export const replay = syncRunner(replayOnce, { lock: "tandem-outbox" });

async function replayOnce() {
  const entries = (await all()).filter((e) => e.state !== "failed");
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
      response = await request(entry.method, entry.url, { body: entry.body, token, key: entry.id });
    } catch (error) {
      entry.attempts += 1;
      entry.error = null;
      entry.state = "pending";
      await put(entry);
      break;  // network error: keep it and everything after it
    }
    const data = await readJson(response);
    if (response.ok) {
      await db.delete(STORE, entry.seq);
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
    } else if (element.type === "select-one" && element.value === "") {
      value = null;  // the list's "none" choice (a remark about no post in particular)
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
  // Below the form's button, the message would sit under a phone's bottom tab bar: bring it to mid-screen.
  box.scrollIntoView({ block: "center" });
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

// A form marked `data-reload-when-sent` shows what it added once the server has it: the page is read
// again then (which also refreshes the copy kept for offline reading).
document.addEventListener("outbox:sent", (event) => {
  const forms = [...document.querySelectorAll("form[data-outbox][data-reload-when-sent]")];
  if (forms.some((form) => (form.dataset.apiUrl || form.action) === event.detail.entry.url)) window.location.reload();
});

// --- when to replay --------------------------------------------------------------------------------

document.addEventListener("submit", onSubmit, true);
window.addEventListener("online", () => replay());
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") replay();
});
navigator.serviceWorker?.addEventListener("message", (event) => {
  if (event.data?.type === "OUTBOX_REPLAY") replay();
});
if (owner()) replay();
