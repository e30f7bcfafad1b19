/* Tandem's service worker. Served by Flask at /sw.js, which injects the version and the precache list.
 *
 * - The app shell (offline page, CSS, JS, icons) is precached under a versioned cache; older versions
 *   are deleted on activate. A new version waits until the page asks it to take over (update prompt).
 * - Navigations: network first, then the copy of that page seen last, then the offline page.
 * - Static assets (content-hashed URLs): cache first.
 * - API reads (/api/v1/...): network first, then the copy seen last, so data already read works offline.
 * - Anything but GET is never intercepted: writes go through the page's outbox, and WebKit drops the
 *   body of intercepted requests (enketo/enketo#1584).
 */
"use strict";

const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const OFFLINE_URL = __OFFLINE_URL__;
const SHELL_CACHE = `tandem-shell-${VERSION}`;
const PAGES_CACHE = "tandem-pages";
const API_CACHE = "tandem-api";
const STATIC_CACHE = "tandem-static";
const KEEP = new Set([SHELL_CACHE, PAGES_CACHE, API_CACHE, STATIC_CACHE]);
const NETWORK_TIMEOUT = 4000;
const NEVER_CACHED = new Set(["/api/v1/csrf-token", "/sw.js", "/login", "/logout"]);

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("tandem-") && !KEEP.has(name))
      .map((name) => caches.delete(name)));
    // Static copies of an older shell are superseded by the new precache.
    await caches.delete(STATIC_CACHE);
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data?.type === "VERSION") event.source?.postMessage({ type: "VERSION", version: VERSION });
  if (event.data?.type === "CACHE_PAGES") {
    // The page that installed the worker was loaded before it: keep a copy so it too reads offline.
    const urls = (event.data.urls || []).map((u) => new URL(u, self.location.origin))
      .filter((u) => u.origin === self.location.origin && !NEVER_CACHED.has(u.pathname)).map((u) => u.href);
    event.waitUntil(caches.open(PAGES_CACHE).then((cache) => cache.addAll(urls)).catch(() => {}));
  }
});

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
      caches.open(cacheName).then((cache) => cache.put(request, copy));
    }
    return response;
  });
  network.catch(() => {});
  const cached = caches.match(request, { cacheName });
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT)).then(async () => (await cached) || network);
  try {
    return await Promise.race([network, slow]);
  } catch (error) {
    const copy = await cached;
    if (copy) return copy;
    if (isPage) {
      const offline = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE });
      if (offline) return offline;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
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
