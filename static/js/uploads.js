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
//   putChunk(url, blob, offset, size)        → { received, complete } after one chunk of `size` bytes
//   uploadFile(url, blob, from, { chunkBytes, chunkMaxBytes }, onProgress) → resolves once the server
//       confirmed the file; throws an Error with `status` when the server refused it, without `status`
//       when unreachable.
//   observeLink(bytes, milliseconds)         → an upload request of this page tells the link's speed
//   nextChunk(remaining, { chunkBytes, chunkMaxBytes }) → the size of the next chunk
// (excursions/upload.js adds the bundles of small files on top of these.)
//
// Chunk sizes follow the link. A request costs a round trip and the server's checks whatever its size, so
// fixed 1 MiB chunks make a 30 MiB video 30 requests on a link that could take it in four; a chunk too
// large for the link loses more to a cut. So each chunk is sized to take about CHUNK_SECONDS at the speed
// the last upload request of this page went (a chunk, or a bundle of photos), between a quarter of the
// page's chunk size and its maximum; until something was measured, the page's chunk size. A tail under a
// quarter of a chunk rides with it.

import { failure, freshToken, readJson, request, token } from "./http.js";

export { freshToken };

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function uploadHeaders(extra) {
  return { "X-CSRFToken": token(), "X-Requested-With": "fetch", Accept: "application/json", ...extra };
}

const CHUNK_SECONDS = 2;
const MEASURABLE_BYTES = 64 * 1024;  // under this, a request's time is its round trip, not its bytes
let bytesPerSecond = 0;  // of the last upload request that carried enough bytes to tell

export function observeLink(bytes, milliseconds) {
  if (bytes >= MEASURABLE_BYTES && milliseconds > 0) bytesPerSecond = (bytes * 1000) / milliseconds;
}

export function nextChunk(remaining, { chunkBytes, chunkMaxBytes }) {
  const max = Math.max(chunkMaxBytes || 0, chunkBytes);
  const size = bytesPerSecond
    ? Math.min(max, Math.max(chunkBytes / 4, bytesPerSecond * CHUNK_SECONDS))
    : chunkBytes;
  return Math.floor(remaining <= size * 1.25 ? Math.min(remaining, max) : size);
}

export async function putChunk(url, blob, offset, size) {
  const end = Math.min(offset + size, blob.size);
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

export async function uploadFile(url, blob, from, limits, onProgress = () => {}) {
  let received = from || 0;
  let complete = false;
  while (!complete) {
    const size = nextChunk(blob.size - received, limits);
    const started = performance.now();
    ({ received, complete } = await putChunk(url, blob, received, size));
    observeLink(size, performance.now() - started);
    await onProgress(received);
  }
  return received;
}
