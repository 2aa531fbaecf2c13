import { test, expect, signIn, unique, type Page } from "./fixtures";

/** Schedules `body` from the composer of the channel page the browser is on (once the
 *  page runs its script, when it has JavaScript: the Preview button, which needs it, is
 *  then no longer hidden; the composer opens once its box has text). */
async function schedule(page: Page, body: string, date: string, time: string) {
  if (test.info().project.use.javaScriptEnabled !== false) {
    await expect(page.locator(".composer [data-preview]")).not.toHaveAttribute("hidden");
  }
  await page.getByLabel("Post", { exact: true }).fill(body);
  const later = page.locator(".composer details.schedule");
  if ((await later.getAttribute("open")) === null) await later.locator("summary").click();
  await page.locator('input[name="schedule_date"]').fill(date);
  await page.locator('input[name="schedule_time"]').fill(time);
  await page.getByRole("button", { name: "Post", exact: true }).click();
}

/** The scheduled post on /scheduled whose text (not its edit box) holds `text`. */
function listed(page: Page, text: string) {
  return page.locator(".scheduled-post").filter({ has: page.locator(".excerpt", { hasText: text }) });
}

test.describe("scheduled posts", () => {
  test("a member schedules a post from a channel, sees it listed, edits and cancels it @nojs @storage", async ({ page }, testInfo) => {
    const tag = unique("scheduled", testInfo.project.name);
    await signIn(page, "priya.nair@saomai.example");
    await page.goto("/channels/coffee");

    // The past is refused with its reason, and nothing is scheduled or posted.
    await schedule(page, `Too late ${tag}`, "2020-01-01", "09:00");
    await expect(page.getByRole("alert")).toHaveText("That time has already passed. Choose a time in the future.");

    await page.goto("/channels/coffee");
    await schedule(page, `Scheduled ${tag}`, "2030-06-01", "09:30");
    if (testInfo.project.name.endsWith("-nojs")) {
      await expect(page).toHaveURL(/\/scheduled$/);
    } else {
      await expect(page.locator(".composer").getByRole("status")).toContainText("Scheduled. It will be published at the chosen time.");
    }
    // Not in the channel before its time.
    await page.goto("/channels/coffee");
    await expect(page.getByRole("heading", { level: 1, name: "#ca-phe" })).toBeVisible();
    await expect(page.getByText(tag)).toHaveCount(0);

    await page.goto("/scheduled");
    await expect(page.getByRole("heading", { level: 1, name: "Scheduled posts" })).toBeVisible();
    const item = listed(page, `Scheduled ${tag}`);
    await expect(item).toContainText("2030-06-01 09:30");
    await expect(item).toContainText("#ca-phe");
    await expect(page.getByText(`Too late ${tag}`)).toHaveCount(0);

    // Edit the text and the time.
    await item.locator("summary", { hasText: "Edit" }).click();
    await item.locator('textarea[name="body"]').fill(`Edited ${tag}`);
    await item.locator('input[name="schedule_time"]').fill("10:45");
    await item.getByRole("button", { name: "Save" }).click();
    const edited = listed(page, `Edited ${tag}`);
    await expect(edited).toContainText("2030-06-01 10:45");
    await expect(listed(page, `Scheduled ${tag}`)).toHaveCount(0);

    // Cancel it: gone from the list, and never published.
    await edited.getByRole("button", { name: "Cancel this post" }).click();
    await expect(listed(page, tag)).toHaveCount(0);
    await page.goto("/scheduled");
    await expect(listed(page, tag)).toHaveCount(0);
  });

  // Publishing at the time itself is proven with a clock the test moves
  // (app/tests/scheduled.rs, "the_publisher_follows_its_clock"), not by waiting here.
  test("a scheduled post goes out at once when its author says so, and leaves the list @nojs", async ({ page }, testInfo) => {
    const tag = unique("now", testInfo.project.name);
    await signIn(page, "sarah.johnson@saomai.example");
    await page.goto("/channels/coffee");
    await schedule(page, `Right now ${tag}`, "2031-03-01", "08:15");
    if (testInfo.project.name.endsWith("-nojs")) {
      await expect(page).toHaveURL(/\/scheduled$/);
    } else {
      await expect(page.locator(".composer").getByRole("status")).toContainText("Scheduled.");
      await page.goto("/scheduled");
    }
    const item = listed(page, `Right now ${tag}`);
    await expect(item).toContainText("2031-03-01 08:15");
    await item.getByRole("button", { name: "Publish now" }).click();
    if (testInfo.project.name.endsWith("-nojs")) {
      // Without JavaScript the browser lands in the channel, where the post now is.
      await expect(page).toHaveURL(/\/channels\/coffee$/);
    } else {
      await expect(page.locator("section.scheduled").getByRole("status")).toContainText("Published in #ca-phe");
      await expect(listed(page, tag)).toHaveCount(0);
      await page.getByRole("link", { name: "#ca-phe" }).click();
    }
    const post = page.locator("article.post", { hasText: `Right now ${tag}` });
    await expect(post).toHaveCount(1);
    // Dated now, not 2031.
    await expect(post.locator("time").first()).not.toContainText("2031");
    await page.goto("/scheduled");
    await expect(page.getByRole("heading", { level: 1, name: "Scheduled posts" })).toBeVisible();
    await expect(listed(page, tag)).toHaveCount(0);
  });
});
