import { test, expect, createInvitation, join } from "./fixtures";
import type { Page } from "@playwright/test";

async function submitWelcome(page: Page, company: string, name: string, email: string, password: string) {
  await page.getByLabel("Company name").fill(company);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create company" }).click();
}

// Runs only against servers started on an empty database (projects "first-run*"), as one
// story in three steps that run in order: each step starts from where the last left
// the company, and a failed step skips the rest.
const OWNER_EMAIL = "chau@binhminh.vn";
const OWNER_PASSWORD = "bình minh lên rồi";
const COLLEAGUE_EMAIL = "an@binhminh.vn";
const COLLEAGUE_PASSWORD = "a long enough passphrase";

async function signInAs(page: Page, email: string, password: string) {
  const response = await page.request.post("/api/account/sign-in", { form: { email, password, next: "/" } });
  expect(response.status(), await response.text()).toBe(200);
}

test.describe.serial("first run @fresh @nojs", () => {
  let profile = "";

  test("sets the company up once, with a password worth having", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/welcome$/);
    await expect(page.getByRole("heading", { level: 1, name: "Set up Townhall" })).toBeVisible();

    // A weak password is refused with the rule it broke; nothing is created.
    await submitWelcome(page, "Công ty Bình Minh", "Ngô Bảo Châu", OWNER_EMAIL, "password123");
    await expect(page.getByRole("alert")).toHaveText("That password is too common; choose one that is harder to guess.");

    await submitWelcome(page, "Công ty Bình Minh", "Ngô Bảo Châu", OWNER_EMAIL, OWNER_PASSWORD);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("link", { name: "Công ty Bình Minh" })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("link", { name: "Ngô Bảo Châu" })).toHaveAttribute("href", /^\/people\/\d+$/);
    // The company starts with its one channel.
    await page.goto("/channels");
    await expect(page.locator(".channel")).toHaveCount(1);

    // First run is over for good.
    await page.goto("/welcome");
    await submitWelcome(page, "Another company", "Someone Else", "else@example.vn", "a perfectly fine password");
    await expect(page.getByRole("alert")).toHaveText("Townhall is already set up here. Sign in instead.");
  });

  test("the owner adds a department and invites the first colleague into it, once", async ({ page, browser, baseURL, javaScriptEnabled }) => {
    await signInAs(page, OWNER_EMAIL, OWNER_PASSWORD);
    await page.goto("/admin");
    await page.getByRole("textbox", { name: "Department name" }).last().fill("Kế toán");
    await page.getByRole("button", { name: "Add department" }).click();
    // The page shows it at once (with JavaScript it loads itself afresh), and offers it
    // for invitations.
    await expect(page.locator("ul.departments li input[name=name]")).toHaveValue("Kế toán");
    const link = await createInvitation(page, { department: "Kế toán", here: true });
    await expect(page.locator(".invitation")).toContainText("Member · Kế toán");

    // The colleague, on their own device, joins through the link.
    const device = await browser.newContext({ baseURL, javaScriptEnabled });
    const colleague = await device.newPage();
    await colleague.goto("/join/not-a-real-link");
    await expect(colleague.getByRole("alert")).toContainText("This invitation link is not valid.");
    await colleague.goto(link);
    await expect(colleague.getByRole("heading", { level: 1, name: "Join Công ty Bình Minh on Townhall" })).toBeVisible();
    await expect(colleague.getByText("Member · Kế toán")).toBeVisible();
    profile = await join(colleague, link, "Nguyễn Văn An", COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD);
    // The link was for one person: it is spent now.
    await colleague.goto(link);
    await expect(colleague.getByRole("alert")).toContainText("This invitation link has already been used.");
    await device.close();
  });

  test("the colleague fills in a profile, and is found without a single diacritic", async ({ page, browser, baseURL, javaScriptEnabled }) => {
    expect(profile, "the colleague joined in the step before").toMatch(/^\/people\/\d+$/);
    const device = await browser.newContext({ baseURL, javaScriptEnabled });
    const colleague = await device.newPage();
    await signInAs(colleague, COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD);
    // A day that does not exist is refused with its reason.
    await colleague.goto(profile);
    await colleague.getByRole("link", { name: "Edit profile" }).click();
    await colleague.locator('select[name="birthday_day"]').selectOption("31");
    await colleague.locator('select[name="birthday_month"]').selectOption({ label: "April" });
    await colleague.getByRole("button", { name: "Save" }).click();
    await expect(colleague.getByRole("alert")).toHaveText("Birthday: that value is not one Townhall accepts.");
    await colleague.getByLabel("Job title").fill("Kế toán trưởng");
    await colleague.getByLabel("Ask me about").fill("Hóa đơn VAT, thuế TNCN");
    await colleague.getByLabel("Responsible for").fill("Bảng lương hằng tháng\nHoàn ứng công tác phí");
    await colleague.locator('select[name="time_zone"]').selectOption("Asia/Ho_Chi_Minh");
    await colleague.locator('select[name="birthday_day"]').selectOption("30");
    await colleague.locator('select[name="birthday_month"]').selectOption({ label: "April" });
    await colleague.getByRole("button", { name: "Save" }).click();
    await expect(colleague).toHaveURL(new RegExp(`${profile}$`));
    await expect(colleague.locator(".profile-title")).toHaveText("Kế toán trưởng");
    await expect(colleague.locator(".tag")).toHaveText(["Hóa đơn VAT", "thuế TNCN"]);
    await expect(colleague.getByText("Hoàn ứng công tác phí")).toBeVisible();
    await expect(colleague.getByText("April 30")).toBeVisible();
    await expect(colleague.getByTestId("local-time")).toContainText("Asia/Ho_Chi_Minh");
    await device.close();

    // The owner finds them without typing a single diacritic: by name, or by expertise.
    await signInAs(page, OWNER_EMAIL, OWNER_PASSWORD);
    for (const query of ["nguyen van an", "hoa don vat"]) {
      await page.goto(`/people?q=${encodeURIComponent(query)}`);
      await expect(page.locator(".person h2")).toHaveText(["Nguyễn Văn An"]);
    }
    // Their department came with the invitation.
    await page.locator(".person h2 a").click();
    await expect(page.getByRole("heading", { level: 1, name: "Nguyễn Văn An" })).toBeVisible();
    await expect(page.getByText("Kế toán", { exact: true })).toBeVisible();
  });
});
