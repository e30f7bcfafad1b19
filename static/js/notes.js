// Notes en stock page enhancements. Plain ES module; every page works without it (plain forms).
//
// The note page: one action bar, each action opening one panel; every action goes through the outbox
// (outbox.js), online and offline alike, shows at once as pending on the page (cancellable while it
// waits), then as sent. A refusal (409: someone already decided; 403: the note moved on) is final and
// shown with the server's message. The inbox marks the notes with something waiting to be sent.
import { api } from "./http.js";
import { t } from "./i18n.js";
import { discard, enqueue, subscribe } from "./outbox.js";

const article = document.querySelector("article.note[data-note-id]");
const SENT_KEY = "tandem-notes-sent";

// --- action bar: one panel open at a time --------------------------------------------------------

function panels() {
  return [...document.querySelectorAll("[data-panel]")];
}

function openPanel(id, focus = true) {
  for (const panel of panels()) panel.hidden = panel.id !== id;
  for (const link of document.querySelectorAll("[data-opens]")) {
    const open = link.dataset.opens === id;
    link.setAttribute("aria-expanded", String(open));
    link.classList.toggle("active", open);
  }
  const panel = document.getElementById(id);
  if (panel && focus) panel.querySelector("input:not([type=hidden]), select, textarea, button")?.focus();
}

function closePanels() {
  openPanel(null, false);
}

function wireActionBar() {
  const links = [...document.querySelectorAll("[data-opens]")];
  if (!links.length) return;
  for (const link of links) {
    link.setAttribute("role", "button");
    link.setAttribute("aria-controls", link.dataset.opens);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const panel = document.getElementById(link.dataset.opens);
      if (panel && !panel.hidden) closePanels(); else openPanel(link.dataset.opens);
    });
    link.addEventListener("keydown", (event) => {
      if (event.key === " ") { event.preventDefault(); link.click(); }
    });
  }
  // Escape closes the open panel and gives the focus back to its button.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = panels().find((panel) => !panel.hidden);
    if (!open) return;
    closePanels();
    links.find((l) => l.dataset.opens === open.id)?.focus();
  });
  const failed = links.find((l) => l.dataset.open !== undefined);
  const followed = links.find((l) => `#${l.dataset.opens}` === location.hash);  // clicked before this ran
  if (failed || followed) openPanel((failed || followed).dataset.opens, Boolean(followed)); else closePanels();
  document.querySelector(".action-panels")?.classList.add("wired");
}

// --- forms → outbox ------------------------------------------------------------------------------

/** The deadline chosen as a day: 18:00 in Paris that day (as the server does for its forms). */
function parisEvening(day) {
  if (!day) return null;
  const probe = new Date(`${day}T12:00:00Z`);
  const name = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Paris", timeZoneName: "longOffset" })
    .formatToParts(probe).find((p) => p.type === "timeZoneName")?.value ?? "GMT+01:00";
  const offset = name === "GMT" ? "+00:00" : name.replace("GMT", "");
  return `${day}T18:00:00${offset}`;
}

const value = (form, name) => form.elements[name]?.value ?? "";

const BODIES = {
  decision(form) {
    const choice = value(form, "choice");
    const text = value(form, "text");
    return choice.startsWith("option:")
      ? { kind: "decision", verdict: "option", option: choice.slice("option:".length), text }
      : { kind: "decision", verdict: choice, text };
  },
  question: (form) => ({ kind: "question", text: value(form, "text") }),
  opinion: (form) => ({ kind: "opinion", text: value(form, "text") }),
  annotation: (form) => ({ kind: "annotation", quote: value(form, "quote"), text: value(form, "text") }),
  delegate: (form) => ({ delegatee_ids: [...form.elements.delegatee_ids.selectedOptions].map((o) => o.value),
    instructions: value(form, "instructions") }),
  renegotiate: (form) => ({ deadline: parisEvening(value(form, "deadline")), argument: value(form, "argument") }),
  reply: (form) => ({ text: value(form, "text") }),
  agreement(form, submitter) {
    const day = value(form, "deadline");
    const keep = day === form.dataset.proposedDay && form.dataset.proposedDeadline;
    return { deadline: keep ? form.dataset.proposedDeadline : parisEvening(day),
      argument: value(form, "argument"), comment: value(form, "comment") };
  },
  settle: (form, submitter) => ({ accept: submitter?.value === "accept", comment: value(form, "comment") }),
  submit: () => ({}),
};

/** What the person will read in the pending list: "Décision : Option B", "Question"… */
function labelOf(form, submitter) {
  const base = form.dataset.outboxLabel;
  if (form.dataset.noteAction === "decision") {
    const checked = form.querySelector("input[name=choice]:checked");
    const text = checked?.closest("label")?.querySelector("strong")?.textContent || checked?.closest("label")?.textContent;
    return `${base} : ${(text || "").trim()}`;
  }
  // A form with several buttons names which one was pressed (each button has a value).
  if (submitter && (submitter.name || submitter.value) && form.dataset.noteAction !== "decision") return `${base} : ${submitter.textContent.trim()}`;
  return base;
}

function noteRef() {
  return `note:${article.dataset.noteId}`;
}

async function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.dataset.noteAction === undefined || !article) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const submitter = event.submitter;
  const body = BODIES[form.dataset.noteAction](form, submitter);
  const label = `${labelOf(form, submitter)} — ${article.dataset.noteTitle}`;
  // Closed at once (not after the store answers): the person may already be opening the next panel.
  form.reset();
  closePanels();
  await enqueue({ url: submitter?.dataset.apiUrl || form.dataset.apiUrl, body, label, ref: noteRef() });
  showPending();
}

// After an action, the person sees it waiting at the top of the note, wherever the panel left the page.
function showPending() {
  setTimeout(() => {
    const box = document.getElementById("note-pending");
    if (!box || box.hidden) return;
    box.scrollIntoView({ block: "center" });
    box.focus({ preventScroll: true });
  }, 0);
}

// --- what waits, on the note page -----------------------------------------------------------------

function stateText(entry) {
  if (entry.state === "failed") return t("Refusé : %(message)s", { message: entry.error });
  if (entry.state === "sending") return t("Envoi en cours…");
  return entry.signedOut ? t("En attente : reconnectez-vous") : t("En attente d’envoi");
}

function pendingItem(entry) {
  const item = document.createElement("li");
  item.className = `pending-item pending-${entry.state}`;
  const text = document.createElement("span");
  text.textContent = `${entry.label.split(" — ")[0]} · ${stateText(entry)}`;
  item.append(text);
  if (entry.state !== "sending") {
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link";
    cancel.textContent = entry.state === "failed" ? t("Retirer") : t("Annuler");
    cancel.setAttribute("aria-label", `${cancel.textContent} : ${entry.label}`);
    cancel.addEventListener("click", () => discard(entry.id));
    item.append(" ", cancel);
  }
  return item;
}

function sentItem(label) {
  const item = document.createElement("li");
  item.className = "pending-item pending-sent";
  item.textContent = `${label.split(" — ")[0]} · ${t("Envoyé")}`;
  return item;
}

function readSent() {
  try {
    return JSON.parse(sessionStorage.getItem(SENT_KEY) || "[]");
  } catch (error) {
    return [];
  }
}

// What was sent from this page before it reloaded: shown once, then forgotten.
let sentHere = [];
function takeSent() {
  const all = readSent();
  sentHere = all.filter((s) => s.ref === noteRef()).map((s) => s.label);
  sessionStorage.setItem(SENT_KEY, JSON.stringify(all.filter((s) => s.ref !== noteRef())));
}

let lastEntries = [];
function renderPending(entries = lastEntries) {
  lastEntries = entries;
  const box = document.getElementById("note-pending");
  if (!box) return;
  const mine = entries.filter((e) => e.ref === noteRef() && !e.quiet);
  box.hidden = mine.length + sentHere.length === 0;
  box.querySelector("ul").replaceChildren(...sentHere.map(sentItem), ...mine.map(pendingItem));
}

// Once the server has it, the page is reloaded to show the server's state, with "Envoyé" kept for
// the reload (sessionStorage: this tab only).
function onSent(event) {
  const { entry } = event.detail;
  if (!article || entry.ref !== noteRef() || entry.quiet) return;
  sessionStorage.setItem(SENT_KEY, JSON.stringify([...readSent(), { ref: entry.ref, label: entry.label }]));
  sentHere.push(entry.label);
  renderPending();
  clearTimeout(onSent.timer);
  onSent.timer = setTimeout(() => { if (!lastEntries.some((e) => e.ref === noteRef() && e.state !== "failed" && !e.quiet)) location.reload(); }, 300);
}


// --- a note opened from the device: its receipt goes through the outbox ----------------------------

async function acknowledgeOffline(entries) {
  const url = article.dataset.acknowledgeUrl;
  if (!url || !document.documentElement.dataset.offlineCopy) return;
  if (entries.some((e) => e.url === url)) return;
  await enqueue({ url, body: {}, label: `${t("Accusé de réception")} — ${article.dataset.noteTitle}`,
    ref: noteRef(), quiet: true });
}

// --- selecting a passage offers "Annoter ce passage" next to it -----------------------------------

function wireSelection() {
  const body = document.getElementById("note-body");
  const button = document.getElementById("annotate-selection");
  const quote = document.getElementById("annotation-quote");
  if (!body || !button || !quote) return;
  let chosen = "";
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    const inside = selection && !selection.isCollapsed && selection.rangeCount
      && body.contains(selection.getRangeAt(0).commonAncestorContainer);
    const text = inside ? selection.toString().trim() : "";
    if (!text) { if (document.activeElement !== button) button.hidden = true; return; }
    chosen = text;
    const rect = selection.getRangeAt(0).getBoundingClientRect();
    const box = body.parentElement.getBoundingClientRect();
    button.style.top = `${rect.bottom - box.top + 8}px`;
    button.style.left = `${Math.max(0, Math.min(rect.left - box.left, box.width - 180))}px`;
    button.hidden = false;
  });
  button.addEventListener("click", () => {
    quote.value = chosen;
    button.hidden = true;
    openPanel("panel-annotate", false);
    document.getElementById("panel-annotate").scrollIntoView({ block: "start" });
    document.getElementById("annotation-text").focus();
  });
}

// --- the inbox: notes with something waiting -------------------------------------------------------

function markInbox(entries) {
  for (const row of document.querySelectorAll("[data-note-row]")) {
    const ref = `note:${row.dataset.noteRow}`;
    const mine = entries.filter((e) => e.ref === ref && !e.quiet);
    let tag = row.querySelector(".pending-tag");
    if (!mine.length) { tag?.remove(); continue; }
    if (!tag) {
      tag = document.createElement("span");
      tag.className = "tag pending-tag";
      row.querySelector("a").after(" ", tag);
    }
    const failed = mine.some((e) => e.state === "failed");
    tag.classList.toggle("pending-failed", failed);
    tag.textContent = failed ? t("Envoi refusé") : t("En attente d’envoi");
  }
}

if (article) {
  document.addEventListener("submit", onSubmit, true);
  document.addEventListener("outbox:sent", onSent);
  takeSent();
  renderPending([]);
  wireActionBar();
  wireSelection();
  let first = true;
  subscribe((entries) => {
    renderPending(entries);
    if (first) { first = false; acknowledgeOffline(entries); }
  });
}
if (document.querySelector("[data-note-row]")) subscribe(markInbox);

// Drafts autosave: the texts typed are saved through the API a moment after typing stops. A new
// draft gets its id here (the API accepts client ids), and the form then edits that draft.
const form = document.querySelector("form[data-autosave]");
if (form) {
  const status = document.getElementById("autosave-status");
  const TEXTS = ["title", "body", "proposed_argument"];
  let noteId = form.dataset.noteId || null;
  let timer = null;
  let queue = Promise.resolve();

  const save = async () => {
    const data = Object.fromEntries(TEXTS.map((name) => [name, form.elements[name].value]));
    if (!data.title.trim()) return; // a draft needs a title before it can be stored
    try {
      if (noteId) {
        await api("PATCH", `/api/v1/notes/${noteId}`, data);
      } else {
        const id = crypto.randomUUID();
        await api("POST", "/api/v1/notes", { id, ...data }, { "Idempotency-Key": `create-${id}` });
        noteId = id;
        form.action = `/notes/${id}/edit`;
        const submitButton = form.querySelector("[data-submit-draft]");
        if (submitButton) submitButton.formAction = `/notes/${id}/edit/submit`;
      }
      const at = new Date().toLocaleTimeString(document.documentElement.lang || "fr", { hour: "2-digit", minute: "2-digit" });
      status.textContent = `${form.dataset.savedLabel} ${at}`;
    } catch (error) {
      status.textContent = `${form.dataset.failedLabel} ${error.message}`;
    }
  };

  form.addEventListener("input", (event) => {
    if (!TEXTS.includes(event.target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(() => { queue = queue.then(save); }, 1200);
  });
}
