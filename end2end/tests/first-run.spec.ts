import { test, expect } from "./fixtures";

// Runs only against servers started on an empty database (projects "first-run*").
test("first run: the owner names the company and lands in it, signed in @fresh @nojs", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByRole("heading", { level: 1, name: "Set up Townhall" })).toBeVisible();

  // A weak password is refused with the rule it broke; nothing is created.
  await page.getByLabel("Company name").fill("Công ty Bình Minh");
  await page.getByLabel("Your name").fill("Ngô Bảo Châu");
  await page.getByLabel("Work e-mail").fill("chau@binhminh.vn");
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Create company" }).click();
  await expect(page.getByRole("alert")).toHaveText("That password is too common; choose one that is harder to guess.");

  await page.getByLabel("Company name").fill("Công ty Bình Minh");
  await page.getByLabel("Your name").fill("Ngô Bảo Châu");
  await page.getByLabel("Work e-mail").fill("chau@binhminh.vn");
  await page.getByLabel("Password").fill("bình minh lên rồi");
  await page.getByRole("button", { name: "Create company" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Công ty Bình Minh" })).toBeVisible();
  await expect(page.getByTestId("sign-out")).toContainText("Ngô Bảo Châu");
  // The owner sees the dashboard; the company starts with its one channel.
  await page.goto("/channels");
  await expect(page.locator(".channel")).toHaveCount(1);

  // First run is over for good.
  await page.goto("/welcome");
  await page.getByLabel("Company name").fill("Another company");
  await page.getByLabel("Your name").fill("Someone Else");
  await page.getByLabel("Work e-mail").fill("else@example.vn");
  await page.getByLabel("Password").fill("a perfectly fine password");
  await page.getByRole("button", { name: "Create company" }).click();
  await expect(page.getByRole("alert")).toHaveText("Townhall is already set up here. Sign in instead.");
});
