import { test, expect } from "./fixtures";
import type { Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// A deploy while a tab is open: the server restarts with a build whose hashed files have
// other names, and no longer has the previous build's. The tab still running the previous
// build must get its files from the service worker for as long as it is open; once it is
// closed, the worker lets them go. Each test runs its own server (on one SQLite file kept
// across the restart), since the deploy changes the site it serves.

const BIN = process.env.TOWNHALL_BIN ?? "";
const SITE = process.env.TOWNHALL_SITE_ROOT ?? "";
const HASHED = ["js", "wasm", "css"] as const;

for (const newWorker of [true, false]) {
  const deployKind = newWorker ? "a deploy that brings a new service worker" : "a deploy that keeps the service worker";

  test(`after ${deployKind}, an open tab keeps its build's files until it is closed`, async ({ page, context, request }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "townhall-deploy-"));
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const database = `sqlite:${dir}/townhall.db`;
    let server = await serve(port, database, SITE);
    try {
      // The old tab: loaded under the worker, as tabs are after the first visit.
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await page.reload();
      const old = await pkgFilesOf(page);
      expect(old.map((url) => url.split(".").pop()).sort()).toEqual(["css", "js", "wasm"]);
      const oldDigest = Object.fromEntries(old.map((url) => [url, sha256(fs.readFileSync(path.join(SITE, url)))]));
      // Only a new worker takes control of the tab: the sign that it has installed.
      await page.evaluate(() => {
        const w = window as unknown as { newWorker: Promise<void> };
        w.newWorker = new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", () => resolve(), { once: true }));
      });

      await stop(server);
      server = await serve(port, database, deployedSite(dir, newWorker));
      for (const url of old) {
        expect((await request.get(`${origin}${url}`)).status(), `${url} is gone from the server`).toBe(404);
      }

      const fresh = await context.newPage();
      await fresh.goto(`${origin}/`);
      const current = await pkgFilesOf(fresh);
      expect(current.filter((url) => old.includes(url))).toEqual([]);
      if (newWorker) {
        await fresh.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
        await page.evaluate(() => (window as unknown as { newWorker: Promise<void> }).newWorker);
      }
      // Give the worker's pruning after the navigation time to run, as it would if it
      // treated the old tab's files as unused.
      await fresh.reload();
      await fresh.waitForTimeout(1000);

      for (const url of old) {
        const answer = await page.evaluate(async (url) => {
          const response = await fetch(url, { cache: "no-store" });
          const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
          return { status: response.status, digest: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("") };
        }, url);
        expect(answer.status, `the old tab still gets ${url}`).toBe(200);
        expect(answer.digest, `${url} is the old build's`).toBe(oldDigest[url]);
      }

      // Closed, the old tab needs nothing; the next navigation prunes its files.
      await page.close();
      await fresh.reload();
      await expect
        .poll(() => cachedOf(fresh, [...old, ...current]), { message: "only the new build's files stay cached" })
        .toEqual(current);
    } finally {
      await stop(server);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

function sha256(bytes: Buffer) {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The /pkg files the page's <head> names, as paths. */
async function pkgFilesOf(page: Page) {
  return page.evaluate(() => [...new Set(document.head.innerHTML.match(/\/pkg\/[\w.-]+\.(?:js|wasm|css)/g) ?? [])].sort());
}

/** Which of these paths the service worker's caches hold. */
async function cachedOf(page: Page, paths: string[]) {
  const found = await page.evaluate(
    async (paths) => Promise.all(paths.map(async (p) => ((await caches.match(p)) ? p : null))),
    paths,
  );
  return found.filter((p): p is string => p !== null).sort();
}

/** The next build, as a deploy puts it on the server: the site with the hashed js, wasm
 *  and css under new names (the js and css changed, as a new build's would), the previous
 *  build's gone, and the service worker changed too when `newWorker`. */
function deployedSite(dir: string, newWorker: boolean) {
  const site = path.join(dir, "site");
  fs.mkdirSync(path.join(site, "pkg"), { recursive: true });
  const hashFile = [path.join(SITE, "hash.txt"), path.join(path.dirname(BIN), "hash.txt")].find((f) => fs.existsSync(f));
  if (!hashFile) throw new Error(`no hash.txt in ${SITE} or next to ${BIN}`);
  const hashes = new Map<string, string>();
  const lines = fs.readFileSync(hashFile, "utf8").split("\n").map((line) => {
    const [kind, hash] = line.split(":").map((s) => s.trim());
    if (!(HASHED as readonly string[]).includes(kind)) return line;
    hashes.set(kind, hash);
    return `${kind}: d2${hash}`;
  });
  fs.writeFileSync(path.join(site, "hash.txt"), lines.join("\n"));
  const oldNames = new Set(HASHED.map((kind) => `townhall.${hashes.get(kind)}.${kind}`));
  for (const name of fs.readdirSync(path.join(SITE, "pkg"))) {
    const from = path.join(SITE, "pkg", name);
    const base = name.replace(/\.(br|gz)$/, "");
    if (oldNames.has(base)) continue;
    fs.symlinkSync(from, path.join(site, "pkg", name));
  }
  const mark = { js: "\n// deploy 2\n", css: "\n/* deploy 2 */\n", wasm: "" };
  for (const kind of HASHED) {
    const old = fs.readFileSync(path.join(SITE, "pkg", `townhall.${hashes.get(kind)}.${kind}`));
    fs.writeFileSync(path.join(site, "pkg", `townhall.d2${hashes.get(kind)}.${kind}`), Buffer.concat([old, Buffer.from(mark[kind])]));
  }
  for (const name of fs.readdirSync(SITE)) {
    if (name === "pkg" || name === "hash.txt" || name === "sw.js") continue;
    fs.symlinkSync(path.join(SITE, name), path.join(site, name));
  }
  const worker = fs.readFileSync(path.join(SITE, "sw.js"), "utf8");
  fs.writeFileSync(path.join(site, "sw.js"), newWorker ? `${worker}\n// deploy 2\n` : worker);
  return site;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  await once(probe, "close");
  return port;
}

async function serve(port: number, database: string, site: string): Promise<ChildProcess> {
  const child = spawn(BIN, ["serve", "--addr", `127.0.0.1:${port}`, "--database-url", database, "--site-root", site], {
    // Errors only: the deployed site's renamed files have no precompressed copies, which
    // the server warns about at start.
    env: { ...process.env, TOWNHALL_LOG: "error" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`townhall serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("townhall serve did not become ready");
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}
