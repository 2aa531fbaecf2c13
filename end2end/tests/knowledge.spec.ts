import { test, expect, signIn, unique, MEMBER, OWNER } from "./fixtures";

/** HR's head in the demo company: owns HR's pages, among them an overdue one. */
const HR_HEAD = "dang.thi.huong@saomai.example";

test.describe("knowledge pages", () => {
  test("a page starts from a template, is edited, diffed, restored and verified @nojs @storage", async ({ page }, testInfo) => {
    const tag = unique("page", testInfo.project.name);
    await signIn(page, HR_HEAD);

    // The overdue onboarding page waits in her review queue.
    await page.goto("/pages");
    await expect(page.getByRole("heading", { level: 1, name: "Knowledge" })).toBeVisible();
    const queue = page.locator(".review-queue");
    await expect(queue.getByRole("link", { name: "Hội nhập nhân viên mới: tháng đầu tiên" })).toBeVisible();

    // A process page from its template, in HR.
    await page.getByRole("link", { name: "New page" }).click();
    await page.getByRole("link", { name: "Process", exact: true }).click();
    await expect(page).toHaveURL(/template=process/);
    await expect(page.locator('textarea[name="body"]')).toHaveValue(/## Roles/);
    await page.locator('select[name="space"]').selectOption({ label: "Department: Nhân sự & Tài chính" });
    await page.locator('input[name="title"]').fill(`Process: ${tag}`);
    await page.getByRole("button", { name: "Create page" }).click();

    await expect(page).toHaveURL(/\/pages\/\d+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(tag);
    await expect(page.locator(".page-verified")).toContainText("Verified by Đặng Thị Hương");
    await expect(page.locator(".page-body h2", { hasText: "Roles" })).toBeVisible();

    // Edit: a new version, shown in the history as a diff.
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    await page.locator('textarea[name="body"]').fill(`## Steps\n\n1. Send the form to HR ${tag}\n`);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page).toHaveURL(/\/pages\/\d+$/);
    await expect(page.locator(".page-body")).toContainText(`Send the form to HR ${tag}`);
    await expect(page.locator(".page-facts")).toContainText("Version 2");

    await page.getByRole("link", { name: "History" }).click();
    const newest = page.locator(".page-versions .version").first();
    await expect(newest.locator("ins", { hasText: `Send the form to HR ${tag}` })).toBeVisible();
    await expect(newest.locator("del", { hasText: "## Roles" })).toBeVisible();

    // Restore the template's text: a third version, nothing lost.
    await page.locator('.version[data-version="1"]').getByRole("button", { name: "Restore this version" }).click();
    await expect(page).toHaveURL(/\/history$/);
    await expect(page.locator(".page-versions .version").first()).toContainText("restored from version 1");
    await expect(page.locator(".page-versions .version")).toHaveCount(3);

    // "Still true".
    await page.getByRole("link", { name: "Back to the page" }).click();
    await page.getByRole("button", { name: "Still true" }).click();
    await expect(page.getByRole("status").first()).toContainText("Verified");
    await expect(page.locator(".page-body h2", { hasText: "Roles" })).toBeVisible();
  });

  test("a reader outside HR reads its pages but may not edit them; stale pages warn @nojs", async ({ page }) => {
    await signIn(page, MEMBER);
    await page.goto("/pages");
    await page.getByRole("link", { name: "Quy trình hoàn ứng công tác phí" }).click();
    await expect(page.locator(".page-verified")).toContainText("Verified by");
    await expect(page.getByRole("button", { name: "Still true" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
    // The overdue page warns its readers.
    await page.goto("/pages");
    await page.getByRole("link", { name: "Hội nhập nhân viên mới: tháng đầu tiên" }).click();
    await expect(page.locator(".page-due, .page-stale")).toBeVisible();
    // Engineering's how-to links the review policy, which lists it as linking here.
    await page.goto("/pages");
    await page.getByRole("link", { name: "Quy tắc review code" }).click();
    await expect(page.locator(".page-backlinks")).toContainText("Hướng dẫn triển khai lên production");
  });
  test("an editor hands a page over, and its new owner deletes it; the page under it moves up @nojs @storage", async ({ page, browser, baseURL, javaScriptEnabled }, testInfo) => {
    const tag = unique("memo", testInfo.project.name);
    const HR_SPACE = "Department: Nhân sự & Tài chính";
    await signIn(page, HR_HEAD);
    const newPage = async (title: string, parent?: string) => {
      await page.goto("/pages/new");
      await page.locator('select[name="space"]').selectOption({ label: HR_SPACE });
      if (parent) await page.locator('select[name="parent"]').selectOption({ label: parent });
      await page.locator('input[name="title"]').fill(title);
      await page.locator('textarea[name="body"]').fill(`Text of ${title}`);
      await page.getByRole("button", { name: "Create page" }).click();
      await expect(page).toHaveURL(/\/pages\/\d+$/);
      return page.url();
    };
    const memo = await newPage(`Memo ${tag}`);
    const annex = await newPage(`Annex ${tag}`, `Memo ${tag}`);
    await expect(page.locator(".breadcrumbs")).toContainText(`Memo ${tag}`);

    // HR's head hands the memo to the company's owner.
    await page.goto(memo);
    await page.getByRole("link", { name: "Edit", exact: true }).click();
    const keeping = page.locator(".page-owner");
    await keeping.locator('select[name="owner"]').selectOption({ label: "Trần Minh Quân" });
    await keeping.getByRole("button", { name: "Hand over" }).click();
    await expect(page).toHaveURL(/\/pages\/\d+\?owner=1$/);
    await expect(page.locator(".page-handed-over")).toContainText("new owner");
    await expect(page.locator(".page-facts")).toContainText("Owner: Trần Minh Quân");

    // The owner is told, in another browser, and deletes it.
    const context = await browser.newContext({ baseURL, javaScriptEnabled });
    const owner = await context.newPage();
    await signIn(owner, OWNER);
    await owner.goto("/notifications");
    const told = owner.locator("li", { hasText: "A knowledge page passed to you" }).filter({ hasText: `Memo ${tag}` });
    await expect(told).toHaveCount(1);
    await told.getByRole("link").first().click();
    await expect(owner).toHaveURL(memo);
    await owner.getByRole("link", { name: "Edit", exact: true }).click();
    await owner.locator(".page-delete summary").click();
    await owner.getByRole("button", { name: "Delete page" }).click();
    await expect(owner).toHaveURL(/\/pages\?deleted=1$/);
    await expect(owner.locator(".page-deleted")).toContainText("The page was deleted.");
    await expect(owner.getByRole("link", { name: `Memo ${tag}` })).toHaveCount(0);
    await context.close();

    // Gone for HR's head too; the annex is now at the top of HR's space.
    await page.goto(memo);
    await expect(page.getByText("That item does not exist or has been removed.")).toBeVisible();
    await page.goto(annex);
    await expect(page.locator(".breadcrumbs")).not.toContainText(`Memo ${tag}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`Annex ${tag}`);
  });
});
