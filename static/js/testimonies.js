// Ma vie d'élu local: a testimony filmed on the phone, kept on the device, then sent when the network allows,
// exactly like excursion evidence:
//   1. the video (and a poster frame drawn from it on a canvas) is written to IndexedDB with the form;
//   2. the testimony goes through the app's outbox (POST /api/v1/testimonies under the phone's UUID, with the
//      size and SHA-256 of each file; a replay never creates it twice);
//   3. each file is uploaded in resumable chunks (uploads.js, the excursions' machinery) and removed from
//      the device only once the server confirmed its SHA-256.

import { lang, t, tn } from "./i18n.js";
import { enqueue, pending, replay } from "./outbox.js";
import { localStore } from "./store.js";
import { syncRunner } from "./sync.js";
import { freshToken, sha256Hex, uploadFile } from "./uploads.js";

const RECORDS = "records";
const BLOBS = "blobs";
// The schema as an ordered list of migrations: never edit one, append a new one.
const MIGRATIONS = [
  (db) => {
    db.createObjectStore(RECORDS, { keyPath: "id" });
    db.createObjectStore(BLOBS, { keyPath: "id" });
  },
];
const STATE_LABELS = { device: t("sur l’appareil"), sending: t("envoi…"), sent: t("envoyé"), error: t("erreur") };

const root = document.getElementById("collect");
const cfg = root ? {
  apiUrl: root.dataset.apiUrl,
  filesUrl: root.dataset.filesUrl,
  editUrl: root.dataset.editUrl,
  chunkBytes: Number(root.dataset.chunkBytes) || 1024 * 1024,
  chunkMaxBytes: Number(root.dataset.chunkMaxBytes) || 0,
  maxBytes: Number(root.dataset.maxBytes) || 200 * 1024 * 1024,
} : null;
const owner = document.querySelector('meta[name="tandem-user"]')?.content ?? "";

// --- IndexedDB ------------------------------------------------------------------------------------

const db = localStore("tandem-testimonies", MIGRATIONS);
const putRecord = (record) => db.put(RECORDS, record);
const removeBlob = (id) => db.delete(BLOBS, id);
const loadBlob = async (id) => (await db.get(BLOBS, id))?.blob ?? null;

async function loadRecords() {
  return (await db.getAll(RECORDS)).filter((r) => r.owner === owner)
    .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
}

// --- capture --------------------------------------------------------------------------------------

function say(text) {
  const box = document.getElementById("collect-message");
  box.textContent = "";
  setTimeout(() => { box.textContent = text; }, 30);  // announced again even when the same
}

function once(target, event, ms = 8000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event}: timeout`)), ms);
    target.addEventListener(event, () => { clearTimeout(timer); resolve(); }, { once: true });
    target.addEventListener("error", () => { clearTimeout(timer); reject(new Error("unreadable")); }, { once: true });
  });
}

/** A poster frame drawn on the device from the video (a JPEG); null when the browser cannot decode it. */
async function posterFrom(file) {
  const url = URL.createObjectURL(file);
  try {
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.preload = "auto";
    video.src = url;
    await once(video, "loadeddata");
    if (Number.isFinite(video.duration) && video.duration > 0.5) {
      video.currentTime = Math.min(1, video.duration / 3);
      await once(video, "seeked");
    }
    const scale = Math.min(1, 640 / Math.max(video.videoWidth, 1));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(video.videoWidth * scale));
    canvas.height = Math.max(1, Math.round(video.videoHeight * scale));
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
  } catch (error) {
    return null;  // the poster is optional: the video is kept whatever happens
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function describe(blob) {
  return { id: crypto.randomUUID(), content_type: blob.type || "application/octet-stream", size: blob.size,
           sha256: await sha256Hex(blob) };
}

async function capture(form) {
  const f = form.elements;
  const file = f.video.files[0];
  const missing = [];
  if (!file) missing.push(t("la vidéo"));
  if (!f.speaker_name.value.trim()) missing.push(t("le nom de la personne"));
  if (!f.recorded_on.value) missing.push(t("la date"));
  if (!f.consent_given.checked || !f.consent_name.value.trim()) missing.push(t("le consentement signé"));
  if (missing.length) {
    say(t("Il manque : %(what)s.", { what: missing.join(", ") }));
    return;
  }
  if (file.size > cfg.maxBytes) {
    say(t("Vidéo trop volumineuse pour être envoyée."));
    return;
  }
  document.getElementById("video-state").textContent = t("Préparation de la vidéo…");
  const poster = await posterFrom(file);
  const record = {
    id: crypto.randomUUID(), owner, capturedAt: new Date().toISOString(),
    bodyName: f.body_id.selectedOptions[0]?.textContent ?? "",
    body: {
      body_id: f.body_id.value, speaker_name: f.speaker_name.value.trim(), speaker_role: f.speaker_role.value.trim(),
      speaker_organisation: f.speaker_organisation.value.trim(), recorded_on: f.recorded_on.value,
      consent_given: true, consent_name: f.consent_name.value.trim(),
      consent_text: document.getElementById("consent-text").textContent.trim(),
      video: await describe(file), poster: poster ? await describe(poster) : null,
    },
    state: "device", error: null, outboxId: null, metaSent: false, uploaded: {}, confirmed: {},
  };
  record.body.id = record.id;
  await db.transaction([RECORDS, BLOBS], "readwrite", (t_) => {
    t_.objectStore(RECORDS).put(record);
    t_.objectStore(BLOBS).put({ id: record.body.video.id, blob: file });
    if (poster) t_.objectStore(BLOBS).put({ id: record.body.poster.id, blob: poster });
  });
  form.reset();
  document.getElementById("video-state").textContent = "";
  await render();
  say(t("Témoignage enregistré sur l’appareil."));
  sync();
}

// --- sync -----------------------------------------------------------------------------------------

let unreachable = false;
const runner = syncRunner(syncOnce);

/** One sync at a time; a request made during a run triggers one more run after it. */
export function sync() {
  return runner().finally(render);
}

async function syncOnce() {
  unreachable = false;
  for (const record of (await loadRecords()).filter((r) => r.state !== "sent" && !r.rejected)) {
    if (!(await sendRecord(record)) || unreachable) break;
  }
}

/** The testimony itself, through the outbox; then its files. Returns false when the server is unreachable. */
async function sendRecord(record) {
  record.state = "sending";
  record.error = null;
  await putRecord(record);
  render();
  if (!record.metaSent) {
    if (!record.outboxId || !(await pending()).some((e) => e.id === record.outboxId)) {
      if (record.outboxId) record.metaSent = true;  // left the outbox: sent from another page
      else {
        const entry = await enqueue({ method: "POST", url: cfg.apiUrl, body: record.body,
                                      label: t("Témoignage : %(name)s", { name: record.body.speaker_name }) });
        record.outboxId = entry.id;
      }
      await putRecord(record);
    }
    if (!record.metaSent) {
      await replay();
      const entry = (await pending()).find((e) => e.id === record.outboxId);
      if (entry?.state === "failed") return settle(record, "error", entry.error, true);
      if (entry) {
        unreachable = true;
        return settle(record, "device");
      }
      record.metaSent = true;
      await putRecord(record);
    }
  }
  for (const kind of ["poster", "video"]) {
    const file = record.body[kind];
    if (!file || record.confirmed[kind]) continue;
    const blob = await loadBlob(file.id);
    if (!blob) return settle(record, "error", t("Le fichier n’est plus sur l’appareil."), true);
    try {
      await freshToken();
      await uploadFile(`${cfg.filesUrl}${file.id}`, blob, record.uploaded[kind] || 0, cfg,
                       async (received) => {
                         record.uploaded[kind] = received;
                         await putRecord(record);
                         progress(received, blob.size);
                       });
    } catch (error) {
      progress(0, 0);
      if (error.status) return settle(record, "error", error.message, true);
      unreachable = true;
      return settle(record, "device");
    }
    progress(0, 0);
    record.confirmed[kind] = true;
    await putRecord(record);
    await removeBlob(file.id);
  }
  return settle(record, "sent");
}

async function settle(record, state, error = null, rejected = false) {
  record.state = state;
  record.error = error;
  record.rejected = rejected;
  await putRecord(record);
  return state !== "device";
}

function progress(done, total) {
  const bar = document.getElementById("sync-progress");
  bar.hidden = !total;
  bar.value = total ? Math.round((100 * done) / total) : 0;
}

// --- display --------------------------------------------------------------------------------------

async function render() {
  if (!root) return;
  const records = await loadRecords();
  const list = document.getElementById("captured");
  list.replaceChildren(...records.map((record) => {
    const li = document.createElement("li");
    li.dataset.state = record.state;
    const name = document.createElement(record.state === "sent" ? "a" : "strong");
    name.textContent = `${record.body.speaker_name} · ${record.bodyName}`;
    if (record.state === "sent") {
      name.href = `${cfg.editUrl}${record.id}`;
      name.textContent = t("Sous-titrer et publier : %(name)s", { name: name.textContent });
    }
    const state = document.createElement("span");
    state.className = `sync-state sync-${record.state}`;
    state.textContent = STATE_LABELS[record.state] + (record.error ? ` : ${record.error}` : "");
    li.append(name, state);
    return li;
  }));
  const waiting = records.filter((r) => r.state !== "sent").length;
  let text;
  if (!records.length) text = t("Aucun témoignage sur cet appareil.");
  else if (!waiting) {
    text = tn(records.length, "Tout est synchronisé (%(num)d témoignage).", "Tout est synchronisé (%(num)d témoignages).");
  } else {
    text = t("%(waiting)s témoignage(s) pas encore synchronisé(s) sur %(total)s.", { waiting, total: records.length });
    if (unreachable) text += ` ${t("Serveur injoignable : ils restent sur l’appareil et partiront dès que possible.")}`;
  }
  const box = document.getElementById("sync-summary");
  if (box.textContent !== text) box.textContent = text;
}

function start() {
  const form = document.getElementById("collect-form");
  form.elements.recorded_on.value ||= new Date().toISOString().slice(0, 10);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    capture(form).then(() => { form.elements.recorded_on.value ||= new Date().toISOString().slice(0, 10); });
  });
  form.elements.video.addEventListener("change", () => {
    const file = form.elements.video.files[0];
    const size = file ? (file.size / (1024 * 1024)).toLocaleString(lang, { maximumFractionDigits: 1 }) : "";
    document.getElementById("video-state").textContent = file
      ? t("Vidéo choisie : %(name)s (%(size)s Mo).", { name: file.name, size }) : "";
  });
  document.getElementById("sync-now").addEventListener("click", () => sync());
  window.addEventListener("online", () => sync());
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sync(); });
  setInterval(() => sync(), 20000);
  render().then(() => sync());
}

if (root) start();
