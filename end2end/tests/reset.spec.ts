import { test, expect, signIn, invite, joinDirectly, unique, OWNER } from "./fixtures";

test.describe("getting back in", () => {
  test("an admin makes a reset link; the person sets a new password there and is signed out everywhere else @nojs @storage", async ({ page, browser, baseURL, javaScriptEnabled }, testInfo) => {
    const tag = unique("reset", testInfo.project.name);
    const name = `Forgetful ${tag}`;
    const email = `${tag}@saomai.example`;
    // A colleague of this story's own (other stories sign in as the demo people).
    await signIn(page, OWNER);
    const link = await invite(page);
    const phoneContext = await browser.newContext({ baseURL, javaScriptEnabled });
    const phone = await phoneContext.newPage();
    await joinDirectly(phone, link, name, email);
    await phone.goto("/");
    const me = phone.getByRole("banner").getByRole("link", { name });
    await expect(me).toBeVisible();
    const profile = (await me.getAttribute("href"))!;

    // On another device they have forgotten the password: the sign-in page says how back.
    const laptopContext = await browser.newContext({ baseURL, javaScriptEnabled });
    const laptop = await laptopContext.newPage();
    await laptop.goto("/sign-in");
    await laptop.getByRole("link", { name: "Forgot password?" }).click();
    await expect(laptop.getByRole("heading", { level: 1, name: "Forgot your password?" })).toBeVisible();
    await expect(laptop.locator(".page-intro")).toContainText("Ask an admin");

    // The owner makes the link on their profile; it is shown once.
    await page.goto(profile);
    await expect(page.getByRole("heading", { name: "Password reset link" })).toBeVisible();
    await page.getByRole("button", { name: "Make a reset link" }).click();
    const shown = page.locator(".reset-link-value");
    await expect(shown).toBeVisible();
    const resetLink = await shown.inputValue();
    expect(resetLink).toMatch(/\/reset\/[A-Za-z0-9_-]{20,}$/);
    await page.goto(profile);
    await expect(page.locator(".reset-link-value")).toHaveCount(0);

    // The person opens it, chooses a new password, and is signed in there.
    await laptop.goto(resetLink);
    await expect(laptop.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
    await expect(laptop.locator(".page-intro")).toContainText(name);
    await laptop.getByLabel("Password", { exact: true }).fill("a brand new passphrase");
    await laptop.getByRole("button", { name: "Set password and sign in" }).click();
    await expect(laptop).toHaveURL(/\/$/);
    await expect(laptop.getByRole("banner").getByRole("link", { name })).toBeVisible();

    // The phone's session ended with it.
    await phone.goto("/channels");
    await expect(phone).toHaveURL(/\/sign-in\?next=\/channels$/);
    // The link worked once, and says so without saying more.
    await laptop.goto(resetLink);
    await expect(laptop.getByRole("heading", { level: 1, name: "This link does not work" })).toBeVisible();
    await expect(laptop.getByText("This password link no longer works")).toBeVisible();
    // The new password signs the phone in again.
    await phone.getByLabel("Work e-mail").fill(email);
    await phone.getByLabel("Password", { exact: true }).fill("a brand new passphrase");
    await phone.getByRole("button", { name: "Sign in" }).click();
    await expect(phone).toHaveURL(/\/channels$/);
    await phoneContext.close();
    await laptopContext.close();
  });

  test("a reset link reads in Vietnamese too @nojs", async ({ page }) => {
    await page.goto("/reset/not-a-real-link");
    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page.getByRole("heading", { level: 1, name: "Liên kết này không dùng được" })).toBeVisible();
    await page.goto("/forgot-password");
    await expect(page.getByRole("heading", { level: 1, name: "Bạn quên mật khẩu?" })).toBeVisible();
  });
});
