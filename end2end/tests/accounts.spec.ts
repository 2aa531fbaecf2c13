import { test, expect, signIn, createInvitation, join, unique, DEMO_PASSWORD, MEMBER, OWNER } from "./fixtures";

test.describe("signing in and out", () => {
  test("a visitor signs in and comes back to the page they asked for @nojs", async ({ page }) => {
    await page.goto("/people");
    await expect(page).toHaveURL(/\/sign-in\?next=\/people$/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    // Nothing of the company is shown before signing in.
    await expect(page.getByRole("navigation", { name: "Main navigation" })).toHaveCount(0);
    await page.getByLabel("Work e-mail").fill(MEMBER);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/people$/);
    await expect(page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("link", { name: "Sarah Johnson" })).toHaveAttribute("href", /^\/people\/\d+$/);
  });

  test("a wrong password is explained in the reader's language @nojs", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Work e-mail").fill(MEMBER);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText("That e-mail and password do not match an account.");
    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await page.getByLabel("E-mail công việc").fill(MEMBER);
    await page.getByLabel("Mật khẩu").fill("vẫn sai mật khẩu");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("alert")).toHaveText("E-mail hoặc mật khẩu không đúng.");
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("signing out ends the session @nojs", async ({ page }) => {
    await signIn(page, MEMBER);
    await page.goto("/channels");
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/channels");
    await expect(page).toHaveURL(/\/sign-in\?next=\/channels$/);
  });

  test("signing out everywhere ends the sessions on every device @nojs", async ({ page, browser, baseURL }, testInfo) => {
    // Its own person, new for each run: ending every session must not sign out tests
    // running beside it, nor this test's run in the other project.
    const tail = unique("everywhere", testInfo.project.name).replace(/[^a-z0-9]/g, "");
    const name = `David ${tail.slice(-8)}`;
    const email = `david.${tail}@saomai.example`;
    const password = "a long enough passphrase";
    await signIn(page, OWNER);
    const link = await createInvitation(page);
    // A second device: its own browser context, joined and signed in as that person.
    const laptop = await browser.newContext({ baseURL });
    const other = await laptop.newPage();
    await join(other, link, name, email, password);
    await other.goto("/channels");
    await expect(other.getByRole("heading", { level: 1, name: "Channels" })).toBeVisible();

    await page.context().clearCookies();
    const signedIn = await page.request.post("/api/account/sign-in", { form: { email, password, next: "/" } });
    expect(signedIn.status(), await signedIn.text()).toBe(200);
    await page.goto("/");
    await page.getByRole("banner").getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await page.getByRole("link", { name: "Your account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    await expect(page.getByText(`${name} · Member`)).toBeVisible();
    await page.getByTestId("sign-out-everywhere").click();
    await expect(page).toHaveURL(/\/sign-in/);

    await other.goto("/channels");
    await expect(other).toHaveURL(/\/sign-in\?next=\/channels$/);
    await laptop.close();
  });

  test("the dashboard is for admins: members neither see it nor open it @nojs", async ({ page }) => {
    await signIn(page, MEMBER);
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await expect(nav.getByRole("link", { name: "People" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Dashboard" })).toHaveCount(0);
    const refused = await page.goto("/dashboard");
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole("alert")).toContainText("Not allowed");
    await expect(page.getByRole("alert")).toContainText("You are not allowed to do that.");
    await expect(page.locator(".stat")).toHaveCount(0);

    await signIn(page, OWNER);
    await page.goto("/");
    await expect(nav.getByRole("link", { name: "Dashboard" })).toBeVisible();
  });

  test("server functions refuse the anonymous and other sites", async ({ page, playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    const feed = await anonymous.post("/api/feed/company", { form: {} });
    expect(feed.status()).toBeGreaterThanOrEqual(400);
    expect(await feed.text()).toContain("NotSignedIn");
    const forged = await anonymous.post("/api/account/sign-in", {
      headers: { Origin: "https://evil.example" },
      form: { email: MEMBER, password: DEMO_PASSWORD },
    });
    expect(forged.status()).toBe(403);
    expect(forged.headers()["set-cookie"]).toBeUndefined();
    await anonymous.dispose();
    await signIn(page, MEMBER); // the same request from this site works
  });
});
