// Resumable, hash-verified uploads of files captured on the phone (excursions' evidence, testimonies' videos).
//
// The server side is webapp/core/uploads.py: a file is first declared with its size and SHA-256 (with the
// record it belongs to), then its bytes are PUT in chunks at the offset the server holds
// (`PUT <url>?offset=N`); a 409 carries the real offset in `Upload-Offset`, and the last chunk is answered
// `complete: true` only once the server checked the SHA-256 and made the file durable. Only then may the
// page delete its copy. Requests go through http.js (CSRF token, JSON errors).
//
//   sha256Hex(blob)                          → the hex SHA-256 of a blob
//   freshToken()                             → a CSRF token for the uploads (throws when unreachable)
//   uploadHeaders(extra)                     → the headers of an upload request
//   putChunk(url, blob, offset, chunkBytes)  → { received, complete } after one chunk
//   uploadFile(url, blob, from, chunkBytes, onProgress) → resolves once the server confirmed the file;
//       throws an Error with `status` when the server refused it, without `status` when unreachable.
// (excursions/upload.js adds the bundles of small files on top of these.)

import { failure, freshToken, readJson, request, token } from "./http.js";

export { freshToken };

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function uploadHeaders(extra) {
  return { "X-CSRFToken": token(), "X-Requested-With": "fetch", Accept: "application/json", ...extra };
}

export async function putChunk(url, blob, offset, chunkBytes) {
  const end = Math.min(offset + chunkBytes, blob.size);
  const response = await request("PUT", `${url}?offset=${offset}`, {
    body: blob.slice(offset, end), headers: { "Content-Type": "application/octet-stream" },
  });
  const data = await readJson(response);
  if (response.ok) return { received: data.received, complete: data.complete };
  if (response.status === 409 && response.headers.get("Upload-Offset") !== null) {
    // The server holds another amount (an answer was lost, or it never got the start): resume there.
    return { received: Number(response.headers.get("Upload-Offset")), complete: false };
  }
  const error = failure(response, data);
  if (!data?.error?.message) error.message = `Erreur ${response.status}`;
  throw error;
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
