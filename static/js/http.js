// HTTP for Tandem's scripts: the CSRF token, idempotency keys, JSON errors. Every fetch to the API goes
// through here, so the headers the server expects are written once.
//
//   api(method, url, body?, headers?)  → the JSON answer (null for a 204); throws an HttpError on a
//                                        non-2xx answer (network errors throw as fetch does).
//   request(method, url, {body, token, key, headers}) → the raw Response: `body` is JSON-encoded unless
//                                        it is a Blob; `token` replaces the page's CSRF token; `key` is
//                                        sent as the Idempotency-Key header.
//   freshToken()  → a CSRF token asked of the server now (the page's may be older than the session:
//                   a page reopened offline); remembered for `token()`. Throws an HttpError (status) or
//                   a network error.
//   token()       → the last fresh token, else the page's.
//   idempotencyKey() → a new client key (a UUID): the same key on a retry never acts twice.
//   readJson(response) → the JSON body, or null (204, not JSON).
//   failure(response, data) → the HttpError for a refused answer: message, status and the server's
//                   field errors (webapp/core/errors.py's {"error": {"message", "fields"}}).

const TOKEN_URL = "/api/v1/csrf-token";
let fresh = null;

export class HttpError extends Error {
  constructor(message, status, fields = {}) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

/** The CSRF token the page was rendered with. */
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

export function token() {
  return fresh || csrfToken();
}

export function idempotencyKey() {
  return crypto.randomUUID();
}

export async function readJson(response) {
  if (response.status === 204) return null;
  return response.json().catch(() => null);
}

export function failure(response, data) {
  return new HttpError(data?.error?.message ?? `HTTP ${response.status}`, response.status, data?.error?.fields ?? {});
}

export async function freshToken() {
  const response = await fetch(TOKEN_URL, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) throw failure(response, null);
  fresh = (await response.json()).token;
  return fresh;
}

export function request(method, url, { body, token: csrf, key, headers = {} } = {}) {
  const binary = body instanceof Blob;
  return fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "X-Requested-With": "fetch",
      ...(body !== undefined && !binary ? { "Content-Type": "application/json" } : {}),
      ...(method !== "GET" ? { "X-CSRFToken": csrf ?? token() } : {}),
      ...(key ? { "Idempotency-Key": key } : {}),
      ...headers,
    },
    body: body === undefined || binary ? body : JSON.stringify(body),
  });
}

/** JSON call to the API; throws an HttpError carrying the server's message on a non-2xx answer. */
export async function api(method, url, body, headers = {}) {
  const response = await request(method, url, { body, headers });
  const data = await readJson(response);
  if (!response.ok) throw failure(response, data);
  return data;
}
