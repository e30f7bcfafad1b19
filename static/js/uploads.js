// Resumable, hash-verified uploads of files captured on the phone (excursions' evidence, testimonies' videos).
//
// The server side is webapp/core/uploads.py: a file is first declared with its size and SHA-256 (with the
// record it belongs to), then its bytes are PUT in chunks at the offset the server holds
// (`PUT <url>?offset=N`); a 409 carries the real offset in `Upload-Offset`, and the last chunk is answered
// `complete: true` only once the server checked the SHA-256 and made the file durable. Only then may the
// page delete its copy.
//
//   sha256Hex(blob)                          → the hex SHA-256 of a blob
//   freshToken()                             → a CSRF token for the uploads (throws when unreachable)
//   uploadHeaders(extra)                     → the headers of an upload request
//   putChunk(url, blob, offset, chunkBytes)  → { received, complete } after one chunk
//   uploadFile(url, blob, from, chunkBytes, onProgress) → resolves once the server confirmed the file;
//       throws an Error with `status` when the server refused it, without `status` when unreachable.

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function csrf() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

let token = null;

export async function freshToken() {
  const response = await fetch("/api/v1/csrf-token", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  token = (await response.json()).token;
  return token;
}

export function uploadHeaders(extra) {
  return { "X-CSRFToken": token || csrf(), "X-Requested-With": "fetch", Accept: "application/json", ...extra };
}

export async function putChunk(url, blob, offset, chunkBytes) {
  const end = Math.min(offset + chunkBytes, blob.size);
  const response = await fetch(`${url}?offset=${offset}`, {
    method: "PUT",
    credentials: "same-origin",
    headers: uploadHeaders({ "Content-Type": "application/octet-stream" }),
    body: blob.slice(offset, end),
  });
  const data = await response.json().catch(() => null);
  if (response.ok) return { received: data.received, complete: data.complete };
  if (response.status === 409 && response.headers.get("Upload-Offset") !== null) {
    // The server holds another amount (an answer was lost, or it never got the start): resume there.
    return { received: Number(response.headers.get("Upload-Offset")), complete: false };
  }
  throw Object.assign(new Error(data?.error?.message ?? `Erreur ${response.status}`), { status: response.status });
}

export async function uploadFile(url, blob, from, chunkBytes, onProgress = () => {}) {
  let received = from || 0;
  let complete = false;
  while (!complete) {
    ({ received, complete } = await putChunk(url, blob, received, chunkBytes));
    await onProgress(received);
  }
  return received;
}
