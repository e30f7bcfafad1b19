// Uploading the captured files, by their client UUID: small files whole, several per request (a round trip
// costs more than a photo's bytes on a mobile network); large ones (or one already half sent) in chunks
// through ../uploads.js, each PUT at the offset the server last confirmed (a 409 tells the real one). The
// server checks the SHA-256 of every whole file; only a file it confirmed leaves the device.
//
//   const uploader = mediaUploader(
//     { mediaUrl, bundleUrl, chunkBytes, chunkMaxBytes, bundleBytes, bundleFiles },   // the page's limits
//     device,                                   // captureDevice(): blob(), dropBlob(), put()
//     { changed: () => …, progress: (done, total) => … });
//   await uploader.upload(items) → false when the server could not be reached (the rest waits), else true.
//     Each item: { media: {id, size}, uploaded, state, error, mediaConfirmed } (updated and stored).

import { t } from "../i18n.js";
import { freshToken, readJson, request } from "../http.js";
import { observeLink, uploadFile } from "../uploads.js";

export function mediaUploader(cfg, device, { changed = () => {}, progress = () => {} } = {}) {
  /** A file the server confirmed (its SHA-256 matched): only then does its blob leave the device. */
  async function confirmed(item) {
    item.mediaConfirmed = true;
    item.uploaded = item.media.size;
    await device.put(item);
    await device.dropBlob(item.media.id);
  }

  async function failed(item, message) {
    item.state = "error";
    item.error = message;
    await device.put(item);
  }

  async function sending(items) {
    for (const item of items) {
      item.state = "sending";
      item.error = null;
      await device.put(item);
    }
    changed();
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

  /** Several whole files in one request; each gets its own answer. Returns false when unreachable. */
  async function uploadBundle(items, meter) {
    const parts = [];
    for (const item of items) {
      const blob = await device.blob(item.media.id);
      if (blob) parts.push({ item, blob });
      else await failed(item, t("Le fichier n’est plus sur l’appareil."));
    }
    if (!parts.length) return true;
    await sending(parts.map((p) => p.item));
    let response;
    const bytes = parts.reduce((sum, p) => sum + p.blob.size, 0);
    const started = performance.now();
    try {
      response = await request("POST", cfg.bundleUrl, {
        body: new Blob(parts.map((p) => p.blob)),
        headers: { "Content-Type": "application/octet-stream",
                   "Bundle-Parts": parts.map((p) => `${p.item.media.id}=${p.blob.size}`).join(", ") },
      });
    } catch {
      return false;
    }
    const data = await readJson(response);
    if (response.ok) observeLink(bytes, performance.now() - started);  // sizes the large files' chunks
    if (response.status === 413) {
      // The server's limit went down since this page was loaded: send these files one by one instead.
      for (const { item } of parts) if (!(await uploadOne(item, meter))) return false;
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
    meter.done += bytes;
    progress(meter.done, meter.total);
    return true;
  }

  /** A large file from the offset last confirmed; returns false when the server cannot be reached. */
  async function uploadOne(item, meter) {
    const blob = await device.blob(item.media.id);
    if (!blob) {
      await failed(item, t("Le fichier n’est plus sur l’appareil."));
      return true;
    }
    item.state = "sending";
    await device.put(item);
    const start = meter.done;
    try {
      // Optimistic: no HEAD first. A server holding another amount answers 409 with its offset.
      await uploadFile(`${cfg.mediaUrl}${item.media.id}`, blob, item.uploaded || 0, cfg, (received) => {
        item.uploaded = received;
        meter.done = start + received;
        progress(meter.done, meter.total);
      });
    } catch (error) {
      if (error.status) {
        await failed(item, error.message);
        return true;
      }
      item.state = "device";
      await device.put(item);
      return false;
    }
    await confirmed(item);
    return true;
  }

  /** Small files go whole, several per request; large ones (or one already half sent) go in chunks. */
  async function upload(items) {
    const meter = { done: 0, total: items.reduce((sum, i) => sum + i.media.size, 0) };
    try {
      await freshToken();
    } catch {
      return false;  // not even a token: the server cannot be reached
    }
    try {
      const small = items.filter((i) => i.media.size <= cfg.chunkBytes && !i.uploaded);
      for (const group of bundles(small)) {
        if (!(await uploadBundle(group, meter))) return false;  // the next files would fail the same way
      }
      for (const item of items.filter((i) => !small.includes(i))) {
        if (!(await uploadOne(item, meter))) return false;
      }
    } finally {
      progress(0, 0);
    }
    return true;
  }

  return { upload };
}
