// Excursions pratiques: capture on the phone, offline, then sync without loss or duplicates.
//
// Every capture is first written to IndexedDB (metadata and media blob) under a client UUID, then:
//   1. its metadata goes through the app's outbox (POST .../items, replayed until a 2xx; the server keys
//      the item by its UUID, so a replay never duplicates it);
//   2. its media is uploaded by UUID: small files whole, several per request (a round trip costs more
//      than a photo's bytes on a mobile network), large ones in chunks, each PUT at the offset the server
//      last confirmed (a 409 tells the real one); the server checks the SHA-256 of every whole file;
//   3. only then is the item "envoyé" and its blob removed from the device.
// The page works offline once opened online: the service worker keeps its HTML and this script.

import { lang, t, tn } from "./i18n.js";
import { enqueue, pending, replay } from "./outbox.js";
import { freshToken, putChunk, sha256Hex, uploadHeaders } from "./uploads.js";

const DB_NAME = "tandem-excursions";
const ITEMS = "items";
const BLOBS = "blobs";
// The schema as an ordered list of migrations: never edit one, append a new one.
const MIGRATIONS = [
  (db) => {
    db.createObjectStore(ITEMS, { keyPath: "id" }).createIndex("excursion", "excursionId");
    db.createObjectStore(BLOBS, { keyPath: "id" });
  },
];

const STATE_LABELS = {
  device: t("sur l’appareil"),
  sending: t("envoi…"),
  sent: t("envoyé"),
  error: t("erreur"),
};
const KIND_LABELS = {
  text: t("Note"), photo: t("Photo"), audio: t("Son"), answer: t("Réponse"), place: t("Lieu"),
  consent: t("Consentement"),
};

const root = document.getElementById("capture");
const cfg = root ? {
  excursionId: root.dataset.excursion,
  itemsUrl: root.dataset.itemsUrl,
  mediaUrl: root.dataset.mediaUrl,
  bundleUrl: root.dataset.bundleUrl,
  chunkBytes: Number(root.dataset.chunkBytes) || 512 * 1024,
  bundleBytes: Number(root.dataset.bundleBytes) || 4 * 1024 * 1024,
  bundleFiles: Number(root.dataset.bundleFiles) || 32,
  maxBytes: Number(root.dataset.maxBytes) || 50 * 1024 * 1024,
  photoMaxPx: Number(root.dataset.photoMaxPx) || 1600,
} : null;
const owner = document.querySelector('meta[name="tandem-user"]')?.content ?? "";

// --- IndexedDB ------------------------------------------------------------------------------------

let dbPromise = null;

function openDb() {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, MIGRATIONS.length);
    request.onupgradeneeded = (event) => {
      for (let v = event.oldVersion; v < MIGRATIONS.length; v += 1) MIGRATIONS[v](request.result);
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => { db.close(); dbPromise = null; };
      resolve(db);
    };
    request.onerror = () => { dbPromise = null; reject(request.error); };
  });
  return dbPromise;
}

async function tx(stores, mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const t = db.transaction(stores, mode);
    let result;
    fn(t, (value) => { result = value; });
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new Error("IndexedDB transaction aborted"));
  });
}

function saveCapture(item, blob) {
  return tx([ITEMS, BLOBS], "readwrite", (t) => {
    t.objectStore(ITEMS).put(item);
    if (blob) t.objectStore(BLOBS).put({ id: item.media.id, blob });
  });
}

function putItem(item) {
  return tx([ITEMS], "readwrite", (t) => { t.objectStore(ITEMS).put(item); });
}

function loadItems() {
  return tx([ITEMS], "readonly", (t, done) => {
    const request = t.objectStore(ITEMS).index("excursion").getAll(cfg.excursionId);
    request.onsuccess = () => done(request.result.filter((i) => i.owner === owner)
      .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt)));
  });
}

function loadBlob(mediaId) {
  return tx([BLOBS], "readonly", (t, done) => {
    const request = t.objectStore(BLOBS).get(mediaId);
    request.onsuccess = () => done(request.result?.blob ?? null);
  });
}

function removeBlob(mediaId) {
  return tx([BLOBS], "readwrite", (t) => { t.objectStore(BLOBS).delete(mediaId); });
}

// --- capture --------------------------------------------------------------------------------------

function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** "0,3 Mo", "10 Go": as people read sizes on a phone. */
function readableSize(bytes) {
  const gigabytes = bytes / 1024 ** 3;
  const digits = gigabytes >= 10 ? 0 : 1;
  const size = gigabytes.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (gigabytes >= 1) return t("%(size)s Go", { size });
  return t("%(size)s Mo", { size: megabytes(bytes) });
}

function say(text) {
  const box = document.getElementById("capture-message");
  box.textContent = "";
  // A fresh text node so screen readers announce the same message twice in a row too.
  setTimeout(() => { box.textContent = text; }, 30);
}

function chosenTags() {
  return [...root.querySelectorAll('input[name="tag"]:checked')].map((box) => box.value);
}

function clearTags() {
  for (const box of root.querySelectorAll('input[name="tag"]:checked')) box.checked = false;
}

/** The position, when the person allows it; never blocks a capture for more than a few seconds. */
function position() {
  if (!navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 },
    );
  });
}

async function capture(kind, fields = {}, blob = null) {
  const item = {
    id: crypto.randomUUID(), excursionId: cfg.excursionId, owner, kind, capturedAt: new Date().toISOString(),
    text: "", questionId: null, personName: "", consentGiven: null, tags: chosenTags(),
    latitude: null, longitude: null, accuracy: null, ...fields,
    media: null, metaSent: false, mediaConfirmed: false, uploaded: 0, state: "device", error: null, outboxId: null,
  };
  if (document.getElementById("with-position").checked && item.latitude === null) {
    Object.assign(item, (await position()) ?? {});
  }
  if (blob) {
    item.media = { id: crypto.randomUUID(), contentType: blob.type || "application/octet-stream",
                   size: blob.size, sha256: await sha256Hex(blob) };
    if (blob.size > cfg.maxBytes) {
      // Kept on the device (nothing is lost) but never sent: the server would refuse it.
      item.state = "error";
      item.tooLarge = true;
      item.error = t("Fichier trop volumineux : %(size)s Mo pour %(limit)s Mo au plus. "
        + "Il reste sur l’appareil mais ne sera pas envoyé.", { size: megabytes(blob.size), limit: megabytes(cfg.maxBytes) });
      say(item.error);
    }
  }
  await saveCapture(item, blob);
  clearTags();
  await afterFirstCapture();
  await render();
  if (item.state !== "error") say(t("Capture enregistrée sur l’appareil (%(kind)s).", { kind: KIND_LABELS[kind].toLowerCase() }));
  sync();
  return item;
}

/** Ask once for persistent storage: the browser may otherwise evict captures not yet sent. */
async function afterFirstCapture() {
  if (localStorage.getItem("tandem-persist-asked")) return;
  localStorage.setItem("tandem-persist-asked", "1");
  try {
    await navigator.storage?.persist?.();
  } catch (error) { /* refused: captures still live in IndexedDB */ }
}

/** Draw the photo at most ``photoMaxPx`` wide or high: a phone photo of 5-12 MB becomes a few hundred KB. */
async function downscale(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, cfg.photoMaxPx / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close?.();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    return blob && blob.size < file.size ? blob : file;
  } catch (error) {
    return file;  // a format the browser cannot draw: keep the original rather than lose it
  }
}

// --- audio ----------------------------------------------------------------------------------------

let recorder = null;

async function toggleAudio(button) {
  const state = document.getElementById("audio-state");
  if (recorder) {
    recorder.stop();
    return;
  }
  if (!window.MediaRecorder || !navigator.mediaDevices) {
    say(t("L’enregistrement audio n’est pas disponible sur ce navigateur."));
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    say(t("Micro indisponible : autorisez-le dans les réglages du navigateur."));
    return;
  }
  const chunks = [];
  recorder = new MediaRecorder(stream);
  recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
  recorder.onstop = async () => {
    stream.getTracks().forEach((track) => track.stop());
    const type = (recorder.mimeType || "audio/webm").split(";")[0];
    recorder = null;
    button.textContent = t("Enregistrer un son");
    button.setAttribute("aria-pressed", "false");
    state.textContent = "";
    await capture("audio", {}, new Blob(chunks, { type }));
  };
  recorder.start(1000);
  button.textContent = t("Arrêter l’enregistrement");
  button.setAttribute("aria-pressed", "true");
  state.textContent = t("Enregistrement en cours…");
}

// --- sync -----------------------------------------------------------------------------------------

let syncing = null;
let again = false;

/** One sync at a time; a request made during a run triggers one more run after it. */
export function sync() {
  if (syncing) {
    again = true;
    return syncing;
  }
  syncing = (async () => {
    do {
      again = false;
      await syncOnce();
    } while (again);
  })().finally(() => { syncing = null; render(); });
  return syncing;
}

let unreachable = false;

async function syncOnce() {
  unreachable = false;
  const items = (await loadItems()).filter((i) => i.state !== "sent" && !i.tooLarge && !i.rejected);
  if (!items.length) return;
  await sendMetadata(items);
  const waiting = items.filter((i) => i.metaSent && i.media && !i.mediaConfirmed);
  if (waiting.length && !unreachable) await sendMedia(waiting);
  for (const item of items) {
    if (item.metaSent && (!item.media || item.mediaConfirmed) && item.state !== "sent") {
      item.state = "sent";
      item.error = null;
      await putItem(item);
    }
  }
  // Whatever this run could not finish waits on the device.
  for (const item of (await loadItems()).filter((i) => i.state === "sending")) {
    item.state = "device";
    await putItem(item);
  }
}

/** Small files go whole, several per request; large ones (or one already half sent) go in chunks. */
async function sendMedia(items) {
  const meter = { done: 0, total: items.reduce((sum, i) => sum + i.media.size, 0) };
  try {
    await freshToken();
  } catch {
    unreachable = true;  // not even a token: the server cannot be reached
    return;
  }
  try {
    const small = items.filter((i) => i.media.size <= cfg.chunkBytes && !i.uploaded);
    for (const group of bundles(small)) {
      if (!(await uploadBundle(group, meter))) {
        unreachable = true;  // the next files would fail the same way
        return;
      }
    }
    for (const item of items.filter((i) => !small.includes(i))) {
      if (!(await uploadMedia(item, meter))) {
        unreachable = true;
        return;
      }
    }
  } finally {
    progress(0, 0);
  }
}

function bundles(items) {
  const groups = [[]];
  let size = 0;
  for (const item of items) {
    const group = groups.at(-1);
    if (group.length && (size + item.media.size > cfg.bundleBytes || group.length >= cfg.bundleFiles)) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1).push(item);
    size += item.media.size;
  }
  return groups.filter((group) => group.length);
}

function itemBody(item) {
  const body = {
    id: item.id, kind: item.kind, captured_at: item.capturedAt, text: item.text, tags: item.tags,
    person_name: item.personName, consent_given: item.consentGiven, question_id: item.questionId,
    latitude: item.latitude, longitude: item.longitude, accuracy: item.accuracy,
  };
  if (item.media) {
    body.media = { id: item.media.id, content_type: item.media.contentType, size: item.media.size,
                   sha256: item.media.sha256 };
  }
  return body;
}

// Answers of the batch endpoint, per item id, as heard from the outbox ("outbox:sent").
const accepted = new Map();
const BATCH = 200;

document.addEventListener("outbox:sent", (event) => {
  for (const result of event.detail.data?.results ?? []) accepted.set(result.id, result);
});

/** Apply the answers heard; returns whether an item changed. */
async function applyResults(items) {
  for (const item of items.filter((i) => !i.metaSent && accepted.has(i.id))) {
    const result = accepted.get(item.id);
    if (result.status === 200 || result.status === 201) {
      item.metaSent = true;
    } else {
      // Refused by a rule (over the size limit, a character that cannot be stored): kept on the device,
      // shown with its reason, never sent again.
      item.rejected = true;
      item.state = "error";
      item.error = refusalReason(result);
    }
    await putItem(item);
  }
}

/** The server's reason for refusing one item, with the field messages it gave ("… (U+0000).") */
function refusalReason(result) {
  const messages = (value) => (typeof value === "string" ? [value]
    : Object.values(value ?? {}).flatMap(messages));
  const details = messages(result.error?.fields);
  const reason = result.error?.message ?? `Erreur ${result.status}`;
  return details.length ? `${reason} ${details.join(" ")}` : reason;
}

/**
 * The metadata of new captures goes through the app's outbox, as one batch per sync (a phone back
 * online sends hundreds at once). While a batch waits, new captures wait for the next one. A batch gone
 * from the outbox whose answer this page did not hear (sent from another page) is sent again: the
 * server keys items by their UUID, so that changes nothing twice.
 */
async function sendMetadata(items) {
  for (let round = 0; round < 3; round += 1) {
    await applyResults(items);
    const waiting = new Map((await pending()).map((entry) => [entry.id, entry]));
    const open = items.filter((i) => !i.metaSent && !i.rejected);
    for (const item of open.filter((i) => i.outboxId && !waiting.has(i.outboxId))) item.outboxId = null;
    for (const item of open.filter((i) => waiting.get(i.outboxId)?.state === "failed")) {
      item.state = "error";
      item.error = waiting.get(item.outboxId).error;
      await putItem(item);
    }
    const queued = open.some((i) => i.outboxId && waiting.get(i.outboxId)?.state === "pending");
    const fresh = open.filter((i) => !i.outboxId).slice(0, BATCH);
    if (!queued && fresh.length) {
      const entry = await enqueue({ method: "POST", url: `${cfg.itemsUrl}/batch`,
                                    body: { items: fresh.map(itemBody) },
                                    label: t("Excursion : %(count)s capture(s)", { count: fresh.length }) });
      for (const item of fresh) {
        item.outboxId = entry.id;
        await putItem(item);
      }
    }
    if (!open.length) return;
    await setStates(open.filter((i) => i.state !== "error"), "sending");
    await replay();
    await applyResults(items);
    const left = items.filter((i) => !i.metaSent && !i.rejected);
    const stillQueued = new Set((await pending()).map((entry) => entry.id));
    // Stop when the server could not be reached (the batch still waits) or nothing is left to send.
    if (left.some((i) => stillQueued.has(i.outboxId))) unreachable = true;
    if (!left.length || unreachable) return;
  }
}

async function setStates(items, state) {
  for (const item of items) {
    item.state = state;
    item.error = null;
    await putItem(item);
  }
  render();
}

/** Mark a file confirmed by the server (its SHA-256 matched): only then does its blob leave the device. */
async function confirmed(item) {
  item.mediaConfirmed = true;
  item.uploaded = item.media.size;
  await putItem(item);
  await removeBlob(item.media.id);
}

async function failed(item, message) {
  item.state = "error";
  item.error = message;
  await putItem(item);
}

/** Several whole files in one request; each gets its own answer. Returns false when unreachable. */
async function uploadBundle(items, meter) {
  const parts = [];
  for (const item of items) {
    const blob = await loadBlob(item.media.id);
    if (blob) parts.push({ item, blob });
    else await failed(item, t("Le fichier n’est plus sur l’appareil."));
  }
  if (!parts.length) return true;
  await setStates(parts.map((p) => p.item), "sending");
  let response;
  try {
    response = await fetch(cfg.bundleUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: uploadHeaders({ "Content-Type": "application/octet-stream",
                               "Bundle-Parts": parts.map((p) => `${p.item.media.id}=${p.blob.size}`).join(", ") }),
      body: new Blob(parts.map((p) => p.blob)),
    });
  } catch {
    return false;
  }
  const data = await response.json().catch(() => null);
  if (response.status === 413) {
    // The server's limit went down since this page was loaded: send these files one by one instead.
    for (const { item } of parts) if (!(await uploadMedia(item, meter))) return false;
    return true;
  }
  if (!response.ok) {
    const message = data?.error?.message ?? `Erreur ${response.status}`;
    for (const { item } of parts) await failed(item, message);
    return true;
  }
  const answers = new Map((data?.results ?? []).map((r) => [r.id, r]));
  for (const { item } of parts) {
    const answer = answers.get(item.media.id);
    if (answer?.complete) await confirmed(item);
    else await failed(item, answer?.error ?? t("Fichier non confirmé par le serveur."));
  }
  meter.done += parts.reduce((sum, p) => sum + p.blob.size, 0);
  progress(meter.done, meter.total);
  return true;
}

/** Upload a large file from the offset last confirmed; returns false when the server cannot be reached. */
async function uploadMedia(item, meter) {
  const blob = await loadBlob(item.media.id);
  if (!blob) {
    await failed(item, t("Le fichier n’est plus sur l’appareil."));
    return true;
  }
  item.state = "sending";
  await putItem(item);
  const start = meter.done;
  try {
    // Optimistic: no HEAD first. A server holding another amount answers 409 with its offset.
    let received = item.uploaded || 0;
    let complete = false;
    while (!complete) {
      ({ received, complete } = await putChunk(`${cfg.mediaUrl}${item.media.id}`, blob, received, cfg.chunkBytes));
      item.uploaded = received;
      meter.done = start + received;
      progress(meter.done, meter.total);
    }
  } catch (error) {
    if (error.status) {
      await failed(item, error.message);
      return true;
    }
    item.state = "device";
    await putItem(item);
    return false;
  }
  await confirmed(item);
  return true;
}

function progress(done, total) {
  const bar = document.getElementById("sync-progress");
  bar.hidden = !total;
  bar.value = total ? Math.round((100 * done) / total) : 0;
}

// --- display --------------------------------------------------------------------------------------

let serverItems = [];

async function render() {
  if (!root) return;
  const items = await loadItems();
  const mine = new Set(items.map((i) => i.id));
  const others = serverItems.filter((i) => !mine.has(i.id));
  const list = document.getElementById("items");
  const template = document.getElementById("item-template");
  list.replaceChildren(...[...items, ...others].map((item) => row(template, item)));
  document.getElementById("items-count").textContent = String(items.length + others.length);
  summary(items);
  storage();
}

function row(template, item) {
  const li = template.content.firstElementChild.cloneNode(true);
  const fromServer = item.state === undefined;
  const state = fromServer ? (item.synced ? "sent" : "sending") : item.state;
  li.dataset.id = item.id;
  li.dataset.state = state;
  li.querySelector(".capture-kind").textContent = KIND_LABELS[item.kind] ?? item.kind;
  li.querySelector(".capture-text").textContent = describe(item, fromServer);
  li.querySelector(".capture-when").textContent = new Date(item.capturedAt ?? item.captured_at)
    .toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  const badge = li.querySelector(".sync-state");
  badge.textContent = STATE_LABELS[state] + (state === "error" && item.error ? ` : ${item.error}` : "");
  badge.className = `sync-state sync-${state}`;
  return li;
}

function describe(item, fromServer) {
  const tags = item.tags?.length ? ` · ${item.tags.join(", ")}` : "";
  const person = item.personName ?? item.person_name;
  if (item.kind === "consent") {
    const given = item.consentGiven ?? item.consent_given;
    return given ? t("%(person)s : accord", { person }) : t("%(person)s : refus", { person });
  }
  const media = item.media ? t("%(size)s Mo", { size: megabytes(item.media.size) }) : "";
  const by = fromServer && item.author ? ` (${item.author.name})` : "";
  return `${item.text || media}${tags}${by}`;
}

function summary(items) {
  const waiting = items.filter((i) => i.state !== "sent").length;
  const failed = items.filter((i) => i.state === "error").length;
  const box = document.getElementById("sync-summary");
  let text;
  if (!items.length) text = t("Aucune capture sur cet appareil.");
  else if (!waiting) {
    text = tn(items.length, "Tout est synchronisé (%(num)d capture).", "Tout est synchronisé (%(num)d captures).");
  } else {
    text = failed
      ? t("%(waiting)s capture(s) pas encore synchronisée(s) sur %(total)s, dont %(failed)s en erreur.",
          { waiting, total: items.length, failed })
      : t("%(waiting)s capture(s) pas encore synchronisée(s) sur %(total)s.", { waiting, total: items.length });
    if (unreachable) text += ` ${t("Serveur injoignable : elles restent sur l’appareil et partiront dès que possible.")}`;
  }
  if (box.textContent !== text) box.textContent = text;
}

async function storage() {
  const box = document.getElementById("storage-use");
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  if (!estimate) return;
  const persisted = await navigator.storage.persisted?.().catch(() => false);
  const sizes = { used: readableSize(estimate.usage || 0), quota: readableSize(estimate.quota || 0) };
  box.textContent = persisted
    ? t("Stockage de l’appareil utilisé : %(used)s sur %(quota)s (persistant).", sizes)
    : t("Stockage de l’appareil utilisé : %(used)s sur %(quota)s.", sizes);
}

/** Captures made by the others (the élu, the agent) that the server already holds. */
async function refreshServerItems() {
  try {
    const response = await fetch(cfg.itemsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.ok) serverItems = (await response.json()).items;
  } catch (error) { /* offline: keep what we had */ }
}

// --- wiring ---------------------------------------------------------------------------------------

function onForm(id, build) {
  const form = document.getElementById(id);
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = await build(form);
    if (!fields) return;
    await capture(fields.kind, fields.values);
    form.reset();
  });
}

function start() {
  onForm("capture-text", (form) => {
    const text = form.elements.text.value.trim();
    if (!text) { say(t("Écrivez la note avant de l’enregistrer.")); return null; }
    return { kind: "text", values: { text } };
  });
  onForm("capture-answer", (form) => {
    const text = form.elements.text.value.trim();
    if (!text) { say(t("Écrivez la réponse avant de l’enregistrer.")); return null; }
    return { kind: "answer", values: { text, questionId: form.elements.question_id.value } };
  });
  onForm("capture-place", async (form) => {
    const text = form.elements.text.value.trim();
    if (!text) { say(t("Nommez le lieu.")); return null; }
    const where = await position();
    if (!where) say(t("Position non disponible : le lieu est noté sans coordonnées."));
    return { kind: "place", values: { text, ...(where ?? {}) } };
  });
  onForm("capture-consent", (form) => {
    const personName = form.elements.person_name.value.trim();
    if (!personName) { say(t("Indiquez le nom de la personne.")); return null; }
    return { kind: "consent", values: { personName, consentGiven: form.elements.consent.value === "yes" } };
  });
  const photo = document.getElementById("photo-input");
  photo.addEventListener("change", async () => {
    for (const file of photo.files) await capture("photo", {}, await downscale(file));
    photo.value = "";
  });
  const audio = document.getElementById("audio-toggle");
  audio.addEventListener("click", () => toggleAudio(audio));
  document.getElementById("sync-now").addEventListener("click", async () => {
    await sync();
    await refreshServerItems();
    render();
  });
  window.addEventListener("online", () => sync());
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sync(); });
  setInterval(() => sync(), 20000);
  render().then(() => sync()).then(refreshServerItems).then(render);
}

if (root) start();
