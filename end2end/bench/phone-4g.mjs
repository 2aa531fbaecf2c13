// The phone benchmark: Home opened cold in Chromium on an emulated 4G phone, as
// BENCHMARKS.md describes ("Phone on 4G"). Not a test: it measures and prints.
//
//   node end2end/bench/phone-4g.mjs --base http://127.0.0.1:3600 \
//     (--session TOKEN | --email E --password P) [--mention a] [--runs 5] \
//     [--chromium /usr/bin/chromium] [--latency 150] [--down 9] [--up 9] [--cpu 4]
//
// Each run opens a fresh browser context (no cache, no service worker, the session
// cookie only), throttles it through CDP (Network.emulateNetworkConditions: latency in
// ms, throughput in Mbit/s; Emulation.setCPUThrottlingRate) and opens Home twice, each
// time cold:
// - LCP: the last `largest-contentful-paint` entry (PerformanceObserver, buffered) once
//   the page is loaded and quiet; nothing is typed, since input ends LCP.
// - Composer usable: from navigation start until typing `@` and a letter into the
//   composer (`textarea[name=body]`, focused first) shows `.mention-suggestions li`.
//   Before the composer's island has hydrated, typing does nothing; as a person would,
//   the script types again (clearing the box) every RETRY_MS until suggestions show.
//   The time is the page's own clock (performance.now()) when a MutationObserver sees
//   the first suggestion.
// Prints one JSON line per run, then a JSON summary (medians) and Markdown table rows.
// Exits non-zero only when it cannot measure (not when a target is missed).

import { chromium } from "@playwright/test";

const args = parseArgs(process.argv.slice(2));
const base = (args.base ?? "http://127.0.0.1:3600").replace(/\/$/, "");
const runs = Number(args.runs ?? 5);
const mention = args.mention ?? "a";
const profile = {
  latencyMs: Number(args.latency ?? 150),
  downMbit: Number(args.down ?? 9),
  upMbit: Number(args.up ?? 9),
  cpu: Number(args.cpu ?? 4),
};
const TARGET_LCP_MS = 1500;
const TARGET_COMPOSER_MS = 2500;
const RETRY_MS = 250;
const PATIENCE_MS = Number(args.patience ?? 60_000);

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument: ${argv[i]}`);
    out[m[1]] = m[2] ?? argv[++i];
  }
  return out;
}

/** Watches for LCP entries and for the first mention suggestion, before any script runs. */
function instrument() {
  window.__bench = { lcp: null, lcpElement: null, suggestions: null };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__bench.lcp = entry.startTime;
      const el = entry.element;
      window.__bench.lcpElement = el ? `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""}` : null;
    }
  }).observe({ type: "largest-contentful-paint", buffered: true });
  const seen = () => {
    if (window.__bench.suggestions === null && document.querySelector(".mention-suggestions li")) {
      window.__bench.suggestions = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
}

async function session(browser) {
  const context = await browser.newContext({
    viewport: { width: 412, height: 915 },
    deviceScaleFactor: 2.625,
    isMobile: true,
    hasTouch: true,
    serviceWorkers: "block",
  });
  if (args.session) {
    const url = new URL(base);
    await context.addCookies([
      { name: "townhall_session", value: args.session, domain: url.hostname, path: "/", httpOnly: true, sameSite: "Lax" },
    ]);
  } else if (args.email) {
    const response = await context.request.post(`${base}/api/account/sign-in`, {
      form: { email: args.email, password: args.password ?? "", next: "/" },
    });
    if (response.status() !== 200) throw new Error(`sign-in: ${response.status()} ${await response.text()}`);
  } else {
    throw new Error("give --session TOKEN or --email and --password");
  }
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: profile.latencyMs,
    downloadThroughput: (profile.downMbit * 1_000_000) / 8,
    uploadThroughput: (profile.upMbit * 1_000_000) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  return { context, page };
}

async function measureLcp(browser) {
  const { context, page } = await session(browser);
  try {
    const response = await page.goto(`${base}/`, { waitUntil: "load", timeout: PATIENCE_MS });
    if (response?.status() !== 200) throw new Error(`Home answered ${response?.status()}`);
    if (new URL(page.url()).pathname !== "/") throw new Error(`Home went to ${page.url()}: is the session valid?`);
    // LCP can still change while late content paints; wait for a quiet network.
    await page.waitForLoadState("networkidle", { timeout: PATIENCE_MS }).catch(() => {});
    await page.waitForTimeout(500);
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0];
      return {
        lcp: window.__bench.lcp,
        lcpElement: window.__bench.lcpElement,
        ttfb: n?.responseStart ?? null,
        domContentLoaded: n?.domContentLoadedEventEnd ?? null,
        load: n?.loadEventEnd ?? null,
        htmlBytes: n?.transferSize ?? null,
      };
    });
    return nav;
  } finally {
    await context.close();
  }
}

async function measureComposer(browser) {
  const { context, page } = await session(browser);
  try {
    await page.goto(`${base}/`, { waitUntil: "commit", timeout: PATIENCE_MS });
    const box = page.locator("textarea[name=body]").first();
    await box.waitFor({ state: "visible", timeout: PATIENCE_MS });
    const deadline = Date.now() + PATIENCE_MS;
    let attempts = 0;
    for (;;) {
      attempts++;
      await box.click();
      await box.fill("");
      await box.pressSequentially(`@${mention}`);
      const shown = await page
        .waitForFunction(() => window.__bench.suggestions !== null, null, { timeout: RETRY_MS, polling: 20 })
        .then(() => true, () => false);
      if (shown) break;
      if (Date.now() > deadline) throw new Error(`no mention suggestions for @${mention} within ${PATIENCE_MS} ms`);
    }
    const usable = await page.evaluate(() => window.__bench.suggestions);
    return { composerUsable: usable, attempts };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => (x == null ? "—" : Math.round(x).toString());
const verdict = (x, target) => (x == null ? "—" : x <= target ? `≤ ${target} met` : `≤ ${target} **missed**`);

const browser = await chromium.launch({
  executablePath: args.chromium ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = [];
try {
  for (let run = 1; run <= runs; run++) {
    const lcp = await measureLcp(browser);
    const composer = await measureComposer(browser);
    const result = { run, ...lcp, ...composer };
    results.push(result);
    console.log(JSON.stringify(result));
  }
} finally {
  await browser.close();
}

const summary = {
  base,
  runs,
  profile,
  lcpMs: median(results.map((r) => r.lcp)),
  composerUsableMs: median(results.map((r) => r.composerUsable)),
  ttfbMs: median(results.map((r) => r.ttfb)),
  loadMs: median(results.map((r) => r.load)),
  lcpElement: results.at(-1)?.lcpElement ?? null,
};
console.log(JSON.stringify({ summary }));
const label = `${profile.downMbit} Mbit/s, ${profile.latencyMs} ms RTT, ${profile.cpu}× CPU`;
console.log(`
| phone on 4G (${label}), median of ${runs} cold loads | ms | target |
|---|---:|---|
| Home: time to first byte | ${ms(summary.ttfbMs)} | — |
| Home: largest contentful paint (${summary.lcpElement ?? "?"}) | ${ms(summary.lcpMs)} | ${verdict(summary.lcpMs, TARGET_LCP_MS)} |
| Home: load event | ${ms(summary.loadMs)} | — |
| Home: composer usable (\`@${mention}\` shows suggestions) | ${ms(summary.composerUsableMs)} | ${verdict(summary.composerUsableMs, TARGET_COMPOSER_MS)} |`);
