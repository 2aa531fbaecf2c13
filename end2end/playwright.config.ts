import { defineConfig } from "@playwright/test";

// Each database backend gets its own freshly seeded server. On the first backend every
// test runs with JavaScript, and tests tagged @nojs run a second time without it. The
// other backends run the tests tagged @storage: those whose pages rest on SQL that
// differs per database (search, folding, keyset paging, live delivery, reach, the
// dashboard's buckets). The storage suite runs every story on both databases.
const backends = (process.env.TOWNHALL_E2E_BACKENDS ?? "sqlite").split(/\s+/).filter(Boolean);
const basePort = Number(process.env.TOWNHALL_E2E_PORT ?? 3310);
const port = (i: number) => basePort + i;
const freshPort = (i: number) => basePort + 10 + i;

const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  // A test's budget is 15 s: the `slowest.ts` reporter lists the ten slowest and marks
  // any above it. The timeout only catches a test that hangs, and sits well above the
  // budget so that a loaded 2-core machine reports slowness rather than failing on it.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: process.env.CI
    ? [["list"], ["./slowest.ts"]]
    : [["list"], ["./slowest.ts"], ["html", { open: "never" }]],
  use: { trace: "retain-on-failure", ...chromium },
  projects: [
    // Without JavaScript only on the first backend (SQLite): the no-JS runs prove forms
    // and links, which do not differ per database.
    ...backends.flatMap((backend, i) => [
      {
        name: backend,
        ...(i === 0 ? {} : { grep: /@storage/ }),
        grepInvert: /@fresh|@pristine|@mail/,
        use: { baseURL: `http://127.0.0.1:${port(i)}` },
      },
      ...(i === 0
        ? [
            {
              name: `${backend}-nojs`,
              grep: /@nojs/,
              grepInvert: /@fresh|@pristine|@mail/,
              use: { baseURL: `http://127.0.0.1:${port(i)}`, javaScriptEnabled: false },
            },
          ]
        : []),
    ]),
    // Layout looked at as the demo company is seeded, not as the other tests leave it
    // (their posts land in the owner's Home): tests tagged @pristine only read, on a
    // demo server of their own.
    { name: "pristine", grep: /@pristine/, use: { baseURL: `http://127.0.0.1:${freshPort(2)}` } },
    {
      name: "pristine-nojs",
      grep: /@pristine.*@nojs|@nojs.*@pristine/,
      use: { baseURL: `http://127.0.0.1:${freshPort(2)}`, javaScriptEnabled: false },
    },
    // E-mail needs a server that sends it: its own, with an SMTP server beside it.
    { name: "mail", grep: /@mail/, use: { baseURL: `http://127.0.0.1:${freshPort(3)}` } },
    {
      name: "mail-nojs",
      grep: /@mail.*@nojs|@nojs.*@mail/,
      use: { baseURL: `http://127.0.0.1:${freshPort(3)}`, javaScriptEnabled: false },
    },
    // First run needs a database nobody has set up: one server each, with and without JS.
    { name: "first-run", grep: /@fresh/, use: { baseURL: `http://127.0.0.1:${freshPort(0)}` } },
    {
      name: "first-run-nojs",
      grep: /@fresh/,
      use: { baseURL: `http://127.0.0.1:${freshPort(1)}`, javaScriptEnabled: false },
    },
  ],
  webServer: [
    ...backends.map((backend, i) => ({ backend, port: port(i) })),
    { backend: "empty", port: freshPort(0) },
    { backend: "empty", port: freshPort(1) },
    { backend: "sqlite", port: freshPort(2) },
    { backend: "mail", port: freshPort(3) },
  ].map(({ backend, port }) => ({
    command: `bash serve.sh ${backend} ${port}`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  })),
});
