// The service worker's rules for which hashed files it keeps (public/sw-assets.js), run
// in Node: `node --test unit/`. The browser story is tests/deploy.spec.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

// Loaded as importScripts loads it into the worker: a plain script in a fresh global scope.
const sw = vm.createContext({});
vm.runInContext(readFileSync(new URL("../../public/sw-assets.js", import.meta.url), "utf8"), sw);
// Results are copied into this realm: objects made in the script's own realm have other
// prototypes, which strict deep equality tells apart.
const here = (fn) => (...args) => JSON.parse(JSON.stringify(fn(...args)));
const assetPathsIn = here(sw.assetPathsIn);
const recordNavigation = here(sw.recordNavigation);
const recordUse = here(sw.recordUse);
const planPrune = here(sw.planPrune);
const loadsTheApp = sw.loadsTheApp;
const pageLanguage = sw.pageLanguage;
const GRACE = vm.runInContext("UNSEEN_GRACE_MS", sw);

const OLD = ["/pkg/townhall.aaa.js", "/pkg/townhall.aaa.wasm", "/pkg/townhall.aaa.css"];
const NEW = ["/pkg/townhall.bbb.js", "/pkg/townhall.bbb.wasm", "/pkg/townhall.bbb.css"];
const sorted = (urls) => [...urls].sort();

test("a page's files are read from its HTML, once each", () => {
  const html = `<head><link rel="stylesheet" href="/pkg/townhall.aaa.css">
    <link rel="modulepreload" href="/pkg/townhall.aaa.js">
    <link rel="preload" href="/pkg/townhall.aaa.wasm" as="fetch">
    <script type="module">import('/pkg/townhall.aaa.js').then(m => m.default({module_or_path: '/pkg/townhall.aaa.wasm'}))</script>
    <link rel="icon" href="/icons/icon-192.png"></head>`;
  assert.deepEqual(sorted(assetPathsIn(html)), sorted(OLD));
  assert.ok(loadsTheApp(OLD));
  assert.ok(!loadsTheApp(["/pkg/townhall.aaa.css"]), "the offline page names the stylesheet only");
});

test("a page's language is read from its <html lang>, only among those Townhall speaks", () => {
  assert.equal(pageLanguage(`<!DOCTYPE html><html lang="vi" data-theme="dark"><head>`), "vi");
  assert.equal(pageLanguage(`<!DOCTYPE html>\n<html data-theme="light" lang="en"><head>`), "en");
  assert.equal(pageLanguage(`<html lang="fr"><head>`), null, "a language Townhall does not speak");
  assert.equal(pageLanguage(`<html><head><meta name="lang" content="vi">`), null, "a page that does not say");
});

test("an open page keeps the previous build's files; once it is closed they go", () => {
  let records = recordNavigation({}, "old-tab", OLD, 0);
  records = recordNavigation(records, "new-tab", NEW, 1000);
  const cached = [...OLD, ...NEW];
  const open = planPrune({ current: NEW, records, live: ["old-tab", "new-tab"], cached, now: 2000 });
  assert.deepEqual(open.remove, []);
  const closed = planPrune({ current: NEW, records: open.records, live: ["new-tab"], cached, now: 3000 });
  assert.deepEqual(sorted(closed.remove), sorted(OLD));
  assert.deepEqual(Object.keys(closed.records), ["new-tab"]);
});

test("the newest build's files stay with no page open", () => {
  const records = recordNavigation({}, "tab", NEW, 0);
  const plan = planPrune({ current: NEW, records, live: ["tab"], cached: [...OLD, ...NEW], now: 1 });
  const none = planPrune({ current: NEW, records: plan.records, live: [], cached: NEW, now: 2 });
  assert.deepEqual(none.remove, []);
  assert.deepEqual(none.records, {});
});

test("a page not listed yet is kept for a while after its navigation, then forgotten", () => {
  const records = recordNavigation({}, "arriving", OLD, 0);
  const soon = planPrune({ current: NEW, records, live: [], cached: [...OLD, ...NEW], now: GRACE - 1 });
  assert.deepEqual(soon.remove, []);
  const late = planPrune({ current: NEW, records, live: [], cached: [...OLD, ...NEW], now: GRACE });
  assert.deepEqual(sorted(late.remove), sorted(OLD));
});

test("a page the worker never saw navigate keeps everything cached when first seen", () => {
  // An open tab from before the worker (or from a worker that kept no records).
  const first = planPrune({ current: NEW, records: {}, live: ["unknown"], cached: [...OLD, ...NEW], now: 0 });
  assert.deepEqual(first.remove, []);
  assert.deepEqual(sorted(first.records.unknown.urls), sorted([...OLD, ...NEW]));
  // Files of a later build are not its own.
  const later = ["/pkg/townhall.ccc.js"];
  const next = planPrune({ current: later, records: first.records, live: ["unknown"], cached: [...OLD, ...NEW, ...later], now: 1 });
  assert.deepEqual(next.remove, []);
  const after = planPrune({ current: later, records: next.records, live: [], cached: [...OLD, ...NEW, ...later], now: 2 });
  assert.deepEqual(sorted(after.remove), sorted([...OLD, ...NEW]));
});

test("a file a page asks for later is added to its record", () => {
  let records = recordNavigation({}, "tab", OLD, 0);
  records = recordUse(records, "tab", "/pkg/townhall.aaa.chunk.wasm", [], 5);
  assert.ok(records.tab.urls.includes("/pkg/townhall.aaa.chunk.wasm"));
  assert.ok(records.tab.seen, "a page that asks for files is open");
  // A page with no record asking first gets what is cached, as pruning would give it.
  const fresh = recordUse({}, "other", "/pkg/townhall.bbb.js", OLD, 5);
  assert.deepEqual(sorted(fresh.other.urls), sorted([...OLD, "/pkg/townhall.bbb.js"]));
});
