// The portal's service worker. The server puts `self.BUILD = { version, precache }` above this
// line (src/server/service_worker.rs), so every build has its own version and app shell.
//
// - App shell (bundle, pwa.js, icons, manifests, offline pages): precached per version,
//   served from the cache; old versions are deleted on activate.
// - Pages: network first; after NETWORK_TIMEOUT_MS, or offline, the copy kept from the last
//   visit, else the offline page in the page's language. Pages marked `no-store` (a
//   registration's private page) are never kept.
// - Data of pages (GET server functions under /api/): network first, then after
//   NETWORK_TIMEOUT_MS or offline the copy kept from the last visit, so the app navigates
//   offline to every page seen before; a page never seen fails as offline, and the app shows
//   its offline view. A copy fetched ahead (prefetch) less than FRESH_MS ago is used at once.
//   Answers marked `no-store` (a registration) are never kept.
// - Images: stale-while-revalidate, at most IMAGE_LIMIT kept.
// - A registration posted while offline is kept in IndexedDB and sent again when the
//   connection returns; its idempotency key makes the server accept it once however often
//   it arrives.
// - A check-in tapped at the door while offline is kept the same way, one per child (the
//   last tap wins), and sent when the connection returns. It names the event, the code and
//   the child's place in the registration, never a name; it says "arrived" or "not", so
//   sending it twice changes nothing.
/* global BUILD */
"use strict";

const VERSION = self.BUILD.version;
const SHELL_CACHE = `shell-${VERSION}`;
const PAGES_CACHE = "pages-v1";
const IMAGES_CACHE = "images-v1";
const DATA_CACHE = "data-v1";
const PAGE_LIMIT = 60;
const DATA_LIMIT = 120;
const FRESH_MS = 30 * 1000;
const IMAGE_LIMIT = 80;
const NETWORK_TIMEOUT_MS = 4000;
const REGISTER_PATH = "/api/events/register";
const CHECK_IN_PATH = "/api/admin/check-in";
const SIGN_OUT_PATHS = new Set(["/api/admin/sign-out", "/api/admin/sign-out-everywhere"]);
// The GET server functions pages read their data from (live seats and .ics are not kept).
const PAGE_DATA = /^\/api\/(site\/stats|posts\/(latest|list|page)|events\/(list|page)|registrations\/view)$/;
// The form without JavaScript posts to its event page.
const EVENT_PAGE = /^\/(bg|en)\/events\/[^/]+$/;
// A delivered registration's notice holds its private link: kept only until a page shows it,
// and never longer than this.
const NOTICE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const SHELL_PATHS = new Set(self.BUILD.precache);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(self.BUILD.precache.map((url) => new Request(url, { cache: "reload" })))),
  );
  // A first install takes over at once; an update waits until the visitor chooses to reload
  // (pwa.js offers it), so a page never runs against a half-swapped shell.
});

self.addEventListener("activate", (event) => {
  const keep = new Set([SHELL_CACHE, PAGES_CACHE, IMAGES_CACHE, DATA_CACHE]);
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (!keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "skip-waiting") self.skipWaiting();
  if (type === "replay") event.waitUntil(replay());
});

self.addEventListener("sync", (event) => {
  if (event.tag === "registrations" || event.tag === "check-ins") event.waitUntil(replay());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && (url.pathname === REGISTER_PATH || EVENT_PAGE.test(url.pathname))) {
    event.respondWith(registerOrQueue(event));
    return;
  }
  if (request.method === "POST" && url.pathname === CHECK_IN_PATH) {
    event.respondWith(checkInOrQueue(event));
    return;
  }
  if (request.method === "POST" && SIGN_OUT_PATHS.has(url.pathname)) {
    event.respondWith(signOut(event));
    return;
  }
  if (request.method !== "GET" || url.pathname === "/sw.js") return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (PAGE_DATA.test(url.pathname)) {
    event.respondWith(data(event));
  } else if (url.pathname.startsWith("/pkg/") || SHELL_PATHS.has(url.pathname)) {
    event.respondWith(shellFile(request));
  } else if (request.destination === "image" || url.pathname.startsWith("/covers/")) {
    event.respondWith(image(event));
  }
  // Anything else (live seats, .ics) goes to the network as usual.
});

async function data(event) {
  const request = event.request;
  // The worker stays alive until the copy is stored, even when the answer came from the cache.
  let stored;
  event.waitUntil(new Promise((resolve) => (stored = resolve)));
  const cache = await caches.open(DATA_CACHE);
  const cached = await cache.match(request);
  const fetchedAt = Number(cached?.headers.get("sw-fetched-at") || 0);
  if (cached && Date.now() - fetchedAt < FRESH_MS) {
    stored();
    return cached;
  }
  const network = fetch(request).then(
    (response) => {
      if (keepable(response)) keepData(cache, request, response.clone()).catch(() => undefined).finally(stored);
      else stored();
      return response;
    },
    (error) => {
      stored();
      throw error;
    },
  );
  try {
    return await withTimeout(network, NETWORK_TIMEOUT_MS);
  } catch {
    if (cached) return cached;
    // Never seen, and no connection: a network error, which the app shows as its offline view.
    return network.catch(() => Response.error());
  }
}

async function keepData(cache, request, response) {
  // The time it was fetched travels with the copy (Cache Storage keeps no date of its own).
  const headers = new Headers(response.headers);
  headers.set("sw-fetched-at", String(Date.now()));
  await cache.put(request, new Response(await response.blob(), { status: response.status, headers }));
  await trim(cache, DATA_LIMIT);
}

async function shellFile(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE });
  return cached || fetch(request);
}

async function page(event) {
  const request = event.request;
  const network = fetch(request).then((response) => {
    if (keepable(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES_CACHE).then((cache) => cache.put(request, copy).then(() => trim(cache, PAGE_LIMIT))));
    }
    // The connection works: a good moment to send what waited for it.
    event.waitUntil(replay());
    return response;
  });
  try {
    return await withTimeout(network, NETWORK_TIMEOUT_MS);
  } catch {
    const cached = await caches.match(request, { cacheName: PAGES_CACHE });
    if (cached) return cached;
    try {
      return await network;
    } catch {
      return offlinePage(new URL(request.url).pathname);
    }
  }
}

function keepable(response) {
  const cacheControl = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !response.redirected && !/no-store/.test(cacheControl);
}

async function offlinePage(pathname) {
  const lang = pathname.startsWith("/en") ? "en" : "bg";
  const cached = await caches.match(`/${lang}/offline`, { cacheName: SHELL_CACHE });
  return cached || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

async function image(event) {
  const cache = await caches.open(IMAGES_CACHE);
  const cached = await cache.match(event.request);
  const network = fetch(event.request).then((response) => {
    if (response.ok) {
      event.waitUntil(cache.put(event.request, response.clone()).then(() => trim(cache, IMAGE_LIMIT)));
    }
    return response;
  });
  if (cached) {
    event.waitUntil(network.catch(() => undefined));
    return cached;
  }
  return network;
}

/** Drops the oldest entries beyond `limit` (Cache Storage keeps insertion order). */
async function trim(cache, limit) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(key);
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

// ---- Registrations made offline --------------------------------------------------------

async function registerOrQueue(event) {
  const request = event.request;
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch {
    const form = new URLSearchParams(body);
    const lang = (form.get("lang") || "").toLowerCase() === "en" ? "en" : "bg";
    const item = {
      key: form.get("idempotency_key") || `${Date.now()}-${Math.random()}`,
      body,
      lang,
      event: form.get("event") || "",
      queuedAt: Date.now(),
    };
    await store("outbox", "readwrite", (outbox) => outbox.put(item));
    if (self.registration.sync) {
      event.waitUntil(self.registration.sync.register("registrations").catch(() => undefined));
    }
    event.waitUntil(broadcast());
    if (request.mode === "navigate") {
      // A form posted before the page became interactive: back to the event page (kept from
      // the visit), where the notice says the registration waits for the connection.
      return Response.redirect(`/${lang}/events/${encodeURIComponent(item.event)}`, 303);
    }
    return queued();
  }
}

/** What a server function reads as `AppError::Queued`. */
function queued() {
  return new Response(JSON.stringify("Queued"), { status: 503, headers: { "Content-Type": "application/json" } });
}

let replaying = null;

/** Sends the kept registrations and check-ins, one at a time; concurrent calls share one run. */
function replay() {
  if (!replaying) {
    replaying = drain()
      .then(drainCheckIns)
      .then(broadcast)
      .finally(() => (replaying = null));
  }
  return replaying;
}

// Answers the server may give to a registration that are worth sending again later.
const RETRY_LATER = new Set(["Internal", "Unavailable", "RateLimited"]);

// A registration that could not be sent for this long is dropped from the device (it holds
// everything the parent typed); the parent is told and can register again.
const QUEUE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

async function drain() {
  const items = await store("outbox", "readonly", (outbox) => outbox.getAll());
  for (const item of items) {
    if (Date.now() - item.queuedAt > QUEUE_MAX_AGE_MS) {
      await settle(item, "rejected", `/${item.lang}/events/${encodeURIComponent(item.event)}`);
      continue;
    }
    let response;
    try {
      response = await fetch(REGISTER_PATH, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: item.body,
        credentials: "same-origin",
      });
    } catch {
      break; // Still offline.
    }
    if (response.ok) {
      await settle(item, "delivered", response.headers.get("Location") || `/${item.lang}/events/${item.event}`);
      continue;
    }
    let error = null;
    try {
      error = await response.json();
    } catch {
      // Not the server function's answer (a proxy's error page): try again later.
    }
    if (error === null || RETRY_LATER.has(error)) break;
    // Rejected for good (the form had a problem, registration closed …): the parent decides.
    await settle(item, "rejected", `/${item.lang}/events/${encodeURIComponent(item.event)}`);
  }
}

async function settle(item, outcome, url) {
  // The parent's data leaves the device's queue as soon as the server has it.
  await store("outbox", "readwrite", (outbox) => outbox.delete(item.key));
  await store("notices", "readwrite", (notices) => notices.put({ key: item.key, outcome, url, at: Date.now() }));
}

// ---- Check-ins tapped at the door while offline ------------------------------------

async function checkInOrQueue(event) {
  const request = event.request;
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch {
    const form = new URLSearchParams(body);
    const lang = (form.get("lang") || "").toLowerCase() === "en" ? "en" : "bg";
    const slug = form.get("slug") || "";
    // Only what the check-in needs: not the list's search (it may be a parent's name).
    const kept = new URLSearchParams();
    for (const name of ["lang", "slug", "code", "child", "present"]) kept.set(name, form.get(name) || "");
    const item = {
      // One per child: a later tap replaces an earlier one still waiting.
      key: `${slug}|${form.get("code")}|${form.get("child")}`,
      body: kept.toString(),
      queuedAt: Date.now(),
    };
    await store("checkins", "readwrite", (checkins) => checkins.put(item));
    if (self.registration.sync) {
      event.waitUntil(self.registration.sync.register("check-ins").catch(() => undefined));
    }
    event.waitUntil(broadcast());
    if (request.mode === "navigate") {
      return Response.redirect(`/${lang}/admin/events/${encodeURIComponent(slug)}`, 303);
    }
    return queued();
  }
}

/** Signing out leaves nothing of the account's door on the device: its waiting taps go too. */
async function signOut(event) {
  const response = await fetch(event.request);
  if (response.ok) await store("checkins", "readwrite", (checkins) => checkins.clear());
  return response;
}

// Check-ins refused for good since the pages last heard (the child's registration was
// cancelled, the account lost the event); and whether the session has ended.
let checkInsRefused = 0;
let checkInsNeedSignIn = false;

async function drainCheckIns() {
  const items = await store("checkins", "readonly", (checkins) => checkins.getAll());
  checkInsNeedSignIn = false;
  for (const item of items.sort((a, b) => a.queuedAt - b.queuedAt)) {
    let response;
    try {
      response = await fetch(CHECK_IN_PATH, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: item.body,
        credentials: "same-origin",
      });
    } catch {
      return; // Still offline.
    }
    if (response.status === 401) {
      // The session ended: kept until the organiser signs in again.
      checkInsNeedSignIn = true;
      return;
    }
    if (response.status >= 500 || response.status === 429) return;
    if (!response.ok) checkInsRefused += 1;
    await store("checkins", "readwrite", (checkins) => checkins.delete(item.key));
  }
}

/** Tells open pages how many registrations and check-ins wait and what became of the others. */
async function broadcast() {
  const checkIns = {
    pending: await store("checkins", "readonly", (checkins) => checkins.count()),
    refused: checkInsRefused,
    signIn: checkInsNeedSignIn,
  };
  const pending = await store("outbox", "readonly", (outbox) => outbox.count());
  const all = await store("notices", "readonly", (notices) => notices.getAll());
  const fresh = (notice) => Date.now() - (notice.at || 0) < NOTICE_MAX_AGE_MS;
  for (const stale of all.filter((notice) => !fresh(notice))) {
    await store("notices", "readwrite", (notices) => notices.delete(stale.key));
  }
  const notices = all.filter(fresh);
  const pages = await self.clients.matchAll({ type: "window" });
  for (const client of pages) client.postMessage({ type: "registrations", pending, notices, checkIns });
  if (pages.length > 0 && notices.length > 0) {
    await store("notices", "readwrite", (all) => all.clear());
  }
  if (pages.length > 0) checkInsRefused = 0;
}

// ---- A small promise wrapper around IndexedDB ---------------------------------------

let database = null;

function openDatabase() {
  if (!database) {
    database = new Promise((resolve, reject) => {
      const open = indexedDB.open("ngo-portal", 2);
      open.onupgradeneeded = () => {
        // Version 1 had the registrations' stores; 2 adds the check-ins'.
        for (const name of ["outbox", "notices", "checkins"]) {
          if (!open.result.objectStoreNames.contains(name)) open.result.createObjectStore(name, { keyPath: "key" });
        }
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => {
        database = null;
        reject(open.error);
      };
    });
  }
  return database;
}

async function store(name, mode, operation) {
  const db = await openDatabase();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(name, mode);
    const request = operation(transaction.objectStore(name));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}
