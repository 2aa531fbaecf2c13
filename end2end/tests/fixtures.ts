import { test as base, expect, type Page } from "@playwright/test";

/** Demo accounts (see `townhall seed --demo`). */
export const OWNER = "tran.minh.quan@saomai.example";
export const MEMBER = "sarah.johnson@saomai.example";
export const DEMO_PASSWORD = "townhall-demo";

/** Signs the page's browser context in through the sign-in server function. */
export async function signIn(page: Page, email: string) {
  const response = await page.request.post("/api/account/sign-in", {
    form: { email, password: DEMO_PASSWORD, next: "/" },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Deliberate refusals (bad input, not signed in, not allowed, throttled) that the
 *  browser logs as failed loads; anything else logged as an error fails the test. */
const REFUSAL = /Failed to load resource: the server responded with a status of (400|401|403|409|429)/;

/** Fails a test whose page logged an error: a CSP violation, a hydration panic, a 5xx. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error" && !REFUSAL.test(msg.text())) errors.push(msg.text());
      });
      page.on("pageerror", (err) => errors.push(err.message));
      await use(errors);
      expect(errors, "errors in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
