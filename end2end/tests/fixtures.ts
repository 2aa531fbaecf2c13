import { test as base, expect, type Page } from "@playwright/test";

/** Demo accounts (see `townhall seed --demo`). */
export const OWNER = "tran.minh.quan@saomai.example";
export const MEMBER = "sarah.johnson@saomai.example";
export const DEMO_PASSWORD = "townhall-demo";

/** A tiny PNG (4×2 pixels, red), for avatar uploads. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEElEQVR4nGP4z8AARwzIHABvqgf5gNwAKAAAAABJRU5ErkJggg==",
  "base64",
);

/** Something unique to this run and project, for e-mail addresses of new people. */
export function unique(tag: string, project: string) {
  return `${tag}-${project}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Creates an invitation link on the admin page (the page must be an admin's; with
 *  `here`, it is on the admin page already). */
export async function createInvitation(page: Page, options: { role?: string; channel?: string; department?: string; uses?: "one" | "many"; here?: boolean } = {}) {
  if (!options.here) await page.goto("/admin");
  if (options.role) await page.locator('select[name="role"]').selectOption({ label: options.role });
  if (options.department) await page.locator('select[name="department"]').selectOption({ label: options.department });
  if (options.channel) await page.locator('select[name="channel"]').selectOption({ label: options.channel });
  if (options.uses === "many") await page.getByLabel("Any number of people until it expires").check();
  await page.getByRole("button", { name: "Create invitation link" }).click();
  await expect(page.getByText("Invitation link created.")).toBeVisible();
  const link = await page.locator(".invitation-link").inputValue();
  expect(link).toMatch(/\/join\/[0-9a-f]{64}$/);
  return link;
}

/** Joins through an invitation link in `page` and returns the new person's profile path. */
export async function join(page: Page, link: string, name: string, email: string, password = "a long enough passphrase") {
  await page.goto(link);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page).toHaveURL(/\/$/);
  const me = page.getByRole("banner").getByRole("link", { name });
  await expect(me).toBeVisible();
  return (await me.getAttribute("href"))!;
}

/** Joins through an invitation link by calling the join server function from `page`'s
 *  browser context, which keeps the session cookie: for stories about what happens
 *  after joining (joining itself goes through the form in first-run and people tests). */
export async function joinDirectly(page: Page, link: string, name: string, email: string, password = "a long enough passphrase") {
  const token = link.split("/join/")[1];
  const response = await page.request.post("/api/account/join", { form: { token, name, email, password } });
  expect(response.status(), await response.text()).toBe(200);
}

/** Calls a server function from `page`'s browser context (with its session cookie) as a
 *  script would, and returns its JSON answer; fails the test on any refusal. For the
 *  set-up of stories whose subject is something else: the forms themselves are covered
 *  by their own tests. */
export async function call<T>(page: Page, endpoint: string, form: Record<string, string>): Promise<T> {
  const response = await page.request.post(`/api/${endpoint}`, { form });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

/** An invitation link made through the server function by an admin's `page`, with the
 *  department and channel named as the admin page shows them ("Kế toán", "#marketing");
 *  for stories whose subject is what happens after (the admin page's form is covered by
 *  first-run). */
export async function invite(page: Page, options: { role?: "member" | "admin" | "guest"; department?: string; channel?: string; uses?: "one" | "many" } = {}) {
  let department = "";
  let channel = "";
  if (options.department || options.channel) {
    const admin = await call<{ departments: { id: number; name: string }[]; channels: { id: number; name: string }[] }>(page, "admin/overview", {});
    if (options.department) {
      department = String(admin.departments.find((d) => d.name === options.department)?.id ?? "");
      expect(department, `department ${options.department}`).not.toBe("");
    }
    if (options.channel) {
      channel = String(admin.channels.find((c) => `#${c.name}` === options.channel)?.id ?? "");
      expect(channel, `channel ${options.channel}`).not.toBe("");
    }
  }
  const { Link: link } = await call<{ Link: string }>(page, "admin/invite", {
    role: options.role ?? "member",
    department,
    channel,
    valid_days: "7",
    uses: options.uses ?? "one",
  });
  expect(link).toMatch(/\/join\/[0-9a-f]{64}$/);
  return link;
}

/** A new department and a many-use member invitation into it, made through the server
 *  functions by an admin's `page`; returns the invitation link. */
export async function departmentWithInvitation(page: Page, department: string) {
  await call(page, "admin/department", { name: department });
  return invite(page, { department, uses: "many" });
}

/** A private channel started by `page`'s person, with `colleague` (a name as the
 *  directory shows it) added, through the server functions: set-up for stories about
 *  what happens inside one (the forms are the channel tests' subject). Returns its path. */
export async function privateChannelWith(page: Page, name: string, colleague: string) {
  const path = await call<string>(page, "channels/create", { name, description: "", guidelines: "", kind: "private" });
  const found = await call<{ people: { person: { id: number; name: string } }[] }>(page, "people", { query: colleague });
  const id = found.people.find((p) => p.person.name === colleague)?.person.id;
  expect(id, `${colleague} is in the directory`).toBeDefined();
  await call(page, "channels/add-member", { slug: path.split("/").pop()!, person: String(id) });
  return path;
}

/** Signs the page's browser context in through the sign-in server function. */
export async function signIn(page: Page, email: string) {
  const response = await page.request.post("/api/account/sign-in", {
    form: { email, password: DEMO_PASSWORD, next: "/" },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Deliberate refusals (bad input, not signed in, not allowed, hidden or missing, gone,
 *  throttled) that the browser logs as failed loads; any other error fails the test. */
const REFUSAL = /Failed to load resource: the server responded with a status of (400|401|403|404|409|410|429)/;

/** Waits until the page's service worker is installed and active: going offline before
 *  that fails its script (its imports cannot be fetched), which the console reports. */
export async function serviceWorkerReady(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

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
