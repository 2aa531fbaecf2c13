import { test, expect } from "./fixtures";
import type { Page } from "@playwright/test";

async function submitWelcome(page: Page, company: string, name: string, email: string, password: string) {
  await page.getByLabel("Company name").fill(company);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create company" }).click();
}

// Runs only against servers started on an empty database (projects "first-run*").
test("first run: the owner names the company and lands in it, signed in @fresh @nojs", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByRole("heading", { level: 1, name: "Set up Townhall" })).toBeVisible();

  // A weak password is refused with the rule it broke; nothing is created.
  await submitWelcome(page, "Công ty Bình Minh", "Ngô Bảo Châu", "chau@binhminh.vn", "password123");
  await expect(page.getByRole("alert")).toHaveText("That password is too common; choose one that is harder to guess.");

  await submitWelcome(page, "Công ty Bình Minh", "Ngô Bảo Châu", "chau@binhminh.vn", "bình minh lên rồi");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Công ty Bình Minh" })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: "Ngô Bảo Châu" })).toHaveAttribute("href", "/account");
  // The owner sees the dashboard; the company starts with its one channel.
  await page.goto("/channels");
  await expect(page.locator(".channel")).toHaveCount(1);

  // First run is over for good.
  await page.goto("/welcome");
  await submitWelcome(page, "Another company", "Someone Else", "else@example.vn", "a perfectly fine password");
  await expect(page.getByRole("alert")).toHaveText("Townhall is already set up here. Sign in instead.");
});
