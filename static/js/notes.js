// Notes en stock page enhancements. Plain ES module; every page works without it.
import { api } from "./app.js";

// Selecting a passage of the note fills the annotation form's quote.
const body = document.getElementById("note-body");
const quote = document.getElementById("annotation-quote");
if (body && quote) {
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    if (!body.contains(selection.getRangeAt(0).commonAncestorContainer)) return;
    const text = selection.toString().trim();
    if (text) quote.value = text;
  });
}

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
