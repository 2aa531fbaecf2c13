// Townhall service worker.
//
// It keeps the app shell (offline page, manifest, icons) and the hashed wasm/js/css so
// the installed app starts and explains itself without a network. Requests are routed
// by kind in `route()`. Pages worth reading offline (Home, Mentions, channels, posts) are
// kept as last seen, and shown marked "saved at …" when the network is gone; they are
// wiped on sign-out. Push messages are shown by the "push" listener. Queued posting gets
// a branch there when it arrives.
//
// One worker serves every language: it keeps the offline page in each, and shows the
// one in the language of the last page it saw (a language change is a navigation).
// Registering a worker per language used to swap workers in the middle of the reader's
// next navigation.
//
// After a deploy the server has only the new build's hashed files, while open tabs may
// still run the previous one. So the worker notes which files each page uses and keeps
// them until that page is closed (the rules are in sw-assets.js).

importScripts("/sw-assets.js");

const VERSION = 2;
const SHELL_CACHE = `townhall-shell-v${VERSION}`;
// Hashed file names change with their content, so these never go stale.
const ASSET_CACHE = "townhall-assets";
// Shared by every generation of the worker, so a new one knows what the tabs the
// previous one served are using. The browser may stop the worker at any moment, so
// the state lives here rather than in variables.
const STATE_CACHE = "townhall-sw-state";
const CURRENT_KEY = "/sw-state/current";
const RECORDS_KEY = "/sw-state/pages";
const LANGUAGE_KEY = "/sw-state/language";
const offlineUrl = (lang) => `/offline?lang=${lang}`;
// Pages kept for reading offline (Home, Mentions, the channels and the posts opened),
// each as last seen online; wiped when the person signs out or is sent to sign in.
const READ_CACHE = "townhall-read";
const READ_LIMIT = 60;
const READABLE = [/^\/$/, /^\/company$/, /^\/mentions$/, /^\/channels$/, /^\/channels\/[^/]+$/, /^\/posts\/\d+$/];
const SHELL = [...LANGUAGES.map(offlineUrl), "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png"];
// How much of a page is read for the files it names: they are all in its <head>.
const HEAD_LIMIT = 256 * 1024;
const HEAD_TIMEOUT_MS = 10_000;

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
      const older = names.filter((name) => name.startsWith("townhall-shell-") && name !== SHELL_CACHE);
      // An older worker may have kept pages wrongly (version 1 kept the offline page in
      // place of a page never read online): what it kept goes with it.
      if (older.length > 0) {
        older.push(READ_CACHE);
      }
      await Promise.all(older.map((name) => caches.delete(name)));
      await self.clients.claim();
      await schedulePrune();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  if (signsOut(event.request)) {
    // What this person read, or wrote offline, must not stay for whoever uses the
    // device next (nor go out as them).
    event.waitUntil(Promise.all([caches.delete(READ_CACHE), forgetOutbox()]));
    return;
  }
  const handler = route(event.request);
  if (!handler) {
    return;
  }
  if (event.request.mode === "navigate") {
    // The copies are made before the browser starts reading the page it is given.
    const answered = handler(event.request).then((response) => ({
      response,
      copy: response.clone(),
      kept: response.clone(),
    }));
    event.respondWith(answered.then(({ response }) => response));
    event.waitUntil(noteNavigation(event.request, event.resultingClientId, answered.then(({ copy }) => copy)));
    event.waitUntil(answered.then(({ kept }) => keepForReading(event.request, kept)));
    return;
  }
  event.respondWith(handler(event.request));
  if (handler === cacheFirst && event.clientId) {
    event.waitUntil(noteUse(event.clientId, event.request.url));
  }
});

// Push: the server sends JSON ({title, body, url, tag}, see `domain/push/message.rs`),
// encrypted for this device; the browser decrypts it before this sees it. A message
// with the tag of one already shown replaces it (one per post).
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { title: event.data ? event.data.text() : "Townhall" };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "Townhall", {
      body: message.body || "",
      tag: message.tag || undefined,
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      data: { url: message.url || "/notifications" },
    }),
  );
});

// A tap opens what it is about: in a Townhall tab already open, or a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const tabs = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const tab = tabs.find((client) => new URL(client.url).origin === self.location.origin);
      if (tab) {
        await tab.focus();
        return tab.navigate(url);
      }
      return self.clients.openWindow(url);
    })(),
  );
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
    const saved = await savedPage(request);
    if (saved) {
      return saved;
    }
    const offline = await caches.match(offlineUrl(await language()), { cacheName: SHELL_CACHE });
    return offline || Response.error();
  }
}

/** Deletes the outbox of posts and comments written offline (`islands/outbox.rs`). */
function forgetOutbox() {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase("townhall-outbox");
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

function signsOut(request) {
  const url = new URL(request.url);
  return (
    request.method === "POST" &&
    url.origin === self.location.origin &&
    /^\/api\/account\/sign-out/.test(url.pathname)
  );
}

/** Whether `response` is the page `request` asked for, as the network gave it: not a
 *  copy kept for reading offline, nor the offline page shown in its place (kept as that
 *  page, it would come back later as "saved at …"). */
function fromNetwork(request, response) {
  return (
    !response.headers.get("x-townhall-saved-at") &&
    !!response.url &&
    new URL(response.url).pathname === new URL(request.url).pathname
  );
}

/** Keeps a page worth reading offline as the server just sent it. A redirect (the
 *  session is gone) or the sign-in page wipes what was kept instead. */
async function keepForReading(request, response) {
  const url = new URL(request.url);
  const done = () => response.body && response.body.cancel();
  if (url.origin !== self.location.origin) {
    return done();
  }
  if (url.pathname === "/sign-in" || response.type === "opaqueredirect" || response.redirected) {
    await caches.delete(READ_CACHE);
    return done();
  }
  if (!fromNetwork(request, response)) {
    return done();
  }
  const html = (response.headers.get("content-type") || "").startsWith("text/html");
  if (!response.ok || !html || !READABLE.some((path) => path.test(url.pathname))) {
    return done();
  }
  const headers = new Headers(response.headers);
  headers.set("x-townhall-saved-at", String(Date.now()));
  const body = await response.blob();
  const cache = await caches.open(READ_CACHE);
  await cache.put(url.origin + url.pathname, new Response(body, { status: 200, headers }));
  // The oldest go first (keys come in the order they were put).
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - READ_LIMIT)).map((key) => cache.delete(key)));
}

/** A kept page, marked with when it was saved, for a navigation that found no network. */
async function savedPage(request) {
  const url = new URL(request.url);
  if (!READABLE.some((path) => path.test(url.pathname))) {
    return null;
  }
  const kept = await caches.match(url.origin + url.pathname, { cacheName: READ_CACHE });
  if (!kept) {
    return null;
  }
  const html = await kept.text();
  const lang = pageLanguage(html) || (await language());
  const savedAt = new Date(Number(kept.headers.get("x-townhall-saved-at")) || Date.now());
  const when = new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(savedAt);
  const words =
    lang === "vi"
      ? `Bạn đang ngoại tuyến: trang này được lưu lúc ${when}.`
      : `You are offline: this page was saved at ${when}.`;
  const banner = `<p class="notice offline-saved" role="status" data-testid="offline-saved">${words}</p>`;
  const marked = /<main[^>]*>/i.test(html)
    ? html.replace(/<main[^>]*>/i, (tag) => tag + banner)
    : html.replace(/<body[^>]*>/i, (tag) => tag + banner);
  const headers = new Headers(kept.headers);
  headers.delete("content-length");
  return new Response(marked, { status: 200, headers });
}

async function networkOrShellCache(request) {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match(request, { cacheName: SHELL_CACHE })) || Response.error();
  }
}

/** Caches the wasm/js/css the home page uses now, as the newest build's files. Older
 *  builds' files stay until pruning finds no open page that needs them. */
async function cacheCurrentAssets() {
  const html = await (await fetch("/", { credentials: "same-origin" })).text();
  const current = absolute(assetPathsIn(html));
  const cache = await caches.open(ASSET_CACHE);
  await cache.addAll(current);
  await serially(async () => {
    await writeState(CURRENT_KEY, current);
    // Until a navigation says otherwise, the language the server chose for this reader.
    const lang = pageLanguage(html);
    if (lang && (await readState(LANGUAGE_KEY, null)) === null) {
      await writeState(LANGUAGE_KEY, lang);
    }
  });
}

/** Notes the language of a page the server just sent (inside `serially`). */
async function noteLanguage(html) {
  const lang = pageLanguage(html);
  if (lang && lang !== (await readState(LANGUAGE_KEY, null))) {
    await writeState(LANGUAGE_KEY, lang);
  }
}

/** The language of the last page seen, for the offline page. */
function language() {
  return readState(LANGUAGE_KEY, "en");
}

// --- Which page uses which files -------------------------------------------------------
//
// Every change to the state goes through `serially`, so that two events never read the
// same state and each write back half of it.

let queue = Promise.resolve();

function serially(task) {
  const run = queue.then(task);
  queue = run.catch((error) => console.warn("service worker state:", error));
  return run;
}

// Navigations whose page is still being read, by the id of the page they make: that
// page's own file requests wait for its record.
const reading = new Map();

/** Records the files named in the <head> of the page a navigation makes, and its
 *  language, then prunes. */
async function noteNavigation(request, clientId, copy) {
  // The language only of what the server just said: a page kept offline may be in the
  // language the reader has since left. (Reading the head also releases the copy: an
  // unread one would hold the whole page in memory.)
  const head = copy.then(
    async (response) => ({ html: await readHead(response), fresh: fromNetwork(request, response) }),
    () => ({ html: "", fresh: false }),
  );
  if (!clientId) {
    const { html, fresh } = await head;
    if (fresh && html) {
      await serially(() => noteLanguage(html));
    }
    return;
  }
  reading.set(clientId, head);
  try {
    const { html, fresh } = await head;
    // Unread (too slow): the page stays unrecorded, and pruning gives it every cached file.
    if (html !== null) {
      const urls = absolute(assetPathsIn(html));
      await serially(async () => {
        if (loadsTheApp(urls)) {
          await writeState(CURRENT_KEY, urls);
        }
        if (fresh) {
          await noteLanguage(html);
        }
        const records = await readState(RECORDS_KEY, {});
        await writeState(RECORDS_KEY, recordNavigation(records, clientId, urls, Date.now()));
      });
    }
  } finally {
    reading.delete(clientId);
  }
  await schedulePrune();
}

/** Records that an open page asked for a /pkg file (a file its <head> did not name,
 *  or a page that loaded before this worker saw its navigation). */
async function noteUse(clientId, url) {
  await reading.get(clientId);
  await serially(async () => {
    const records = await readState(RECORDS_KEY, {});
    const cached = records[clientId] ? [] : await cachedAssetUrls();
    const updated = recordUse(records, clientId, url, cached, Date.now());
    if (updated !== records) {
      await writeState(RECORDS_KEY, updated);
    }
  });
}

// Navigations come in bursts; one pruning waiting in the queue serves them all.
let prunePending = false;

function schedulePrune() {
  if (prunePending) {
    return queue;
  }
  prunePending = true;
  return serially(async () => {
    prunePending = false;
    await prune();
  });
}

/** Deletes the cached files that neither the newest build nor any open page uses, and
 *  forgets the pages that are gone. */
async function prune() {
  const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const cache = await caches.open(ASSET_CACHE);
  const plan = planPrune({
    current: await readState(CURRENT_KEY, []),
    records: await readState(RECORDS_KEY, {}),
    live: open.map((client) => client.id),
    cached: await cachedAssetUrls(),
    now: Date.now(),
  });
  await writeState(RECORDS_KEY, plan.records);
  await Promise.all(plan.remove.map((url) => cache.delete(url)));
}

async function cachedAssetUrls() {
  const cache = await caches.open(ASSET_CACHE);
  return (await cache.keys()).map((request) => request.url);
}

/** A page's HTML up to the end of its <head> ("" for what is not a page); `null` if it
 *  could not be read in time. */
async function readHead(response) {
  if (!response.body) {
    return "";
  }
  if (!(response.headers.get("content-type") || "").includes("text/html")) {
    await response.body.cancel();
    return "";
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), HEAD_TIMEOUT_MS);
  });
  const read = (async () => {
    let html = "";
    while (html.length < HEAD_LIMIT && !html.includes("</head>")) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      html += decoder.decode(value, { stream: true });
    }
    return html;
  })();
  try {
    return await Promise.race([read, timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
}

function absolute(paths) {
  return paths.map((path) => new URL(path, self.location.origin).href);
}

async function readState(key, fallback) {
  const cache = await caches.open(STATE_CACHE);
  const stored = await cache.match(key);
  return stored ? stored.json() : fallback;
}

async function writeState(key, value) {
  const cache = await caches.open(STATE_CACHE);
  await cache.put(key, new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } }));
}
