// Sending the captures: their metadata through the app's outbox (POST .../items/batch, replayed until a
// 2xx; the server keys each item by its UUID, so a replay never duplicates it), then their files
// (upload.js); only then is an item "envoyé". One sync at a time (../sync.js).
//
//   const outgoing = captureSync(cfg, device, uploader, { changed });
//   outgoing.sync()        → the run's promise (a call during a run asks for one more run after it)
//   outgoing.unreachable() → whether the last run found the server out of reach

import { t } from "../i18n.js";
import { enqueue, pending, replay } from "../outbox.js";
import { syncRunner } from "../sync.js";

const BATCH = 200;

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

/** The server's reason for refusing one item, with the field messages it gave ("… (U+0000).") */
function refusalReason(result) {
  const messages = (value) => (typeof value === "string" ? [value]
    : Object.values(value ?? {}).flatMap(messages));
  const details = messages(result.error?.fields);
  const reason = result.error?.message ?? `Erreur ${result.status}`;
  return details.length ? `${reason} ${details.join(" ")}` : reason;
}

export function captureSync(cfg, device, uploader, { changed = () => {} } = {}) {
  let unreachable = false;
  // Answers of the batch endpoint, per item id, as heard from the outbox ("outbox:sent").
  const accepted = new Map();
  document.addEventListener("outbox:sent", (event) => {
    for (const result of event.detail.data?.results ?? []) accepted.set(result.id, result);
  });

  async function setStates(items, state) {
    for (const item of items) {
      item.state = state;
      item.error = null;
      await device.put(item);
    }
    changed();
  }

  /** Apply the answers heard. */
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
      await device.put(item);
    }
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
        await device.put(item);
      }
      const queued = open.some((i) => i.outboxId && waiting.get(i.outboxId)?.state === "pending");
      const fresh = open.filter((i) => !i.outboxId).slice(0, BATCH);
      if (!queued && fresh.length) {
        const entry = await enqueue({ method: "POST", url: `${cfg.itemsUrl}/batch`,
                                      body: { items: fresh.map(itemBody) },
                                      label: t("Excursion : %(count)s capture(s)", { count: fresh.length }) });
        for (const item of fresh) {
          item.outboxId = entry.id;
          await device.put(item);
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

  async function syncOnce() {
    unreachable = false;
    const items = (await device.items(cfg.excursionId)).filter((i) => i.state !== "sent" && !i.tooLarge && !i.rejected);
    if (!items.length) return;
    await sendMetadata(items);
    const waiting = items.filter((i) => i.metaSent && i.media && !i.mediaConfirmed);
    if (waiting.length && !unreachable && !(await uploader.upload(waiting))) unreachable = true;
    for (const item of items) {
      if (item.metaSent && (!item.media || item.mediaConfirmed) && item.state !== "sent") {
        item.state = "sent";
        item.error = null;
        await device.put(item);
      }
    }
    // Whatever this run could not finish waits on the device.
    for (const item of (await device.items(cfg.excursionId)).filter((i) => i.state === "sending")) {
      item.state = "device";
      await device.put(item);
    }
  }

  const runner = syncRunner(syncOnce);
  return {
    sync: () => runner().finally(changed),
    unreachable: () => unreachable,
  };
}
