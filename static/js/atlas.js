// Polls a PDF build of the atlas and moves its progress bar; reloads the page when the PDF is ready.
import { api } from "./http.js";

const DELAY_MS = 1500;

async function poll(box) {
  const bar = box.querySelector("progress");
  const text = box.querySelector(".build-text");
  try {
    const state = await api("GET", box.dataset.statusUrl);
    bar.value = state.percent;
    bar.textContent = `${state.percent} %`;
    if (state.status === "done" || state.status === "failed") {
      window.location.reload();
      return;
    }
    text.textContent = `${state.done} / ${state.total}`;
  } catch {
    // A network hiccup: keep the last known state and try again.
  }
  setTimeout(() => poll(box), DELAY_MS);
}

for (const box of document.querySelectorAll(".build-progress[data-status-url]")) {
  const bar = box.querySelector("progress");
  if (bar && ["queued", "running"].includes(box.dataset.state)) setTimeout(() => poll(box), DELAY_MS);
}
