// Which hashed /pkg files the service worker keeps: the decisions alone, without caches or
// clients, so that `end2end/unit/sw-assets.test.mjs` can run them in Node. Loaded by
// sw.js with importScripts, so it is a plain script whose functions become globals.
//
// A deploy replaces the server's hashed files, and a tab still open on the previous build
// may ask for its files again (a reload of a module, a preload it had not used yet). So
// the worker keeps every file a living page used, and the newest build's, and lets the
// rest go once no page needs them.
//
// The state these functions work on, kept by sw.js between runs of the worker:
//   current: the newest build's file URLs, from the last page that loads the app;
//   records: { [clientId]: { urls, since, seen } } the files each page (client) uses,
//            since when the record exists, and whether the page was ever seen open.

// A page's record is made when its navigation is answered, before the browser lists the
// page among the open ones. Until it has been seen open, it is kept this long.
const UNSEEN_GRACE_MS = 60_000;

// The languages Townhall speaks (`app/src/i18n`); the worker keeps an offline page in each.
const LANGUAGES = ["en", "vi"];

/** The /pkg wasm, js and css paths a page's HTML names, once each. */
function assetPathsIn(html) {
  return [...new Set(html.match(/\/pkg\/[\w.-]+\.(?:js|wasm|css)/g) || [])];
}

/** The language a page is in (its `<html lang>`), among those Townhall speaks; `null`
 *  when the page does not say. The offline page is shown in the last one seen. */
function pageLanguage(html) {
  const found = /<html[^>]*\slang="([a-z]{2})"/i.exec(html);
  return found && LANGUAGES.includes(found[1].toLowerCase()) ? found[1].toLowerCase() : null;
}

/** Whether a page with these files runs the app (and so names the newest build's files);
 *  pages rendered outside Leptos (the offline page) name the stylesheet only. */
function loadsTheApp(urls) {
  return urls.some((url) => url.endsWith(".wasm"));
}

/** Records the files a page named in its HTML, as its navigation is answered. */
function recordNavigation(records, clientId, urls, now) {
  const known = records[clientId];
  return {
    ...records,
    [clientId]: {
      urls: union(known ? known.urls : [], urls),
      since: known ? known.since : now,
      seen: known ? known.seen : false,
    },
  };
}

/** Records that an open page asked for `url`. A page with no record loaded before this
 *  worker saw its navigation, from whichever build the server had then: it is given every
 *  file cached now, which includes its own if the worker ever had them. */
function recordUse(records, clientId, url, cached, now) {
  const known = records[clientId];
  if (known && known.urls.includes(url) && known.seen) {
    return records;
  }
  return {
    ...records,
    [clientId]: {
      urls: union(known ? known.urls : cached, [url]),
      since: known ? known.since : now,
      seen: true,
    },
  };
}

/**
 * Decides a pruning: `live` are the ids of the pages open now, `cached` the URLs in the
 * asset cache. Returns the records to keep and the cached URLs to delete.
 */
function planPrune({ current, records, live, cached, now }) {
  const kept = {};
  for (const id of live) {
    const known = records[id];
    kept[id] = known
      ? { ...known, seen: true }
      : { urls: [...cached], since: now, seen: true };
  }
  for (const [id, record] of Object.entries(records)) {
    if (!(id in kept) && !record.seen && now - record.since < UNSEEN_GRACE_MS) {
      kept[id] = record;
    }
  }
  const needed = new Set(current);
  for (const record of Object.values(kept)) {
    for (const url of record.urls) {
      needed.add(url);
    }
  }
  return { records: kept, remove: cached.filter((url) => !needed.has(url)) };
}

function union(a, b) {
  return [...new Set([...a, ...b])];
}
