// The capture page's list: the captures on this device with their sending state, the others' captures the
// server already holds, the summary line, the device's storage, and the spoken messages.
//
//   const view = captureView(cfg, device, { unreachable: () => bool });
//   view.render()   draw the list again from the device;   view.refreshServerItems()  ask the server
//   view.say(text)  announce a message (aria-live)

import { request } from "../http.js";
import { lang, t, tn } from "../i18n.js";
import { megabytes, readableSize } from "./files.js";

const STATE_LABELS = {
  device: t("sur l’appareil"),
  sending: t("envoi…"),
  sent: t("envoyé"),
  error: t("erreur"),
};
export const KIND_LABELS = {
  text: t("Note"), photo: t("Photo"), audio: t("Son"), answer: t("Réponse"), place: t("Lieu"),
  consent: t("Consentement"),
};

export function say(text) {
  const box = document.getElementById("capture-message");
  box.textContent = "";
  // A fresh text node so screen readers announce the same message twice in a row too.
  setTimeout(() => { box.textContent = text; }, 30);
}

export function showProgress(done, total) {
  const bar = document.getElementById("sync-progress");
  bar.hidden = !total;
  bar.value = total ? Math.round((100 * done) / total) : 0;
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

function summary(items, unreachable) {
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

export function captureView(cfg, device, { unreachable = () => false } = {}) {
  let serverItems = [];

  async function render() {
    const items = await device.items(cfg.excursionId);
    const mine = new Set(items.map((i) => i.id));
    const others = serverItems.filter((i) => !mine.has(i.id));
    const list = document.getElementById("items");
    const template = document.getElementById("item-template");
    list.replaceChildren(...[...items, ...others].map((item) => row(template, item)));
    document.getElementById("items-count").textContent = String(items.length + others.length);
    summary(items, unreachable());
    storage();
  }

  /** Captures made by the others (the élu, the agent) that the server already holds. */
  async function refreshServerItems() {
    try {
      const response = await request("GET", cfg.itemsUrl);
      if (response.ok) serverItems = (await response.json()).items;
    } catch (error) { /* offline: keep what we had */ }
  }

  return { render, refreshServerItems };
}
