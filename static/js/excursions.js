// Excursions pratiques: capture on the phone, offline, then sync without loss or duplicates.
//
// Every capture is first written to IndexedDB (metadata and media blob) under a client UUID
// (excursions/device.js), then sent (excursions/outgoing.js): its metadata through the app's outbox, its
// file by UUID (excursions/upload.js); only then is the item "envoyé" and its blob removed from the
// device. The list is drawn by excursions/view.js. This module takes the captures and wires the page.
// The page works offline once opened online: the service worker keeps its HTML and these scripts.

import { t } from "./i18n.js";
import { captureDevice } from "./excursions/device.js";
import { downscale, megabytes } from "./excursions/files.js";
import { captureSync } from "./excursions/outgoing.js";
import { mediaUploader } from "./excursions/upload.js";
import { KIND_LABELS, captureView, say, showProgress } from "./excursions/view.js";
import { sha256Hex } from "./uploads.js";

const root = document.getElementById("capture");
const cfg = root ? {
  excursionId: root.dataset.excursion,
  itemsUrl: root.dataset.itemsUrl,
  mediaUrl: root.dataset.mediaUrl,
  bundleUrl: root.dataset.bundleUrl,
  chunkBytes: Number(root.dataset.chunkBytes) || 512 * 1024,
  chunkMaxBytes: Number(root.dataset.chunkMaxBytes) || 0,
  bundleBytes: Number(root.dataset.bundleBytes) || 4 * 1024 * 1024,
  bundleFiles: Number(root.dataset.bundleFiles) || 32,
  maxBytes: Number(root.dataset.maxBytes) || 50 * 1024 * 1024,
  photoMaxPx: Number(root.dataset.photoMaxPx) || 1600,
} : null;
const owner = document.querySelector('meta[name="tandem-user"]')?.content ?? "";

const device = captureDevice("tandem-excursions", owner);
let view = null;
const changed = () => view?.render();
const outgoing = captureSync(cfg, device, mediaUploader(cfg, device, { changed, progress: showProgress }), { changed });
view = captureView(cfg, device, { unreachable: outgoing.unreachable });

/** Send what waits on the device (one sync at a time). */
export const sync = outgoing.sync;

// --- capture --------------------------------------------------------------------------------------

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
  await device.save(item, blob);
  clearTags();
  await afterFirstCapture();
  await view.render();
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
  // The length recorded so far, as it grows: shown, not announced every second (the status is a live region).
  const length = document.createElement("span");
  length.setAttribute("aria-hidden", "true");
  const showLength = (seconds) => { length.textContent = ` ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`; };
  let seconds = 0;
  recorder = new MediaRecorder(stream);
  recorder.ondataavailable = (event) => {
    if (event.data.size) chunks.push(event.data);
    // One piece of sound a second (recorder.start(1000)).
    if (recorder?.state === "recording") showLength(seconds += 1);
  };
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
  showLength(0);
  state.append(length);
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
    for (const file of photo.files) await capture("photo", {}, await downscale(file, cfg.photoMaxPx));
    photo.value = "";
  });
  const audio = document.getElementById("audio-toggle");
  audio.addEventListener("click", () => toggleAudio(audio));
  document.getElementById("sync-now").addEventListener("click", async () => {
    await sync();
    await view.refreshServerItems();
    view.render();
  });
  window.addEventListener("online", () => sync());
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sync(); });
  setInterval(() => sync(), 20000);
  view.render().then(() => sync()).then(view.refreshServerItems).then(view.render);
}

if (root) start();
