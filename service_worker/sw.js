/* Tandem's service worker. Served by Flask at /sw.js, which injects the version and the precache list.
 *
 * - The app shell (every CSS and JS file, icons) is precached under a versioned cache; older versions
 *   are deleted on activate, but their content-hashed files move to the static cache first, so a page
 *   kept from before a deploy still finds its scripts offline. A new version waits until the page asks
 *   it to take over (update prompt).
 * - Ahead of time (message STORE_AHEAD, sent by every signed-in page opened online, and on push): the
 *   pages and attachments the server lists at /notes/ahead (the person's open notes, within a size
 *   budget) and the signed-in offline page are stored in the "ahead" cache; what left the list is
 *   dropped. Signing out deletes that cache and the pages cache (pwa.js).
 * - What the phone keeps is bounded: the pages and the API reads seen last (KEPT_COPIES of each, the
 *   oldest stored go first), and older versions' hashed files only while a kept page names one.
 * - Navigations: network first, then the newest copy of that page (seen or stored ahead), marked
 *   `data-offline-copy="<time of the copy>"` on <html> so the page says it is a copy; else the offline
 *   page stored while signed in; else a minimal built-in one.
 * - Static assets (content-hashed URLs): cache first.
 * - API reads (/api/v1/...): network first, then the copy seen last, so data already read works offline.
 * - Anything but GET is never intercepted: writes go through the page's outbox, and WebKit drops the
 *   body of intercepted requests (enketo/enketo#1584).
 */
"use strict";

const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const OFFLINE_URL = __OFFLINE_URL__;
const KEPT_COPIES = __KEPT_COPIES__;
const SHELL_CACHE = `tandem-shell-${VERSION}`;
const PAGES_CACHE = "tandem-pages";
const API_CACHE = "tandem-api";
const STATIC_CACHE = "tandem-static";
const AHEAD_CACHE = "tandem-ahead";
const AHEAD_LIST = "/notes/ahead";
const AHEAD_KEY = "/__ahead-list";  // the last list stored, to fetch only what changed
const STORED_AT = "X-Tandem-Stored-At";
const REFRESH_EVERY = 5 * 60 * 1000;
const KEEP = new Set([SHELL_CACHE, PAGES_CACHE, API_CACHE, STATIC_CACHE, AHEAD_CACHE]);
const NETWORK_TIMEOUT = 4000;
const NEVER_CACHED = new Set(["/api/v1/csrf-token", "/sw.js", "/login", "/logout"]);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith("tandem-") && !KEEP.has(name));
    for (const name of names) {
      // Pages kept from the older version name its hashed files (?v=…): keep those for them.
      if (name.startsWith("tandem-shell-")) await keepHashed(name);
      await caches.delete(name);
    }
    await trim(PAGES_CACHE, KEPT_COPIES);
    await trim(API_CACHE, KEPT_COPIES);
    await pruneStatic();
    await self.clients.claim();
  })());
});

async function keepHashed(name) {
  const from = await caches.open(name);
  const to = await caches.open(STATIC_CACHE);
  for (const request of await from.keys()) {
    if (!new URL(request.url).searchParams.has("v")) continue;
    const response = await from.match(request);
    if (response) await to.put(request, response);
  }
}

/** Keep the `keep` entries stored last. Called after each copy is stored, it acts once the cache holds a
 * tenth more, so the copies' times are read once every few dozen pages, not on each. */
async function trim(cacheName, keep, slack = 0) {
  const cache = await caches.open(cacheName);
  const requests = await cache.keys();
  if (requests.length <= keep + slack) return;
  const times = await Promise.all(requests.map(async (request) => storedTime(await cache.match(request))));
  const oldestFirst = requests.map((request, i) => [times[i], request]).sort((a, b) => a[0] - b[0]);
  for (const [, request] of oldestFirst.slice(0, requests.length - keep)) await cache.delete(request);
}

/** Older versions' hashed files are there for the pages kept from then: those no kept page names go. */
async function pruneStatic() {
  const named = new Set();
  for (const cacheName of [PAGES_CACHE, AHEAD_CACHE]) {
    for (const response of await (await caches.open(cacheName)).matchAll()) {
      if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) continue;
      for (const [url] of (await response.text()).matchAll(/\/static\/[^"'\s?]+\?v=[\w-]+/g)) named.add(url);
    }
  }
  const cache = await caches.open(STATIC_CACHE);
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (!named.has(url.pathname + url.search)) await cache.delete(request);
  }
}

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data?.type === "VERSION") event.source?.postMessage({ type: "VERSION", version: VERSION });
  if (event.data?.type === "CACHE_PAGES") {
    // The page that installed the worker was loaded before it: keep a copy so it too reads offline.
    const urls = (event.data.urls || []).map((u) => new URL(u, self.location.origin))
      .filter((u) => u.origin === self.location.origin && !NEVER_CACHED.has(u.pathname)).map((u) => u.href);
    event.waitUntil(caches.open(PAGES_CACHE).then((cache) => cache.addAll(urls))
      .then(() => trim(PAGES_CACHE, KEPT_COPIES)).catch(() => {}));
  }
  if (event.data?.type === "STORE_AHEAD") event.waitUntil(storeAhead().catch(() => {}));
  if (event.data?.type === "CLAIM") event.waitUntil(self.clients.claim());
});

/* The person's open notes, stored before they are needed. The list gives each URL a version; only
 * what changed is fetched again. Requests say `X-Tandem-Ahead: 1` so the server does not count them
 * as the note being read (no accusé de réception for a page nobody looked at). */
let storing = null;
function storeAhead() {
  storing ??= doStoreAhead().finally(() => { storing = null; });
  return storing;
}

async function doStoreAhead() {
  const response = await fetch(AHEAD_LIST, { credentials: "same-origin", cache: "no-store",
    headers: { Accept: "application/json" } });
  if (!response.ok || response.redirected) return;
  const list = await response.json();
  const cache = await caches.open(AHEAD_CACHE);
  const before = await cache.match(AHEAD_KEY).then((r) => (r ? r.json() : { items: [] })).catch(() => ({ items: [] }));
  const known = new Map(before.items.map((item) => [item.url, item.version]));
  const wanted = new Set(list.items.map((item) => item.url));
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname + new URL(request.url).search;
    if (path !== AHEAD_KEY && !wanted.has(path)) await cache.delete(request);
  }
  // Pages without a version (inbox, offline page) are fetched again when a note changed, or every
  // REFRESH_EVERY: not on every page opened.
  const changed = list.items.some((item) => item.version !== null && known.get(item.url) !== item.version)
    || known.size !== list.items.length || Date.now() - (before.at || 0) > REFRESH_EVERY;
  const stored = [];
  for (const item of list.items) {
    const same = item.version === null ? !changed : known.get(item.url) === item.version;
    const fresh = same && known.has(item.url) && (await cache.match(item.url));
    if (fresh || (await storeOne(cache, item.url))) stored.push(item);
  }
  await cache.put(AHEAD_KEY, new Response(JSON.stringify({ items: stored, at: changed ? Date.now() : before.at }), {
    headers: { "Content-Type": "application/json" } }));
}

async function storeOne(cache, url) {
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { "X-Tandem-Ahead": "1" } });
    if (!response.ok || response.redirected) return false;
    await cache.put(url, await stamped(response));
    return true;
  } catch (error) {
    return false;
  }
}

/** A copy of the response carrying the time it was stored (shown as "à jour de 08:42"). */
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(STORED_AT, new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER_CACHED.has(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, PAGES_CACHE, true));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith("/api/v1/")) {
    event.respondWith(networkFirst(request, API_CACHE, false));
  }
});

/* Network first; but a network that hangs (train, "lie-fi") must not keep the person waiting: after
 * NETWORK_TIMEOUT the copy seen last is shown, and the late answer still refreshes the cache. */
async function networkFirst(request, cacheName, isPage) {
  const network = fetch(request).then((response) => {
    if (response.ok && response.type === "basic" && !response.redirected) {
      const copy = response.clone();
      stamped(copy).then((stampedCopy) => caches.open(cacheName).then((cache) => cache.put(request, stampedCopy)))
        .then(() => trim(cacheName, KEPT_COPIES, Math.ceil(KEPT_COPIES / 10))).catch(() => {});
    }
    return response;
  });
  network.catch(() => {});
  const cached = isPage ? newestCopy(request) : caches.match(request, { cacheName });
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT)).then(async () => (await cached) || network);
  try {
    return await Promise.race([network, slow]);
  } catch (error) {
    const copy = await cached;
    if (copy) return copy;
    if (isPage) return offlinePage();
    throw error;
  }
}

/** The newest copy of a page, seen or stored ahead, marked as a copy when it is an HTML page. */
async function newestCopy(request) {
  const copies = (await Promise.all([PAGES_CACHE, AHEAD_CACHE].map((cacheName) => caches.match(request, { cacheName }))))
    .filter(Boolean);
  if (!copies.length) return undefined;
  const copy = copies.sort((a, b) => storedTime(b) - storedTime(a))[0];
  if (!(copy.headers.get("Content-Type") || "").startsWith("text/html")) return copy;
  const at = new Date(storedTime(copy) || Date.now()).toISOString();
  const html = (await copy.text()).replace("<html", `<html data-offline-copy="${at}"`);
  return new Response(html, { status: copy.status, statusText: copy.statusText, headers: copy.headers });
}

/** When a copy was stored (0 if unknown: it goes first). */
function storedTime(response) {
  return Date.parse(response?.headers.get(STORED_AT) || response?.headers.get("Date") || 0) || 0;
}

async function offlinePage() {
  const stored = await caches.match(OFFLINE_URL, { cacheName: AHEAD_CACHE });
  if (stored) return stored;
  // Nothing stored while signed in (first visit signed out): a page of our own, no one's data in it.
  return new Response(`<!doctype html><html lang="fr"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Hors ligne · Tandem</title>
<main><h1>Vous êtes hors ligne</h1><p>Cette page n’a pas encore été ouverte sur cet appareil.</p>
<p><a href="/">Revenir à l’accueil</a></p></main></html>`, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function cacheFirst(request) {
  // Pages name every file by its content-hashed URL (modules too, through the layout's import map). A bare
  // URL (a page kept from before import maps) is the current version's: read it from this shell.
  const hashed = new URL(request.url).searchParams.has("v");
  const cached = await caches.match(request, hashed ? {} : { cacheName: SHELL_CACHE, ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && hashed) {
    const copy = response.clone();
    caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

/* Background Sync (Chromium only): ask open pages to replay their outbox. The pages also replay on
 * open, on `online` and on `visibilitychange`, so nothing depends on this event. */
self.addEventListener("sync", (event) => {
  if (event.tag !== "tandem-outbox") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((clients) => {
    for (const client of clients) client.postMessage({ type: "OUTBOX_REPLAY" });
  }));
});

/* Web Push: the payload is {title, body, url}, never a note's content. */
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data?.text() ?? "" };
  }
  const title = data.title || "Tandem";
  // Something changed for this person (a note arrived, a reply): refresh what is kept for offline.
  event.waitUntil(storeAhead().catch(() => {}));
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "",
    data: { url: data.url || "/" },
    icon: "/static/icons/icon-192.png",
    badge: "/static/icons/icon-192.png",
    lang: "fr",
    tag: data.tag || undefined,
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openFromNotification(event.notification.data?.url || "/"));
});

/** Focus the window already showing the URL, else bring an open window to it, else open a new one. */
async function openFromNotification(url) {
  const target = new URL(url, self.location.origin);
  if (target.origin !== self.location.origin) return null;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const same = windows.find((c) => { const u = new URL(c.url); return u.pathname + u.search === target.pathname + target.search; });
  if (same) return same.focus();
  const open = windows.find((c) => "navigate" in c);
  if (open) {
    const client = (await open.navigate(target.href)) || open;
    // Outside a notification click (no user activation) focusing is refused: the navigation stands.
    return client.focus().catch(() => client);
  }
  return self.clients.openWindow(target.href);
}
