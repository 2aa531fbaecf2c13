// Townhall service worker.
//
// It keeps the app shell (offline page, manifest, icons) and the hashed wasm/js/css so
// the installed app starts and explains itself without a network. Requests are routed
// by kind in `route()`; offline reading, queued posting and push each get a branch
// there (and their own cache) when they arrive.
//
// The page registers this script as /sw.js?lang=xx: changing language registers a new
// worker, which caches the offline page in that language.

const VERSION = 1;
const LANG = new URL(self.location.href).searchParams.get("lang") || "en";
const SHELL_CACHE = `townhall-shell-v${VERSION}-${LANG}`;
// Hashed file names change with their content, so these never go stale.
const ASSET_CACHE = "townhall-assets";
const OFFLINE_URL = `/offline?lang=${LANG}`;
const SHELL = [OFFLINE_URL, "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png"];
const ASSET_PATTERN = /\/pkg\/[\w.-]+\.(?:js|wasm|css)/g;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      await shell.addAll(SHELL);
      await cacheCurrentAssets();
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("townhall-shell-") && name !== SHELL_CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const handler = route(event.request);
  if (handler) {
    event.respondWith(handler(event.request));
  }
});

/** Picks how to answer a request; `null` leaves it to the browser as if no worker ran. */
function route(request) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return null;
  }
  if (url.pathname.startsWith("/pkg/")) {
    return cacheFirst;
  }
  if (request.mode === "navigate") {
    return networkOrOfflinePage;
  }
  if (SHELL.includes(url.pathname + url.search)) {
    return networkOrShellCache;
  }
  return null;
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(ASSET_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function networkOrOfflinePage(request) {
  try {
    return await fetch(request);
  } catch {
    const offline = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE });
    return offline || Response.error();
  }
}

async function networkOrShellCache(request) {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match(request, { cacheName: SHELL_CACHE })) || Response.error();
  }
}

/** Caches the wasm/js/css the home page uses now and forgets older builds' files. */
async function cacheCurrentAssets() {
  const html = await (await fetch("/", { credentials: "same-origin" })).text();
  const current = [...new Set(html.match(ASSET_PATTERN) || [])];
  const cache = await caches.open(ASSET_CACHE);
  await cache.addAll(current);
  const keep = new Set(current.map((path) => new URL(path, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) {
      await cache.delete(request);
    }
  }
}
